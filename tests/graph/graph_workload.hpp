// tests/graph/graph_workload.hpp — a deterministic graph workload with a
// model history, for the crash tests (the pattern of tests/pager/workload.hpp).
//
// Transaction k (k = 1, 2, ...) is planned by an RNG seeded from (seed, k)
// and the model state after k-1, so any process can recompute the history
// from the seed alone. Every transaction writes k into the properties of
// node 1 ({"txn":k}), which the workload never deletes: after a crash the
// database tells which transaction it holds, and the test compares it with
// history[k] and runs check().
#pragma once

#include "graph/graph_model.hpp"
#include "support/catch.hpp"

#include <cstdint>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

namespace sqlitegraph::testing {

class graph_workload {
  public:
    explicit graph_workload(std::uint64_t seed) : seed_(seed) { history_.emplace_back(); }

    [[nodiscard]] std::uint64_t committed() const { return history_.size() - 1; }

    // Runs transaction committed()+1 on db and commits it (or rolls it back).
    template <class Store> std::uint64_t run(Store& db, bool rollback = false) {
        const auto k = committed() + 1;
        graph_model next = history_.back();
        auto tx = db.begin_write();
        apply(k, next, &tx);
        if (rollback) {
            tx.rollback();
            return k;
        }
        // Recorded before commit: a commit cut short by a crash may or may
        // not be durable; truncate_to() drops it when recovery says so.
        history_.push_back(std::move(next));
        tx.commit();
        return k;
    }

    // Advances the model alone (to rebuild history in another process).
    void advance() {
        graph_model next = history_.back();
        apply<no_tx>(committed() + 1, next, nullptr);
        history_.push_back(std::move(next));
    }

    void truncate_to(std::uint64_t k) { history_.resize(k + 1); }

    // The transaction a database holds (0 before the first).
    template <class Store> static std::uint64_t held(Store& db) {
        auto marker = db.get_node(1);
        if (!marker) return 0;
        return static_cast<std::uint64_t>(*marker->template get<std::int64_t>("txn"));
    }

    // Checks the database holds exactly history[K] for its K and check()
    // passes. Returns K.
    template <class Store> std::uint64_t verify(Store& db) const {
        const auto k = held(db);
        REQUIRE(k < history_.size());
        {
            auto r = db.begin_read();
            compare_with_model(r, history_[k], false);
        }
        const auto report = db.check();
        for (const auto& p : report.problems)
            UNSCOPED_INFO(p);
        REQUIRE(report.ok());
        return k;
    }

  private:
    struct no_tx {};

    template <class Tx> void apply(std::uint64_t k, graph_model& m, Tx* tx) {
        constexpr bool live = !std::is_same_v<Tx, no_tx>;
        (void)tx;
        std::mt19937_64 rng(seed_ * 1000003 + k);
        const std::string marker = "{\"txn\":" + std::to_string(k) + "}";
        if (k == 1) {
            const auto id = m.insert_node({"meta", "txn", marker});
            if constexpr (live) {
                const auto got =
                    tx->insert_node({"meta", "txn", marker}); // outside REQUIRE: a simulated crash must propagate
                REQUIRE(got == id);
            }
        } else {
            m.nodes.at(1).properties = marker;
            if constexpr (live) tx->update_node(1, {.properties = marker});
        }
        const auto ops = 1 + rng() % 6;
        for (std::uint64_t op = 0; op < ops; ++op) {
            const auto choice = rng() % 100;
            auto pick = [&]() -> node_id {
                auto it = m.nodes.begin();
                std::advance(it, static_cast<long>(rng() % m.nodes.size()));
                return it->first;
            };
            if (choice < 40) {
                std::string props = "{\"v\":" + std::to_string(rng() % 1000) + "}";
                if (rng() % 30 == 0) props = "{\"blob\":\"" + std::string(2000 + rng() % 8000, 'b') + "\"}";
                const model_node n{"k" + std::to_string(rng() % 3), "n" + std::to_string(rng() % 50), props};
                const auto id = m.insert_node(n);
                if constexpr (live) {
                    const auto got = tx->insert_node({n.kind, n.name, n.properties});
                    REQUIRE(got == id);
                }
            } else if (choice < 75) {
                // Weights 0-4: the ones other than 1 go to the weight column too.
                const node_id from = pick(), to = pick();
                const std::string type = "t" + std::to_string(rng() % 3);
                const model_edge e{from, to, type, "{\"weight\":" + std::to_string(rng() % 5) + "}"};
                const auto id = m.insert_edge(e);
                if constexpr (live) {
                    const auto got = tx->insert_edge({e.from, e.to, e.type, e.properties});
                    REQUIRE(got == id);
                }
            } else if (choice < 85) {
                const auto id = pick();
                if (id == 1) continue;
                const std::string props = "{\"u\":" + std::to_string(k) + "}";
                m.nodes.at(id).properties = props;
                if constexpr (live) tx->update_node(id, {.properties = props});
            } else if (choice < 92) {
                const auto id = pick();
                if (id == 1) continue;
                m.erase_node(id);
                if constexpr (live) tx->erase_node(id);
            } else if (!m.edges.empty()) {
                auto it = m.edges.begin();
                std::advance(it, static_cast<long>(rng() % m.edges.size()));
                const auto id = it->first;
                m.edges.erase(it);
                if constexpr (live) tx->erase_edge(id);
            }
        }
    }

    std::uint64_t seed_;
    std::vector<graph_model> history_;
};

} // namespace sqlitegraph::testing
