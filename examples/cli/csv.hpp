// examples/cli/csv.hpp — CSV reading with line numbers, and CSV writing.
//
// RFC 4180 with the usual leniencies: fields separated by commas, rows by LF
// or CRLF, a field may be quoted with '"' (a doubled quote inside stands for
// one, and a quoted field may span lines). The reader remembers for every
// field whether it was quoted, because the import gives a quoted cell the
// string type (docs/cli.md). Malformed input (an unterminated quote, text
// after a closing quote) is an errc::invalid_argument naming FILE:LINE.
#pragma once

#include "sqlitegraph/core/error.hpp"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sqlitegraph::cli {

struct csv_field {
    std::string text;
    bool quoted = false;
};

class csv_reader {
  public:
    explicit csv_reader(std::string path) : path_(std::move(path)), buffer_(1 << 20) {
        file_ = std::fopen(path_.c_str(), "rb");
        if (!file_) fail(errc::not_found, "cannot open '" + path_ + "' for reading");
        if (std::fseek(file_, 0, SEEK_END) == 0) {
            const long size = std::ftell(file_);
            if (size > 0) size_ = static_cast<std::uint64_t>(size);
            std::fseek(file_, 0, SEEK_SET);
        }
    }
    csv_reader(const csv_reader&) = delete;
    csv_reader& operator=(const csv_reader&) = delete;
    ~csv_reader() {
        if (file_) std::fclose(file_);
    }

    // Reads the next row into `row`; false at the end of the file. A blank
    // line is returned as a row of one empty unquoted field.
    bool next(std::vector<csv_field>& row) {
        row.clear();
        if (!fill()) return false;
        row_line_ = line_;
        csv_field field;
        std::uint64_t quote_line = 0;
        enum class state { start, plain, quoted, after_quote } st = state::start;
        for (;;) {
            if (!fill()) {
                if (st == state::quoted)
                    fail(errc::invalid_argument, where(quote_line) + "unterminated quoted field");
                if (st == state::plain) strip_cr(field);
                row.push_back(std::move(field));
                return true;
            }
            const char c = buffer_[pos_++];
            ++consumed_;
            switch (st) {
            case state::start:
                if (c == '"') {
                    field.quoted = true;
                    quote_line = line_;
                    st = state::quoted;
                    break;
                }
                st = state::plain;
                [[fallthrough]];
            case state::plain:
                if (c == ',') {
                    row.push_back(std::move(field));
                    field = {};
                    st = state::start;
                } else if (c == '\n') {
                    ++line_;
                    strip_cr(field);
                    row.push_back(std::move(field));
                    return true;
                } else if (c == '"') {
                    fail(errc::invalid_argument, where(line_) + "a quote inside an unquoted field (quote the whole field)");
                } else {
                    field.text.push_back(c);
                }
                break;
            case state::quoted:
                if (c == '"') {
                    st = state::after_quote;
                } else {
                    if (c == '\n') ++line_;
                    field.text.push_back(c);
                }
                break;
            case state::after_quote:
                if (c == '"') {
                    field.text.push_back('"');
                    st = state::quoted;
                } else if (c == ',') {
                    row.push_back(std::move(field));
                    field = {};
                    st = state::start;
                } else if (c == '\n') {
                    ++line_;
                    row.push_back(std::move(field));
                    return true;
                } else if (c == '\r' && peek() == '\n') {
                    // CRLF after a closing quote: the '\n' ends the row next.
                } else {
                    fail(errc::invalid_argument, where(line_) + "text after the closing quote of a field");
                }
                break;
            }
        }
    }

    // Line on which the row last returned by next() starts (1-based).
    [[nodiscard]] std::uint64_t line() const noexcept { return row_line_; }
    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    [[nodiscard]] std::uint64_t bytes_read() const noexcept { return consumed_; }
    [[nodiscard]] std::uint64_t size() const noexcept { return size_; }
    // "FILE:LINE: " for the current row, to prefix an error message.
    [[nodiscard]] std::string where() const { return where(row_line_); }

  private:
    [[nodiscard]] std::string where(std::uint64_t line) const { return path_ + ":" + std::to_string(line) + ": "; }

    static void strip_cr(csv_field& f) {
        if (!f.quoted && !f.text.empty() && f.text.back() == '\r') f.text.pop_back();
    }

    bool fill() {
        if (pos_ < len_) return true;
        if (eof_) return false;
        len_ = std::fread(buffer_.data(), 1, buffer_.size(), file_);
        pos_ = 0;
        if (len_ == 0) {
            if (std::ferror(file_)) fail(errc::io, "cannot read '" + path_ + "'");
            eof_ = true;
            return false;
        }
        return true;
    }
    int peek() {
        if (!fill()) return -1;
        return static_cast<unsigned char>(buffer_[pos_]);
    }

    std::string path_;
    std::FILE* file_ = nullptr;
    std::vector<char> buffer_;
    std::size_t pos_ = 0, len_ = 0;
    bool eof_ = false;
    std::uint64_t line_ = 1, row_line_ = 0, consumed_ = 0, size_ = 0;
};

// Appends one field to a CSV line, quoting it when it holds a comma, quote,
// CR or LF, or when `force_quote` (string property cells, docs/cli.md).
inline void csv_append(std::string& line, std::string_view field, bool force_quote = false) {
    const bool quote = force_quote || field.find_first_of(",\"\r\n") != std::string_view::npos ||
                       (!field.empty() && (field.front() == ' ' || field.back() == ' '));
    if (!quote) {
        line += field;
        return;
    }
    line.push_back('"');
    for (const char c : field) {
        if (c == '"') line.push_back('"');
        line.push_back(c);
    }
    line.push_back('"');
}

// A buffered output file; every failure is an errc::io naming the file.
class output_file {
  public:
    explicit output_file(std::string path) : path_(std::move(path)) {
        file_ = std::fopen(path_.c_str(), "wb");
        if (!file_) fail(errc::io, "cannot open '" + path_ + "' for writing");
        std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
    }
    output_file(const output_file&) = delete;
    output_file& operator=(const output_file&) = delete;
    ~output_file() {
        if (file_) std::fclose(file_);
    }
    void write(std::string_view text) {
        if (!text.empty() && std::fwrite(text.data(), 1, text.size(), file_) != text.size())
            fail(errc::io, "cannot write '" + path_ + "'");
    }
    void close() {
        std::FILE* f = file_;
        file_ = nullptr;
        if (std::fclose(f) != 0) fail(errc::io, "cannot write '" + path_ + "' (close failed)");
    }
    [[nodiscard]] const std::string& path() const noexcept { return path_; }

  private:
    std::string path_;
    std::FILE* file_ = nullptr;
};

} // namespace sqlitegraph::cli
