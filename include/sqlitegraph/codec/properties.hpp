// sqlitegraph/codec/properties.hpp — JSON properties: validation, a compact
// binary encoding, and typed access by key without decoding to text.
//
// encode_properties(json) validates the text and returns the binary form;
// invalid JSON throws errc::invalid_argument before anything is written.
// When the build found simdjson (SQLITEGRAPH_WITH_SIMDJSON) the text is
// parsed once, by simdjson, and the parsed document is encoded
// (dom_encoder). Without it the small parser below (json_encoder) validates
// and encodes: it checks the full JSON grammar, escapes, control
// characters, nesting depth and UTF-8 of strings. Both give the same bytes
// for the same text (tests/codec/properties_test.cpp compares them).
//
// Binary form (docs/graph_store.md), one tag byte per value:
//   0 null, 1 false, 2 true,
//   3 integer: zigzag LEB128 (JSON numbers without fraction or exponent that
//     fit in int64),
//   4 double: 8 bytes little-endian IEEE-754 (every other number),
//   5 string: LEB128 byte length, UTF-8 bytes,
//   6 array: LEB128 count, values,
//   7 object: LEB128 count, then count x (LEB128 key length, key, value).
// The top level is always an object (empty text means {}). Members keep the
// order of the source text; a lookup returns the first member with the key.
// Decoders check every bound and report errc::corruption.
#pragma once

#include "sqlitegraph/core/error.hpp"

#include <charconv>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#if defined(SQLITEGRAPH_WITH_SIMDJSON)
#include <simdjson.h>
#endif

