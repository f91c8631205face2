// tests/graph/graph_model.hpp — an in-memory reference model of the graph
// and a comparison of a store snapshot against it (every query the store
// answers, plus check()).
#pragma once

#include "sqlitegraph/graph/basic_graph_store.hpp"
#include "support/catch.hpp"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace sqlitegraph::testing {

struct model_node {
    std::string kind;
    std::string name;
    std::string properties; // canonical minified JSON
    friend bool operator==(const model_node&, const model_node&) = default;
};

struct model_edge {
    node_id from = 0;
    node_id to = 0;
    std::string type;
    std::string properties;
    friend bool operator==(const model_edge&, const model_edge&) = default;
};

struct graph_model {
    std::map<node_id, model_node> nodes;
    std::map<edge_id, model_edge> edges;
    node_id next_node = 1;
    edge_id next_edge = 1;

    node_id insert_node(model_node n) {
        nodes.emplace(next_node, std::move(n));
        return next_node++;
    }
    edge_id insert_edge(model_edge e) {
        edges.emplace(next_edge, std::move(e));
        return next_edge++;
    }
    void erase_node(node_id id) {
        nodes.erase(id);
        std::erase_if(edges, [&](const auto& e) { return e.second.from == id || e.second.to == id; });
    }

    // (neighbour, edge, dir) of a node, sorted by edge then dir.
    std::vector<std::tuple<edge_id, int, node_id>> adjacency(node_id id, direction dir,
                                                             const type_filter& types) const {
        std::vector<std::tuple<edge_id, int, node_id>> out;
        auto allowed = [&](const std::string& t) {
            return types.empty() || std::find(types.begin(), types.end(), t) != types.end();
        };
        for (const auto& [eid, e] : edges) {
            if (!allowed(e.type)) continue;
            if (dir != direction::in && e.from == id) out.emplace_back(eid, 0, e.to);
            if (dir != direction::out && e.to == id) out.emplace_back(eid, 1, e.from);
        }
        std::sort(out.begin(), out.end());
        return out;
    }

    std::map<node_id, std::uint32_t> distances(node_id start, std::uint32_t max_depth, direction dir,
                                               const type_filter& types) const {
        std::map<node_id, std::uint32_t> dist{{start, 0}};
        std::deque<node_id> queue{start};
        while (!queue.empty()) {
            const auto n = queue.front();
            queue.pop_front();
            if (dist[n] >= max_depth) continue;
            for (const auto& [e, d, m] : adjacency(n, dir, types)) {
                if (dist.emplace(m, dist[n] + 1).second) queue.push_back(m);
            }
        }
        return dist;
    }
};

inline bool glob_model(std::string_view p, std::string_view s) {
    if (p.empty()) return s.empty();
    if (p[0] == '*') return glob_model(p.substr(1), s) || (!s.empty() && glob_model(p, s.substr(1)));
    if (s.empty()) return false;
    return (p[0] == '?' || p[0] == s[0]) && glob_model(p.substr(1), s.substr(1));
}

