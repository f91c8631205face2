// sqlitegraph/graph/basic_graph_store.hpp — the native backend's entry type.
//
// basic_graph_store<Policies...> takes storage policies in any order (see
// store_policies.hpp for the categories and defaults). This header currently
// provides the policy composition only: the resolved bundle and its derived
// constants. Opening databases, transactions and the graph API are built on
// the pager and B+Tree layers and arrive with them.
#pragma once

#include <cstddef>

#include "sqlitegraph/graph/store_policies.hpp"

namespace sqlitegraph {

template <class... Policies>
class basic_graph_store {
public:
    using policies = store_policies<Policies...>;
    using page_size_type = typename policies::page_size_type;
    using cache = typename policies::cache;
    using checksum = typename policies::checksum;
    using codec = typename policies::codec;
    using file_system = typename policies::file_system;

    static constexpr std::size_t page_bytes = policies::page_bytes;
};

using graph_store = basic_graph_store<>;

} // namespace sqlitegraph