namespace sqlitegraph {

namespace props_detail {

enum class tag : std::uint8_t {
    null_v = 0,
    false_v = 1,
    true_v = 2,
    int_v = 3,
    double_v = 4,
    string_v = 5,
    array_v = 6,
    object_v = 7
};

inline constexpr int max_depth = 64;

inline void put_varint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7F) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

// The binary form of {} (what empty text means).
inline std::string empty_object() { return {static_cast<char>(tag::object_v), '\0'}; }

// The integer and double values of both encoders (tags 3 and 4).
inline void put_integer(std::string& out, std::int64_t v) {
    out.push_back(static_cast<char>(tag::int_v));
    put_varint(out, (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
}
inline void put_double(std::string& out, double d) {
    out.push_back(static_cast<char>(tag::double_v));
    std::uint64_t bits;
    std::memcpy(&bits, &d, 8);
    for (int i = 0; i < 8; ++i)
        out.push_back(static_cast<char>((bits >> (8 * i)) & 0xFF));
}

[[noreturn]] inline void corrupt(const std::string& what) {
    fail(errc::corruption, "properties: " + what);
}

// A bounded reader over encoded bytes.
struct reader {
    std::string_view in;
    std::size_t at = 0;

    bool done() const noexcept { return at >= in.size(); }
    std::uint8_t byte() {
        if (at >= in.size()) corrupt("truncated value");
        return static_cast<std::uint8_t>(in[at++]);
    }
    std::uint64_t varint() {
        std::uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            const std::uint8_t b = byte();
            v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return v;
        }
        corrupt("overlong varint");
    }
    std::string_view bytes(std::uint64_t n) {
        if (n > in.size() - at) corrupt("length " + std::to_string(n) + " runs past the end");
        auto s = in.substr(at, static_cast<std::size_t>(n));
        at += static_cast<std::size_t>(n);
        return s;
    }
    // Skips one value.
    void skip(int depth = 0) {
        if (depth > max_depth) corrupt("nesting too deep");
        switch (static_cast<tag>(byte())) {
        case tag::null_v:
        case tag::false_v:
        case tag::true_v:
            return;
        case tag::int_v:
            (void)varint();
            return;
        case tag::double_v:
            (void)bytes(8);
            return;
        case tag::string_v:
            (void)bytes(varint());
            return;
        case tag::array_v: {
            const auto n = varint();
            for (std::uint64_t i = 0; i < n; ++i)
                skip(depth + 1);
            return;
        }
        case tag::object_v: {
            const auto n = varint();
            for (std::uint64_t i = 0; i < n; ++i) {
                (void)bytes(varint());
                skip(depth + 1);
            }
            return;
        }
        }
        corrupt("unknown value tag");
    }
};

inline bool valid_utf8(std::string_view s) noexcept {
    std::size_t i = 0;
    const auto n = s.size();
    while (i < n) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t len;
        std::uint32_t cp;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + len > n) return false;
        for (std::size_t k = 1; k < len; ++k) {
            const auto d = static_cast<unsigned char>(s[i + k]);
            if ((d & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (d & 0x3F);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

// Recursive-descent JSON parser that writes the binary form as it goes.
class json_encoder {
  public:
    explicit json_encoder(std::string_view text) : s_(text) {}

    std::string run() {
        ws();
        if (at_ == s_.size()) return empty_object();
        if (peek() != '{') bad("properties must be a JSON object");
        value(0);
        ws();
        if (at_ != s_.size()) bad("trailing characters");
        return std::move(out_);
    }

  private:
    [[noreturn]] void bad(const std::string& what) const {
        fail(errc::invalid_argument, "invalid JSON properties at offset " + std::to_string(at_) + ": " + what);
    }
    char peek() const { return at_ < s_.size() ? s_[at_] : '\0'; }
    void ws() {
        while (at_ < s_.size() && (s_[at_] == ' ' || s_[at_] == '\t' || s_[at_] == '\n' || s_[at_] == '\r'))
            ++at_;
    }
    void expect(char c) {
        if (peek() != c || at_ >= s_.size()) bad(std::string("expected '") + c + "'");
        ++at_;
    }
    void literal(std::string_view word, tag t) {
        if (s_.substr(at_, word.size()) != word) bad("unknown literal");
        at_ += word.size();
        out_.push_back(static_cast<char>(t));
    }

    void value(int depth) {
        if (depth > max_depth) bad("nesting deeper than " + std::to_string(max_depth));
        ws();
        switch (peek()) {
        case '{':
            object(depth);
            return;
        case '[':
            array(depth);
            return;
        case '"': {
            out_.push_back(static_cast<char>(tag::string_v));
            const auto str = string();
            put_varint(out_, str.size());
            out_ += str;
            return;
        }
        case 't':
            literal("true", tag::true_v);
            return;
        case 'f':
            literal("false", tag::false_v);
            return;
        case 'n':
            literal("null", tag::null_v);
            return;
        default:
            number();
            return;
        }
    }

    // Counts are written after the members, so the members go to a scratch
    // string first.
    void object(int depth) {
        expect('{');
        std::string saved = std::move(out_);
        out_.clear();
        std::uint64_t n = 0;
        ws();
        if (peek() == '}') {
            ++at_;
        } else {
            for (;;) {
                ws();
                if (peek() != '"') bad("expected a member name");
                const auto key = string();
                put_varint(out_, key.size());
                out_ += key;
                ws();
                expect(':');
                value(depth + 1);
                ++n;
                ws();
                if (peek() == ',') {
                    ++at_;
                    continue;
                }
                expect('}');
                break;
            }
        }
        std::string body = std::move(out_);
        out_ = std::move(saved);
        out_.push_back(static_cast<char>(tag::object_v));
        put_varint(out_, n);
        out_ += body;
    }

    void array(int depth) {
        expect('[');
        std::string saved = std::move(out_);
        out_.clear();
        std::uint64_t n = 0;
        ws();
        if (peek() == ']') {
            ++at_;
        } else {
            for (;;) {
                value(depth + 1);
                ++n;
                ws();
                if (peek() == ',') {
                    ++at_;
                    continue;
                }
                expect(']');
                break;
            }
        }
        std::string body = std::move(out_);
        out_ = std::move(saved);
        out_.push_back(static_cast<char>(tag::array_v));
        put_varint(out_, n);
        out_ += body;
    }

    unsigned hex4() {
        if (at_ + 4 > s_.size()) bad("truncated \\u escape");
        unsigned v = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = s_[at_++];
            v <<= 4;
            if (c >= '0' && c <= '9')
                v |= static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f')
                v |= static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                v |= static_cast<unsigned>(c - 'A' + 10);
            else
                bad("bad hex digit in \\u escape");
        }
        return v;
    }

    static void put_utf8(std::string& out, std::uint32_t cp) {
        if (cp < 0x80) {
            out.push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
            out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
            out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
    }

    std::string string() {
        expect('"');
        std::string str;
        for (;;) {
            if (at_ >= s_.size()) bad("unterminated string");
            const char c = s_[at_++];
            if (c == '"') break;
            if (static_cast<unsigned char>(c) < 0x20) bad("control character in a string");
            if (c != '\\') {
                str.push_back(c);
                continue;
            }
            if (at_ >= s_.size()) bad("unterminated escape");
            const char e = s_[at_++];
            switch (e) {
            case '"':
                str.push_back('"');
                break;
            case '\\':
                str.push_back('\\');
                break;
            case '/':
                str.push_back('/');
                break;
            case 'b':
                str.push_back('\b');
                break;
            case 'f':
                str.push_back('\f');
                break;
            case 'n':
                str.push_back('\n');
                break;
            case 'r':
                str.push_back('\r');
                break;
            case 't':
                str.push_back('\t');
                break;
            case 'u': {
                std::uint32_t cp = hex4();
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (s_.substr(at_, 2) != "\\u") bad("lone high surrogate");
                    at_ += 2;
                    const unsigned lo = hex4();
                    if (lo < 0xDC00 || lo > 0xDFFF) bad("bad low surrogate");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    bad("lone low surrogate");
                }
                put_utf8(str, cp);
                break;
            }
            default:
                bad("unknown escape");
            }
        }
        if (!valid_utf8(str)) bad("string is not valid UTF-8");
        return str;
    }

    void number() {
        const std::size_t start = at_;
        bool integral = true;
        if (peek() == '-') ++at_;
        if (peek() == '0') {
            ++at_;
        } else if (peek() >= '1' && peek() <= '9') {
            while (peek() >= '0' && peek() <= '9')
                ++at_;
        } else {
            bad("unexpected character");
        }
        if (peek() == '.') {
            integral = false;
            ++at_;
            if (!(peek() >= '0' && peek() <= '9')) bad("digit expected after '.'");
            while (peek() >= '0' && peek() <= '9')
                ++at_;
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            ++at_;
            if (peek() == '+' || peek() == '-') ++at_;
            if (!(peek() >= '0' && peek() <= '9')) bad("digit expected in exponent");
            while (peek() >= '0' && peek() <= '9')
                ++at_;
        }
        const char* first = s_.data() + start;
        const char* last = s_.data() + at_;
        if (integral) {
            std::int64_t v = 0;
            const auto r = std::from_chars(first, last, v);
            if (r.ec == std::errc() && r.ptr == last) {
                put_integer(out_, v);
                return;
            }
        }
        double d = 0;
        const auto r = std::from_chars(first, last, d);
        if (r.ec != std::errc() || r.ptr != last) bad("number out of range");
        put_double(out_, d);
    }

    std::string_view s_;
    std::size_t at_ = 0;
    std::string out_;
};

inline void escape_json(std::string& out, std::string_view s) {
    out.push_back('"');
    for (const char c : s) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                static constexpr char hex[] = "0123456789abcdef";
                out += "\\u00";
                out.push_back(hex[(c >> 4) & 0xF]);
                out.push_back(hex[c & 0xF]);
            } else {
                out.push_back(c);
            }
        }
    }
    out.push_back('"');
}

inline double load_double(std::string_view b) {
    std::uint64_t bits = 0;
    for (int i = 0; i < 8; ++i)
        bits |= static_cast<std::uint64_t>(static_cast<unsigned char>(b[static_cast<std::size_t>(i)])) << (8 * i);
    double d;
    std::memcpy(&d, &bits, 8);
    return d;
}

inline std::int64_t unzigzag(std::uint64_t v) {
    return static_cast<std::int64_t>((v >> 1) ^ (~(v & 1) + 1));
}

inline void to_json(reader& r, std::string& out, int depth) {
    if (depth > max_depth) corrupt("nesting too deep");
    switch (static_cast<tag>(r.byte())) {
    case tag::null_v:
        out += "null";
        return;
    case tag::false_v:
        out += "false";
        return;
    case tag::true_v:
        out += "true";
        return;
    case tag::int_v:
        out += std::to_string(unzigzag(r.varint()));
        return;
    case tag::double_v: {
        const double d = load_double(r.bytes(8));
        char buf[64];
        const auto res = std::to_chars(buf, buf + sizeof buf, d);
        std::string_view text(buf, static_cast<std::size_t>(res.ptr - buf));
        out += text;
        // Keep it a double when read back.
        if (text.find_first_of(".eEn") == std::string_view::npos) out += ".0";
        return;
    }
    case tag::string_v:
        escape_json(out, r.bytes(r.varint()));
        return;
    case tag::array_v: {
        const auto n = r.varint();
        out.push_back('[');
        for (std::uint64_t i = 0; i < n; ++i) {
            if (i) out.push_back(',');
            to_json(r, out, depth + 1);
        }
        out.push_back(']');
        return;
    }
    case tag::object_v: {
        const auto n = r.varint();
        out.push_back('{');
        for (std::uint64_t i = 0; i < n; ++i) {
            if (i) out.push_back(',');
            escape_json(out, r.bytes(r.varint()));
            out.push_back(':');
            to_json(r, out, depth + 1);
        }
        out.push_back('}');
        return;
    }
    }
    corrupt("unknown value tag");
}

} // namespace props_detail

