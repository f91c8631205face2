// tests/graph/graph_stores.hpp — the store instantiations the graph suite
// runs against (both record codecs, both node page codecs, two page sizes);
// error_code_of comes with them from support/error_code.hpp.
#pragma once

#include "sqlitegraph/codec/node_page.hpp"
#include "sqlitegraph/codec/node_page_codec.hpp"
#include "sqlitegraph/core/error.hpp"
#include "sqlitegraph/graph/basic_graph_store.hpp"
#include "sqlitegraph/io/memory_file.hpp"
#include "support/catch.hpp"
#include "support/error_code.hpp"

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace sqlitegraph::testing {

using store_varint_4k = basic_graph_store<memory_fs>;
using store_fixed_4k = basic_graph_store<fixed_record_codec, slotted_node_page_codec, memory_fs>;
using store_varint_1k = basic_graph_store<memory_fs, page_size<1024>>;
using store_fixed_1k = basic_graph_store<page_size<1024>, slotted_node_page_codec, memory_fs, fixed_record_codec>;

// Adds `nodes` nodes (kind "k") and `edges` edges in one transaction: a
// skewed source (the lesser of two uniform picks, so low ids get most
// edges and some nodes none), a uniform target, type "b" for every fourth
// edge and "a" for the rest. Returns the node ids in insertion order.
template <class Store>
std::vector<node_id> add_random_graph(Store& db, std::size_t nodes, std::size_t edges, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<node_id> ids;
    auto tx = db.begin_write();
    for (std::size_t i = 0; i < nodes; ++i)
        ids.push_back(tx.insert_node({.kind = "k", .name = "n" + std::to_string(i)}));
    for (std::size_t i = 0; i < edges; ++i)
        tx.insert_edge({.from = ids[std::min(rng() % nodes, rng() % nodes)], .to = ids[rng() % nodes], .type = i % 4 == 0 ? "b" : "a"});
    tx.commit();
    return ids;
}

} // namespace sqlitegraph::testing
