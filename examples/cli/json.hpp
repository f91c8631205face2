// examples/cli/json.hpp — the little JSON the CLI needs around the store:
// string escaping for output, and splitting one JSON object (a JSON Lines
// record) into its members, each value kept as raw JSON text so that
// nested objects pass to the store unchanged (the store validates them).
#pragma once

#include "sqlitegraph/core/error.hpp"

#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sqlitegraph::cli {

inline void json_append_string(std::string& out, std::string_view s) {
    out.push_back('"');
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out.push_back(ch);
            }
        }
    }
    out.push_back('"');
}

inline std::string json_string(std::string_view s) {
    std::string out;
    json_append_string(out, s);
    return out;
}

// One member of a parsed object: its key (unescaped) and raw value text.
struct json_member {
    std::string key;
    std::string_view raw;
};

class json_object_splitter {
  public:
    // Splits `text` (one JSON object) into members; invalid_argument with
    // `where` as prefix when it is not an object or is malformed.
    static std::vector<json_member> split(std::string_view text, const std::string& where) {
        json_object_splitter p(text, where);
        return p.object();
    }

    // The value of a raw JSON string token, unescaped (\uXXXX to UTF-8).
    static std::string unescape(std::string_view raw, const std::string& where) {
        json_object_splitter p(raw, where);
        p.ws();
        std::string s = p.string();
        p.ws();
        if (p.i_ != raw.size()) p.bad("expected a JSON string");
        return s;
    }

  private:
    json_object_splitter(std::string_view t, const std::string& where) : t_(t), where_(where) {}

    [[noreturn]] void bad(const std::string& what) const {
        fail(errc::invalid_argument, where_ + what + " at column " + std::to_string(i_ + 1));
    }
    void ws() {
        while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\t' || t_[i_] == '\r' || t_[i_] == '\n')) ++i_;
    }
    char peek() const { return i_ < t_.size() ? t_[i_] : '\0'; }
    void expect(char c) {
        if (peek() != c) bad(std::string("expected '") + c + "'");
        ++i_;
    }

    std::vector<json_member> object() {
        std::vector<json_member> out;
        ws();
        expect('{');
        ws();
        if (peek() == '}') {
            ++i_;
        } else {
            for (;;) {
                ws();
                json_member m;
                m.key = string();
                ws();
                expect(':');
                ws();
                const std::size_t start = i_;
                skip_value(0);
                m.raw = t_.substr(start, i_ - start);
                out.push_back(std::move(m));
                ws();
                if (peek() == ',') {
                    ++i_;
                    continue;
                }
                expect('}');
                break;
            }
        }
        ws();
        if (i_ != t_.size()) bad("text after the end of the object");
        return out;
    }

    void skip_value(int depth) {
        if (depth > 64) bad("nesting deeper than 64");
        const char c = peek();
        if (c == '"') {
            string();
        } else if (c == '{' || c == '[') {
            const char close = c == '{' ? '}' : ']';
            ++i_;
            ws();
            if (peek() == close) {
                ++i_;
                return;
            }
            for (;;) {
                ws();
                if (c == '{') {
                    string();
                    ws();
                    expect(':');
                    ws();
                }
                skip_value(depth + 1);
                ws();
                if (peek() == ',') {
                    ++i_;
                    continue;
                }
                expect(close);
                return;
            }
        } else if (t_.substr(i_, 4) == "true" || t_.substr(i_, 4) == "null") {
            i_ += 4;
        } else if (t_.substr(i_, 5) == "false") {
            i_ += 5;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            while (i_ < t_.size() && std::string_view("+-.eE0123456789").find(t_[i_]) != std::string_view::npos) ++i_;
        } else {
            bad("expected a JSON value");
        }
    }

    static void put_utf8(std::string& s, unsigned cp) {
        if (cp < 0x80) {
            s.push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
            s.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
            s.push_back(static_cast<char>(0xE0 | (cp >> 12)));
            s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
            s.push_back(static_cast<char>(0xF0 | (cp >> 18)));
            s.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
            s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
    }
    unsigned hex4() {
        if (i_ + 4 > t_.size()) bad("short \\u escape");
        unsigned v = 0;
        for (int k = 0; k < 4; ++k) {
            const char h = t_[i_++];
            v <<= 4;
            if (h >= '0' && h <= '9') v |= static_cast<unsigned>(h - '0');
            else if (h >= 'a' && h <= 'f') v |= static_cast<unsigned>(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F') v |= static_cast<unsigned>(h - 'A' + 10);
            else bad("bad \\u escape");
        }
        return v;
    }
    std::string string() {
        expect('"');
        std::string s;
        for (;;) {
            if (i_ >= t_.size()) bad("unterminated string");
            const char c = t_[i_++];
            if (c == '"') return s;
            if (static_cast<unsigned char>(c) < 0x20) bad("control character in a string");
            if (c != '\\') {
                s.push_back(c);
                continue;
            }
            if (i_ >= t_.size()) bad("unterminated string");
            const char e = t_[i_++];
            switch (e) {
            case '"': s.push_back('"'); break;
            case '\\': s.push_back('\\'); break;
            case '/': s.push_back('/'); break;
            case 'b': s.push_back('\b'); break;
            case 'f': s.push_back('\f'); break;
            case 'n': s.push_back('\n'); break;
            case 'r': s.push_back('\r'); break;
            case 't': s.push_back('\t'); break;
            case 'u': {
                unsigned cp = hex4();
                if (cp >= 0xD800 && cp < 0xDC00 && t_.substr(i_, 2) == "\\u") {
                    i_ += 2;
                    const unsigned lo = hex4();
                    if (lo < 0xDC00 || lo >= 0xE000) bad("bad surrogate pair");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                } else if (cp >= 0xD800 && cp < 0xE000) {
                    bad("lone surrogate");
                }
                put_utf8(s, cp);
                break;
            }
            default: bad("bad escape");
            }
        }
    }

    std::string_view t_;
    const std::string& where_;
    std::size_t i_ = 0;
};

} // namespace sqlitegraph::cli
