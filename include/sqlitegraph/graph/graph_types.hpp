// sqlitegraph/graph/graph_types.hpp — the value types of the graph API:
// what callers pass in (node_input, edge_input, updates), what reads return
// (node, edge, neighbor), traversal descriptions, check and stats reports.
#pragma once

#include "sqlitegraph/codec/properties.hpp"
#include "sqlitegraph/pager/pager.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sqlitegraph {

using node_id = std::uint64_t;
using edge_id = std::uint64_t;

// A new node. properties is JSON text (an object; empty means {}).
struct node_input {
    std::string kind{};
    std::string name{};
    std::string properties{};
};

// A new edge between two existing nodes.
struct edge_input {
    node_id from = 0;
    node_id to = 0;
    std::string type{};
    std::string properties{};
};

// An endpoint of an edge given to bulk_insert: a node that already exists
// (by id), or a node of the same bulk_insert call (by its position in the
// call's node list).
struct node_ref {
    std::uint64_t value = 0;
    bool in_batch = false;

    static constexpr node_ref existing(node_id id) noexcept { return {id, false}; }
    static constexpr node_ref batch(std::uint64_t index) noexcept { return {index, true}; }
};

struct bulk_edge_input {
    node_ref from{};
    node_ref to{};
    std::string type{};
    std::string properties{};
};

// The ids bulk_insert assigned: consecutive, in input order.
struct bulk_insert_result {
    node_id first_node = 0;
    std::uint64_t nodes = 0;
    edge_id first_edge = 0;
    std::uint64_t edges = 0;

    [[nodiscard]] node_id node(std::uint64_t index) const noexcept { return first_node + index; }
    [[nodiscard]] edge_id edge(std::uint64_t index) const noexcept { return first_edge + index; }
};

// Fields left empty are kept.
struct node_update {
    std::optional<std::string> kind{};
    std::optional<std::string> name{};
    std::optional<std::string> properties{};
};

struct edge_update {
    std::optional<std::string> type{};
    std::optional<std::string> properties{};
};

struct node {
    node_id id = 0;
    std::string kind;
    std::string name;
    property_map props;

    [[nodiscard]] std::string properties() const { return props.json(); }
    template <class T> [[nodiscard]] std::optional<T> get(std::string_view key) const { return props.get<T>(key); }
};

struct edge {
    edge_id id = 0;
    node_id from = 0;
    node_id to = 0;
    std::string type;
    property_map props;

    [[nodiscard]] std::string properties() const { return props.json(); }
    template <class T> [[nodiscard]] std::optional<T> get(std::string_view key) const { return props.get<T>(key); }
};

enum class direction : std::uint8_t { out = 0, in = 1, both = 2 };

// One adjacency entry seen from a node: the node at the other end, the
// edge, its type, and whether the edge leaves (out) or enters (in) the node.
struct neighbor {
    node_id node = 0;
    edge_id edge = 0;
    std::string type;
    direction dir = direction::out;

    friend bool operator==(const neighbor&, const neighbor&) = default;
};

// Edge types a traversal may follow; empty means every type.
using type_filter = std::vector<std::string>;

struct bfs_entry {
    node_id node = 0;
    std::uint32_t depth = 0;

    friend bool operator==(const bfs_entry&, const bfs_entry&) = default;
};

// One step of a chain query: follow edges in `dir` of one of `types` (all
// when empty) to nodes of `kind` (any when empty).
struct chain_step {
    direction dir = direction::out;
    type_filter types{};
    std::string kind{};
};

// A star pattern: a root (an id, or every node of root_kind) and legs, each
// one step from the root. A match binds every leg to a neighbour; leg
// neighbours need not be distinct.
struct pattern {
    std::optional<node_id> root{};
    std::string root_kind{};
    std::vector<chain_step> legs{};
};

struct pattern_match {
    node_id root = 0;
    std::vector<node_id> legs;

    friend bool operator==(const pattern_match&, const pattern_match&) = default;
    friend bool operator<(const pattern_match& a, const pattern_match& b) {
        return a.root != b.root ? a.root < b.root : a.legs < b.legs;
    }
};

struct graph_check_report {
    std::uint64_t nodes = 0;
    std::uint64_t edges = 0;
    std::uint32_t pages = 0;
    std::uint32_t free_pages = 0;
    std::vector<std::string> problems;

    [[nodiscard]] bool ok() const noexcept { return problems.empty(); }
};

struct graph_stats {
    std::uint64_t nodes = 0;
    std::uint64_t edges = 0;
    std::uint32_t pages = 0;
    std::uint32_t free_pages = 0;
    std::uint64_t file_bytes = 0; // pages x page size: the main file's size once checkpointed
};

struct store_options {
    pager_options pager{};
    // Opening a file of an older graph format this build can carry over
    // (format 2, before the weight column) converts it in place, in one
    // write transaction, when this is set; otherwise such a file is refused
    // with errc::format_mismatch and left as it was. Off by default: an
    // older build cannot open the file afterwards.
    bool upgrade_format = false;
};

} // namespace sqlitegraph
