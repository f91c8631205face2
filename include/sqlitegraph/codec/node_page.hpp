// sqlitegraph/codec/node_page.hpp — record codecs for node and edge records.
//
// The store keeps each node record in a NodePage (node_page_codec.hpp
// decides the page layout) and each edge record as the value of a B+Tree
// keyed by id. What one record looks like is a compile-time policy: a
// type that models node_record_codec and is passed to basic_graph_store like
// any other policy. Its id is written into the superblock (root "g.codec");
// opening a file with another codec fails with errc::format_mismatch.
//
//   varint_record_codec (id 1, default): LEB128 lengths and ids.
//     node: varint kind length, kind, varint name length, name, properties
//     edge: varint from, varint to, varint type id, properties
//   fixed_record_codec (id 2): fixed-width little-endian fields.
//     node: u16 kind length, u16 name length, kind, name, properties
//     edge: u64 from, u64 to, u32 type id, properties
// "properties" is the binary form of codec/properties.hpp and runs to the
// end of the record. Decoders check every bound (errc::corruption).
#pragma once

#include "sqlitegraph/core/endian.hpp"
#include "sqlitegraph/core/error.hpp"

#include <bit>
#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>

namespace sqlitegraph {

// Policy category of record codecs (see store_policies.hpp).
struct node_record_codec_tag {};

struct node_fields {
    std::string kind;
    std::string name;
    std::string properties; // binary form
};

// A node record's fields as decode_node gives them: views into the record,
// which a reader copies into storage of its own (a new node, or one whose
// strings it reuses).
struct node_views {
    std::string_view kind;
    std::string_view name;
    std::string_view properties; // binary form
};

struct edge_fields {
    std::uint64_t from = 0;
    std::uint64_t to = 0;
    std::uint32_t type = 0;
    std::string properties; // binary form
};

template <class C>
concept node_record_codec = std::same_as<typename C::policy_category, node_record_codec_tag> &&
    requires(const node_fields& n, const edge_fields& e, std::string_view bytes) {
    { C::id } -> std::convertible_to<std::uint8_t>;
    { C::name } -> std::convertible_to<std::string_view>;
    { C::encode_node(n) } -> std::same_as<std::string>;
    { C::decode_node(bytes) } -> std::same_as<node_views>;
    { C::encode_edge(e) } -> std::same_as<std::string>;
    { C::decode_edge(bytes) } -> std::same_as<edge_fields>;
};

namespace record_detail {

[[noreturn]] inline void corrupt(std::string_view what) {
    fail(errc::corruption, "record: " + std::string(what));
}

inline void put_varint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7F) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

template <class T> void put_fixed(std::string& out, T v) {
    for (std::size_t i = 0; i < sizeof(T); ++i)
        out.push_back(static_cast<char>((static_cast<std::uint64_t>(v) >> (8 * i)) & 0xFF));
}

struct cursor {
    std::string_view in;
    std::size_t at = 0;

    std::uint64_t varint() {
        std::uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at >= in.size()) corrupt("truncated varint");
            const auto b = static_cast<std::uint8_t>(in[at++]);
            v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return v;
        }
        corrupt("overlong varint");
    }
    template <class T> T fixed() {
        if (in.size() - at < sizeof(T)) corrupt("truncated field");
        std::uint64_t v = 0;
        for (std::size_t i = 0; i < sizeof(T); ++i)
            v |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(in[at + i])) << (8 * i);
        at += sizeof(T);
        return static_cast<T>(v);
    }
    std::string_view view(std::uint64_t n) {
        if (n > in.size() - at) corrupt("length " + std::to_string(n) + " runs past the end of the record");
        const std::string_view s = in.substr(at, static_cast<std::size_t>(n));
        at += static_cast<std::size_t>(n);
        return s;
    }
    std::string_view rest_view() {
        const std::string_view s = in.substr(at);
        at = in.size();
        if (s.empty()) corrupt("record has no properties");
        return s;
    }
    std::string rest() { return std::string(rest_view()); }
};

} // namespace record_detail

struct varint_record_codec {
    using policy_category = node_record_codec_tag;
    static constexpr std::uint8_t id = 1;
    static constexpr std::string_view name = "varint";

