// sqlitegraph/core/bytes.hpp — bounded readers and writers over byte buffers.
//
// Decoders of on-disk bytes read through byte_reader, which checks every
// length against what remains and throws errc::corruption naming the
// structure being decoded (the "what" given at construction, e.g.
// "node page 17") instead of reading past the end. byte_writer appends to a
// growable buffer with the same encodings.
#pragma once

#include "sqlitegraph/core/endian.hpp"
#include "sqlitegraph/core/error.hpp"
#include "sqlitegraph/core/varint.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sqlitegraph {

class byte_reader {
  public:
    byte_reader(std::span<const std::byte> bytes, std::string_view what) : bytes_(bytes), what_(what) {}

    [[nodiscard]] std::size_t position() const noexcept { return position_; }
    [[nodiscard]] std::size_t remaining() const noexcept { return bytes_.size() - position_; }
    [[nodiscard]] bool empty() const noexcept { return remaining() == 0; }

    template <std::unsigned_integral T> T read_le() {
        require(sizeof(T));
        T value = load_le<T>(bytes_.data() + position_);
        position_ += sizeof(T);
        return value;
    }

    template <std::unsigned_integral T> T read_be() {
        require(sizeof(T));
        T value = load_be<T>(bytes_.data() + position_);
        position_ += sizeof(T);
        return value;
    }

    template <std::unsigned_integral T> T read_varint() {
        const auto result = decode_varint<T>(bytes_.subspan(position_));
        if (!result.ok()) {
            fail(errc::corruption, std::string(what_) + ": " +
                                       (result.status == varint_status::truncated ? "truncated" : "overlong") +
                                       " varint at offset " + std::to_string(position_));
        }
        position_ += result.length;
        return result.value;
    }

    std::int64_t read_zigzag() { return zigzag_decode(read_varint<std::uint64_t>()); }

    std::span<const std::byte> read_bytes(std::size_t count) {
        require(count);
        auto out = bytes_.subspan(position_, count);
        position_ += count;
        return out;
    }

    std::string_view read_string(std::size_t count) {
        auto raw = read_bytes(count);
        return {reinterpret_cast<const char*>(raw.data()), raw.size()};
    }

    void skip(std::size_t count) {
        require(count);
        position_ += count;
    }

  private:
    void require(std::size_t count) const {
        if (count > remaining()) {
            fail(errc::corruption, std::string(what_) + ": needs " + std::to_string(count) + " bytes at offset " +
                                       std::to_string(position_) + " but only " + std::to_string(remaining()) +
                                       " remain");
        }
    }

    std::span<const std::byte> bytes_;
    std::string_view what_;
    std::size_t position_ = 0;
};

class byte_writer {
  public:
    explicit byte_writer(std::vector<std::byte>& out) : out_(out) {}

    template <std::unsigned_integral T> void write_le(T value) {
        const auto at = grow(sizeof(T));
        store_le<T>(out_.data() + at, value);
    }

    template <std::unsigned_integral T> void write_be(T value) {
        const auto at = grow(sizeof(T));
        store_be<T>(out_.data() + at, value);
    }

    template <std::unsigned_integral T> void write_varint(T value) {
        const auto at = grow(varint_size(value));
        encode_varint(value, out_.data() + at);
    }

    void write_zigzag(std::int64_t value) { write_varint(zigzag_encode(value)); }

    void write_bytes(std::span<const std::byte> bytes) {
        // resize + memcpy rather than vector::insert: GCC 12 reports a false
        // -Warray-bounds on the inlined insert at -O3.
        if (bytes.empty()) return;
        const auto at = grow(bytes.size());
        std::memcpy(out_.data() + at, bytes.data(), bytes.size());
    }

    void write_string(std::string_view text) {
        write_bytes({reinterpret_cast<const std::byte*>(text.data()), text.size()});
    }

    [[nodiscard]] std::size_t size() const noexcept { return out_.size(); }

  private:
    std::size_t grow(std::size_t count) {
        const auto at = out_.size();
        out_.resize(at + count);
        return at;
    }

    std::vector<std::byte>& out_;
};

} // namespace sqlitegraph
