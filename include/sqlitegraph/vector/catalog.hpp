// sqlitegraph/vector/catalog.hpp — named vector indexes.
//
// Owns: the map from index name to index. Invariant: names are unique and
// non-empty; an index's params().name equals its key here. Unknown names are
// errc::not_found, a second create of a name errc::invalid_argument, each
// message naming the index.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sqlitegraph/core/error.hpp"
#include "sqlitegraph/vector/hnsw.hpp"

namespace sqlitegraph::vector {

template <element_storage Storage = memory_storage>
class basic_vector_catalog {
public:
    using index_type = basic_hnsw_index<Storage>;

    index_type& create(hnsw_params params) {
        if (indexes_.count(params.name))
            fail(errc::invalid_argument, "vector index '" + params.name + "' already exists");
        auto index = std::make_unique<index_type>(params);
        auto& slot = indexes_[params.name];
        slot = std::move(index);
        return *slot;
    }

    index_type& get(const std::string& name) { return *find(name); }
    const index_type& get(const std::string& name) const { return *find(name); }
    bool contains(const std::string& name) const { return indexes_.count(name) != 0; }

    void drop(const std::string& name) {
        find(name);
        indexes_.erase(name);
    }

    std::vector<std::string> names() const {
        std::vector<std::string> out;
        for (const auto& entry : indexes_) out.push_back(entry.first);
        return out;
    }

private:
    index_type* find(const std::string& name) const {
        const auto it = indexes_.find(name);
        if (it == indexes_.end()) fail(errc::not_found, "no vector index named '" + name + "'");
        return it->second.get();
    }

    std::map<std::string, std::unique_ptr<index_type>> indexes_;
};

using vector_catalog = basic_vector_catalog<memory_storage>;

} // namespace sqlitegraph::vector