    static std::string encode_node(const node_fields& n) {
        std::string out;
        out.reserve(n.kind.size() + n.name.size() + n.properties.size() + 4);
        record_detail::put_varint(out, n.kind.size());
        out += n.kind;
        record_detail::put_varint(out, n.name.size());
        out += n.name;
        out += n.properties;
        return out;
    }
    static node_views decode_node(std::string_view bytes) {
        record_detail::cursor c{bytes};
        node_views n;
        n.kind = c.view(c.varint());
        n.name = c.view(c.varint());
        n.properties = c.rest_view();
        return n;
    }
    static std::string encode_edge(const edge_fields& e) {
        std::string out;
        record_detail::put_varint(out, e.from);
        record_detail::put_varint(out, e.to);
        record_detail::put_varint(out, e.type);
        out += e.properties;
        return out;
    }
    static edge_fields decode_edge(std::string_view bytes) {
        record_detail::cursor c{bytes};
        edge_fields e;
        e.from = c.varint();
        e.to = c.varint();
        const auto type = c.varint();
        if (type > UINT32_MAX) record_detail::corrupt("edge type id out of range");
        e.type = static_cast<std::uint32_t>(type);
        e.properties = c.rest();
        return e;
    }
    // The properties of an edge record, in place: whole-graph scans read
    // only them. (from, to, type) usually fit in the first 8 bytes; the
    // third byte with a clear top bit ends them, found without a branch
    // per byte.
    static std::string_view edge_properties(std::string_view bytes) {
        if (bytes.size() >= 8) {
            std::uint64_t ends = ~load_le<std::uint64_t>(bytes.data()) & 0x8080808080808080u;
            ends &= ends - 1;
            ends &= ends - 1;
            if (ends != 0) return bytes.substr((static_cast<std::size_t>(std::countr_zero(ends)) >> 3) + 1);
        }
        std::size_t at = 0;
        for (int field = 0; field < 3; ++field) {
            while (at < bytes.size() && (static_cast<unsigned char>(bytes[at]) & 0x80)) ++at;
            if (at >= bytes.size()) record_detail::corrupt("edge record truncated");
            ++at;
        }
        return bytes.substr(at);
    }
};

struct fixed_record_codec {
    using policy_category = node_record_codec_tag;
    static constexpr std::uint8_t id = 2;
    static constexpr std::string_view name = "fixed";

    static std::string encode_node(const node_fields& n) {
        if (n.kind.size() > UINT16_MAX || n.name.size() > UINT16_MAX)
            fail(errc::too_large, "kind or name longer than 65535 bytes");
        std::string out;
        record_detail::put_fixed<std::uint16_t>(out, static_cast<std::uint16_t>(n.kind.size()));
        record_detail::put_fixed<std::uint16_t>(out, static_cast<std::uint16_t>(n.name.size()));
        out += n.kind;
        out += n.name;
        out += n.properties;
        return out;
    }
    static node_views decode_node(std::string_view bytes) {
        record_detail::cursor c{bytes};
        node_views n;
        const auto kind_len = c.fixed<std::uint16_t>();
        const auto name_len = c.fixed<std::uint16_t>();
        n.kind = c.view(kind_len);
        n.name = c.view(name_len);
        n.properties = c.rest_view();
        return n;
    }
    static std::string encode_edge(const edge_fields& e) {
        std::string out;
        record_detail::put_fixed<std::uint64_t>(out, e.from);
        record_detail::put_fixed<std::uint64_t>(out, e.to);
        record_detail::put_fixed<std::uint32_t>(out, e.type);
        out += e.properties;
        return out;
    }
    static edge_fields decode_edge(std::string_view bytes) {
        record_detail::cursor c{bytes};
        edge_fields e;
        e.from = c.fixed<std::uint64_t>();
        e.to = c.fixed<std::uint64_t>();
        e.type = c.fixed<std::uint32_t>();
        e.properties = c.rest();
        return e;
    }
    static std::string_view edge_properties(std::string_view bytes) {
        constexpr std::size_t fields = 8 + 8 + 4; // from, to, type
        if (bytes.size() < fields) record_detail::corrupt("edge record truncated");
        return bytes.substr(fields);
    }
};

static_assert(node_record_codec<varint_record_codec>);
static_assert(node_record_codec<fixed_record_codec>);

} // namespace sqlitegraph