// Compares every query of a snapshot with the model. `deep` adds the
// per-node traversal checks (slower).
template <class Reader> void compare_with_model(Reader& r, const graph_model& m, bool deep = true) {
    REQUIRE(r.node_count() == m.nodes.size());
    REQUIRE(r.edge_count() == m.edges.size());
    // Listing.
    const auto all = r.nodes();
    REQUIRE(all.size() == m.nodes.size());
    {
        auto it = m.nodes.begin();
        for (const auto& n : all) {
            REQUIRE(n.id == it->first);
            REQUIRE(n.kind == it->second.kind);
            REQUIRE(n.name == it->second.name);
            REQUIRE(n.properties() == it->second.properties);
            ++it;
        }
    }
    const auto all_edges = r.edges();
    REQUIRE(all_edges.size() == m.edges.size());
    {
        auto it = m.edges.begin();
        for (const auto& e : all_edges) {
            REQUIRE(e.id == it->first);
            REQUIRE(e.from == it->second.from);
            REQUIRE(e.to == it->second.to);
            REQUIRE(e.type == it->second.type);
            REQUIRE(e.properties() == it->second.properties);
            ++it;
        }
    }
    // Point lookups of live and dead ids.
    for (node_id id = 1; id <= m.next_node; ++id) {
        REQUIRE(r.node_exists(id) == (m.nodes.count(id) == 1));
    }
    for (edge_id id = 1; id <= m.next_edge; ++id) {
        auto e = r.get_edge(id);
        REQUIRE(e.has_value() == (m.edges.count(id) == 1));
    }
    // Indexes.
    std::map<std::string, std::vector<node_id>> by_kind, by_name;
    for (const auto& [id, n] : m.nodes) {
        by_kind[n.kind].push_back(id);
        by_name[n.name].push_back(id);
    }
    for (const auto& [kind, ids] : by_kind)
        REQUIRE(r.nodes_by_kind(kind) == ids);
    for (const auto& [name, ids] : by_name)
        REQUIRE(r.nodes_by_name(name) == ids);
    REQUIRE(r.nodes_by_kind("no-such-kind").empty());
    for (const std::string prefix : {"", "a", "b", "n1", "zz"}) {
        std::vector<node_id> expected;
        for (const auto& [name, ids] : by_name) {
            if (name.starts_with(prefix)) expected.insert(expected.end(), ids.begin(), ids.end());
        }
        REQUIRE(r.nodes_by_name_prefix(prefix) == expected);
    }
    for (const std::string glob : {"*", "a*", "*1", "n?", "?", "*b*", "a?c*"}) {
        std::vector<node_id> expected;
        for (const auto& [name, ids] : by_name) {
            if (glob_model(glob, name)) expected.insert(expected.end(), ids.begin(), ids.end());
        }
        INFO("glob " << glob);
        REQUIRE(r.nodes_by_name_glob(glob) == expected);
    }
    // Adjacency and degrees.
    std::set<std::string> types;
    for (const auto& [id, e] : m.edges)
        types.insert(e.type);
    for (const auto& [id, n] : m.nodes) {
        for (const auto dir : {direction::out, direction::in, direction::both}) {
            for (const type_filter& filter : {type_filter{}, type_filter{"t0"}, type_filter{"t1", "t2"}}) {
                const auto expected = m.adjacency(id, dir, filter);
                auto got = r.neighbors(id, dir, filter);
                std::vector<std::tuple<edge_id, int, node_id>> got_keys;
                for (const auto& nb : got) {
                    got_keys.emplace_back(nb.edge, nb.dir == direction::out ? 0 : 1, nb.node);
                    REQUIRE(nb.type == m.edges.at(nb.edge).type);
                }
                std::sort(got_keys.begin(), got_keys.end());
                INFO("node " << id << " dir " << static_cast<int>(dir));
                REQUIRE(got_keys == expected);
                REQUIRE(r.degree(id, dir, filter) == expected.size());
            }
        }
    }
    if (!deep) return;
    // Traversals from a few nodes.
    int probes = 0;
    for (const auto& [id, n] : m.nodes) {
        if (++probes > 6) break;
        for (const auto dir : {direction::out, direction::both}) {
            const auto dist = m.distances(id, 3, dir, {});
            auto got = r.bfs(id, 3, dir);
            std::map<node_id, std::uint32_t> got_dist;
            for (const auto& e : got)
                REQUIRE(got_dist.emplace(e.node, e.depth).second);
            REQUIRE(got_dist == dist);
            std::vector<node_id> hop;
            for (const auto& [node, d] : m.distances(id, 2, dir, {"t0"})) {
                if (d > 0) hop.push_back(node);
            }
            REQUIRE(r.k_hop(id, 2, dir, {"t0"}) == hop);
            // Shortest path to every node: length equals the BFS distance and
            // every hop is an edge.
            const auto full = m.distances(id, UINT32_MAX, dir, {});
            int targets = 0;
            for (const auto& [other, o] : m.nodes) {
                if (++targets > 10) break;
                auto path = r.shortest_path(id, other, dir);
                auto it = full.find(other);
                REQUIRE(path.has_value() == (it != full.end()));
                if (!path) continue;
                REQUIRE(path->size() == it->second + 1);
                REQUIRE(path->front() == id);
                REQUIRE(path->back() == other);
                for (std::size_t i = 0; i + 1 < path->size(); ++i) {
                    bool hop_ok = false;
                    for (const auto& [e, d, nb] : m.adjacency((*path)[i], dir, {}))
                        hop_ok |= nb == (*path)[i + 1];
                    REQUIRE(hop_ok);
                }
            }
        }
        // chain: out t0 -> any, then in any -> kind k1
        std::set<node_id> step1, step2;
        for (const auto& [e, d, nb] : m.adjacency(id, direction::out, {"t0"}))
            step1.insert(nb);
        for (const auto s : step1) {
            for (const auto& [e, d, nb] : m.adjacency(s, direction::in, {})) {
                if (m.nodes.at(nb).kind == "k1") step2.insert(nb);
            }
        }
        const std::vector<chain_step> steps{{direction::out, {"t0"}, ""}, {direction::in, {}, "k1"}};
        REQUIRE(r.chain(id, steps) == std::vector<node_id>(step2.begin(), step2.end()));
    }
    // Pattern: roots of kind k0 with an out t1 leg and an in leg to kind k2.
    std::vector<pattern_match> expected;
    for (const auto& [id, n] : m.nodes) {
        if (n.kind != "k0") continue;
        std::set<node_id> leg1, leg2;
        for (const auto& [e, d, nb] : m.adjacency(id, direction::out, {"t1"}))
            leg1.insert(nb);
        for (const auto& [e, d, nb] : m.adjacency(id, direction::in, {})) {
            if (m.nodes.at(nb).kind == "k2") leg2.insert(nb);
        }
        for (auto a : leg1)
            for (auto b : leg2)
                expected.push_back({id, {a, b}});
    }
    pattern p;
    p.root_kind = "k0";
    p.legs = {{direction::out, {"t1"}, ""}, {direction::in, {}, "k2"}};
    auto got = r.match(p);
    std::sort(got.begin(), got.end());
    REQUIRE(got == expected);
}

} // namespace sqlitegraph::testing
