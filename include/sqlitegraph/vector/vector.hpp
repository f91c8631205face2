// sqlitegraph/vector/vector.hpp — everything of the vector layer: HNSW
// indexes over element storage, distance kernels, the data generator.
#pragma once

#include "sqlitegraph/vector/brute_force.hpp"
#include "sqlitegraph/vector/catalog.hpp"
#include "sqlitegraph/vector/distance.hpp"
#include "sqlitegraph/vector/generate.hpp"
#include "sqlitegraph/vector/hnsw.hpp"
#include "sqlitegraph/vector/layout.hpp"
#include "sqlitegraph/vector/metric.hpp"
#include "sqlitegraph/vector/page_storage.hpp"
#include "sqlitegraph/vector/params.hpp"
#include "sqlitegraph/vector/persistent.hpp"
#include "sqlitegraph/vector/random.hpp"
#include "sqlitegraph/vector/storage.hpp"
#include "sqlitegraph/vector/visited.hpp"
