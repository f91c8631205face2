// sqlitegraph/sqlitegraph.hpp — everything a user needs, in one include.
// Each header below also compiles on its own.
#pragma once

#include "sqlitegraph/version.hpp"

#include "sqlitegraph/core/bytes.hpp"
#include "sqlitegraph/core/checksum.hpp"
#include "sqlitegraph/core/crc32c.hpp"
#include "sqlitegraph/core/delta.hpp"
#include "sqlitegraph/core/endian.hpp"
#include "sqlitegraph/core/error.hpp"
#include "sqlitegraph/core/page_size.hpp"
#include "sqlitegraph/core/policy_pack.hpp"
#include "sqlitegraph/core/varint.hpp"

#include "sqlitegraph/io/fault_file.hpp"
#include "sqlitegraph/io/file.hpp"
#include "sqlitegraph/io/memory_file.hpp"
#include "sqlitegraph/io/posix_file.hpp"

#include "sqlitegraph/pager/cache_policy.hpp"
#include "sqlitegraph/pager/page_access.hpp"
#include "sqlitegraph/pager/page_format.hpp"
#include "sqlitegraph/pager/pager.hpp"

#include "sqlitegraph/btree/btree.hpp"

#include "sqlitegraph/codec/compression.hpp"

#include "sqlitegraph/graph/basic_graph_store.hpp"

#include "sqlitegraph/algo/algorithms.hpp"

#include "sqlitegraph/vector/persistent.hpp"
#include "sqlitegraph/vector/vector.hpp"