#if defined(SQLITEGRAPH_WITH_SIMDJSON)
namespace props_detail {

// The binary form of a document simdjson has parsed: the bytes json_encoder
// makes from the same text (integers that fit int64 as integers, every
// other number as its double; members in source order, duplicates kept;
// nesting at most max_depth), so the text is parsed once. Numbers simdjson
// reads as uint64 (above int64's range) become the nearest double, as
// from_chars gives json_encoder.
class dom_encoder {
  public:
    static std::string run(simdjson::dom::element root) {
        if (!root.is_object()) bad("properties must be a JSON object");
        dom_encoder e;
        e.value(root, 0);
        return std::move(e.out_);
    }

  private:
    [[noreturn]] static void bad(const std::string& what) { fail(errc::invalid_argument, "invalid JSON properties: " + what); }

    // simdjson's sizes saturate at 0xFFFFFF; count larger ones.
    template <class Container> static std::uint64_t count(Container c) {
        const std::size_t n = c.size();
        if (n < 0xFFFFFF) return n;
        std::uint64_t k = 0;
        for ([[maybe_unused]] auto x : c) ++k;
        return k;
    }

    void value(simdjson::dom::element e, int depth) {
        if (depth > max_depth) bad("nesting deeper than " + std::to_string(max_depth));
        using simdjson::dom::element_type;
        switch (e.type()) {
        case element_type::OBJECT: {
            const simdjson::dom::object o = e.get_object().value_unsafe();
            out_.push_back(static_cast<char>(tag::object_v));
            put_varint(out_, count(o));
            for (const auto field : o) {
                put_varint(out_, field.key.size());
                out_ += field.key;
                value(field.value, depth + 1);
            }
            return;
        }
        case element_type::ARRAY: {
            const simdjson::dom::array a = e.get_array().value_unsafe();
            out_.push_back(static_cast<char>(tag::array_v));
            put_varint(out_, count(a));
            for (const auto item : a) value(item, depth + 1);
            return;
        }
        case element_type::STRING: {
            const std::string_view str = e.get_string().value_unsafe();
            out_.push_back(static_cast<char>(tag::string_v));
            put_varint(out_, str.size());
            out_ += str;
            return;
        }
        case element_type::INT64:
            put_integer(out_, e.get_int64().value_unsafe());
            return;
        case element_type::UINT64:
            put_double(out_, static_cast<double>(e.get_uint64().value_unsafe()));
            return;
        case element_type::DOUBLE:
            put_double(out_, e.get_double().value_unsafe());
            return;
        case element_type::BOOL:
            out_.push_back(static_cast<char>(e.get_bool().value_unsafe() ? tag::true_v : tag::false_v));
            return;
        case element_type::NULL_VALUE:
            out_.push_back(static_cast<char>(tag::null_v));
            return;
        }
        bad("unknown simdjson element type");
    }

