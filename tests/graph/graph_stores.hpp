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

namespace sqlitegraph::testing {

using store_varint_4k = basic_graph_store<memory_fs>;
using store_fixed_4k = basic_graph_store<fixed_record_codec, slotted_node_page_codec, memory_fs>;
using store_varint_1k = basic_graph_store<memory_fs, page_size<1024>>;
using store_fixed_1k = basic_graph_store<page_size<1024>, slotted_node_page_codec, memory_fs, fixed_record_codec>;

} // namespace sqlitegraph::testing
