// sqlitegraph/graph/store_policies.hpp — the resolved policy bundle of a store.
//
// store_policies<Policies...> is the one validation point (in the manner of
// Abseil's btree params): it checks the whole pack, picks each category's
// policy or its default, checks each against its concept, and derives the
// constants the layers below need. Every failure is a static_assert whose
// message names the problem.
//
//   category     default               concept
//   page size    page_size<4096>       page_size_policy
//   cache        s3fifo_cache          cache_policy
//   checksum     crc32c                checksum_policy
//   codec        identity_codec        compression_codec
//   file         posix_fs              file_system
//   record codec varint_record_codec   node_record_codec (codec/node_page.hpp)
//   page codec   delta_node_page_codec node_page_codec (codec/node_page_codec.hpp)
#pragma once

#include "sqlitegraph/codec/compression.hpp"
#include "sqlitegraph/codec/node_page.hpp"
#include "sqlitegraph/codec/node_page_codec.hpp"
#include "sqlitegraph/core/checksum.hpp"
#include "sqlitegraph/core/page_size.hpp"
#include "sqlitegraph/core/policy_pack.hpp"
#include "sqlitegraph/io/file.hpp"
#include "sqlitegraph/io/posix_file.hpp"
#include "sqlitegraph/pager/cache_policy.hpp"
#include "sqlitegraph/pager/page_format.hpp"

#include <cstddef>

namespace sqlitegraph {

template <class... Policies> struct store_policies {
    static_assert(((is_known_policy<Policies> || detail::in_category<Policies, node_record_codec_tag>() ||
                    detail::in_category<Policies, node_page_codec_tag>()) &&
                   ...),
                  "sqlitegraph: basic_graph_store was given a type that is not a policy (it has no policy_category "
                  "naming page size, cache, checksum, codec or file)");
    static_assert(policy_count<page_size_policy_tag, Policies...> <= 1,
                  "sqlitegraph: two page size policies given to basic_graph_store");
    static_assert(policy_count<cache_policy_tag, Policies...> <= 1,
                  "sqlitegraph: two cache policies given to basic_graph_store");
    static_assert(policy_count<checksum_policy_tag, Policies...> <= 1,
                  "sqlitegraph: two checksum policies given to basic_graph_store");
    static_assert(policy_count<codec_policy_tag, Policies...> <= 1,
                  "sqlitegraph: two compression codec policies given to basic_graph_store");
    static_assert(policy_count<file_policy_tag, Policies...> <= 1,
                  "sqlitegraph: two file policies given to basic_graph_store");
    static_assert(policy_count<node_record_codec_tag, Policies...> <= 1,
                  "sqlitegraph: two record codecs given to basic_graph_store");
    static_assert(policy_count<node_page_codec_tag, Policies...> <= 1,
                  "sqlitegraph: two node page codecs given to basic_graph_store");

    using page_size_type = select_policy_t<page_size_policy_tag, page_size<4096>, Policies...>;
    using cache = select_policy_t<cache_policy_tag, s3fifo_cache, Policies...>;
    using checksum = select_policy_t<checksum_policy_tag, crc32c, Policies...>;
    using codec = select_policy_t<codec_policy_tag, identity_codec, Policies...>;
    using file_system = select_policy_t<file_policy_tag, posix_fs, Policies...>;
    using record_codec = select_policy_t<node_record_codec_tag, varint_record_codec, Policies...>;
    using page_codec = select_policy_t<node_page_codec_tag, delta_node_page_codec, Policies...>;

    static_assert(page_size_policy<page_size_type>,
                  "sqlitegraph: the page size must be a power of two from 1024 to 65536 bytes");
    static_assert(cache_policy<cache>, "sqlitegraph: the cache policy does not satisfy the cache_policy concept");
    static_assert(checksum_policy<checksum>, "sqlitegraph: the checksum policy does not satisfy checksum_policy");
    static_assert(compression_codec<codec>, "sqlitegraph: the codec policy does not satisfy compression_codec");
    static_assert(sqlitegraph::file_system<file_system>,
                  "sqlitegraph: the file policy does not satisfy the file_system concept");
    static_assert(node_record_codec<record_codec>, "sqlitegraph: the record codec does not satisfy node_record_codec");
    static_assert(node_page_codec<page_codec>, "sqlitegraph: the node page codec does not satisfy node_page_codec");

    // Derived constants.
    static constexpr std::size_t page_bytes = page_size_type::value;
    static constexpr std::size_t page_body_size = page_bytes - page_header_size;
};

} // namespace sqlitegraph