    std::string out_;
};

// Parses json with simdjson and encodes the document. A parser and a padded
// copy of the input cost allocations that, for the small documents an
// import passes by the million, took longer than the parse itself; each
// thread keeps one parser and one padded buffer for documents up to
// reuse_limit bytes. A larger document gets a parser of its own, so no
// thread keeps a big buffer alive.
inline std::string simdjson_encode(std::string_view json) {
    auto encode = [](simdjson::simdjson_result<simdjson::dom::element> doc) {
        if (doc.error()) fail(errc::invalid_argument, std::string("invalid JSON properties: ") + simdjson::error_message(doc.error()));
        return dom_encoder::run(doc.value_unsafe());
    };
    constexpr std::size_t reuse_limit = 64 * 1024;
    if (json.size() > reuse_limit) {
        simdjson::dom::parser parser;
        return encode(parser.parse(json.data(), json.size())); // copies into a padded buffer
    }
    thread_local simdjson::dom::parser parser;
    thread_local std::vector<char> padded;
    padded.resize(json.size() + simdjson::SIMDJSON_PADDING);
    std::memcpy(padded.data(), json.data(), json.size());
    return encode(parser.parse(padded.data(), json.size(), false));
}

} // namespace props_detail
#endif

// Validates JSON text and returns its binary form (see the header comment).
// Empty or all-blank text is the empty object.
inline std::string encode_properties(std::string_view json) {
#if defined(SQLITEGRAPH_WITH_SIMDJSON)
    if (json.find_first_not_of(" \t\r\n") == std::string_view::npos) return props_detail::empty_object();
    return props_detail::simdjson_encode(json);
#else
    return props_detail::json_encoder(json).run();
#endif
}

// Minified JSON text of a binary value.
inline std::string properties_to_json(std::string_view binary) {
    props_detail::reader r{binary};
    std::string out;
    props_detail::to_json(r, out, 0);
    if (!r.done()) props_detail::corrupt("bytes after the value");
    return out;
}

enum class property_type { null, boolean, integer, real, string, array, object };

// One encoded value (a view into the owner's bytes).
class property_value {
  public:
    explicit property_value(std::string_view bytes) : bytes_(bytes) {
        if (bytes_.empty()) props_detail::corrupt("empty value");
    }

    [[nodiscard]] property_type type() const {
        using props_detail::tag;
        switch (static_cast<tag>(bytes_[0])) {
        case tag::null_v:
            return property_type::null;
        case tag::false_v:
        case tag::true_v:
            return property_type::boolean;
        case tag::int_v:
            return property_type::integer;
        case tag::double_v:
            return property_type::real;
        case tag::string_v:
            return property_type::string;
        case tag::array_v:
            return property_type::array;
        case tag::object_v:
            return property_type::object;
        }
        props_detail::corrupt("unknown value tag");
    }

    // Converts to T (bool, an integer type, double or std::string); a value
    // of another JSON type throws errc::invalid_argument. Integers convert
    // to double; doubles do not convert to integers.
    template <class T> [[nodiscard]] T as() const {
        using props_detail::tag;
        props_detail::reader r{bytes_};
        const auto t = static_cast<tag>(r.byte());
        if constexpr (std::is_same_v<T, bool>) {
            if (t == tag::true_v) return true;
            if (t == tag::false_v) return false;
            mismatch("a boolean");
        } else if constexpr (std::is_integral_v<T>) {
            if (t != tag::int_v) mismatch("an integer");
            const auto v = props_detail::unzigzag(r.varint());
            if (!std::in_range<T>(v))
                fail(errc::invalid_argument,
                     "property value " + std::to_string(v) + " does not fit the requested type");
            return static_cast<T>(v);
        } else if constexpr (std::is_floating_point_v<T>) {
            if (t == tag::double_v) return static_cast<T>(props_detail::load_double(r.bytes(8)));
            if (t == tag::int_v) return static_cast<T>(props_detail::unzigzag(r.varint()));
            mismatch("a number");
        } else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, std::string_view>) {
            if (t != tag::string_v) mismatch("a string");
            return T(r.bytes(r.varint()));
        } else {
            static_assert(std::is_same_v<T, bool>,
                          "property_value::as<T>: T must be bool, an integer, a floating type or std::string");
        }
    }

    [[nodiscard]] std::string json() const { return properties_to_json(bytes_); }

  private:
    [[noreturn]] void mismatch(const char* wanted) const {
        fail(errc::invalid_argument, std::string("property is not ") + wanted + " (it is " + json() + ")");
    }
    std::string_view bytes_;
};

// The properties of one node or edge: owns the binary object.
class property_map {
  public:
    property_map() : bytes_{static_cast<char>(props_detail::tag::object_v), '\0'} {}
    // From binary (as stored); checked on use.
    static property_map from_binary(std::string bytes) {
        property_map p;
        p.bytes_ = std::move(bytes);
        return p;
    }
    // From JSON text (validated).
    static property_map from_json(std::string_view json) { return from_binary(encode_properties(json)); }

    // Replaces the contents with stored binary (checked on use), reusing
    // this map's storage.
    void assign_binary(std::string_view bytes) { bytes_.assign(bytes); }

    [[nodiscard]] const std::string& binary() const noexcept { return bytes_; }
    [[nodiscard]] std::string json() const { return properties_to_json(bytes_); }

    // The first top-level member named key, if any.
    [[nodiscard]] std::optional<property_value> find(std::string_view key) const {
        props_detail::reader r{bytes_};
        if (static_cast<props_detail::tag>(r.byte()) != props_detail::tag::object_v)
            props_detail::corrupt("top level is not an object");
        const auto n = r.varint();
        for (std::uint64_t i = 0; i < n; ++i) {
            const auto name = r.bytes(r.varint());
            const std::size_t start = r.at;
            r.skip(1);
            if (name == key) return property_value(std::string_view(bytes_).substr(start, r.at - start));
        }
        return std::nullopt;
    }

    [[nodiscard]] bool contains(std::string_view key) const { return find(key).has_value(); }

    // get<T>(key): the member converted to T, or nullopt when absent.
    template <class T> [[nodiscard]] std::optional<T> get(std::string_view key) const {
        auto v = find(key);
        if (!v) return std::nullopt;
        return v->template as<T>();
    }

    // Number of top-level members.
    [[nodiscard]] std::size_t size() const {
        props_detail::reader r{bytes_};
        (void)r.byte();
        return static_cast<std::size_t>(r.varint());
    }

    friend bool operator==(const property_map& a, const property_map& b) { return a.bytes_ == b.bytes_; }

  private:
    std::string bytes_;
};

} // namespace sqlitegraph
