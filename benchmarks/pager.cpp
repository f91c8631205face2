// Storage-engine benchmarks (issue: pager):
//   commit latency   durable one-page commits vs a raw 4 KiB pwrite+fdatasync
//                    loop on the same disk, interleaved, as a ratio
//   cache            hit path and miss path in pages/s; hit ratio of each
//                    cache policy on a scan-polluted access pattern
//   checkpoint       MB/s copying a 64 MiB log into the main file
//   recovery         time to open a database with a 64 MiB log
//   crc32c           ns per 4 KiB page, hardware (three streams) and portable
// Usage: bench_pager [--dir DIR] [--repeat N] [--commits N] [--log-mib N] [--json FILE]
#include "sqlitegraph/pager/pager.hpp"

#include "bench_util.hpp"
#include "sqlitegraph/core/crc32c.hpp"
#include "sqlitegraph/core/endian.hpp"
#include "sqlitegraph/graph/store_policies.hpp"

#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

using namespace sqlitegraph;
using namespace sqlitegraph::bench;

namespace {
template <class Cache = s3fifo_cache> using disk_pager = pager<store_policies<posix_fs, Cache>>;

void remove_db(const std::string& path) {
    std::filesystem::remove(path);
    std::filesystem::remove(path + "-wal");
}

// Per-commit microseconds of durable one-page write transactions.
std::vector<double> commit_us(disk_pager<>& db, page_id id, int count) {
    std::vector<double> us;
    for (int i = 0; i < count; ++i) {
        const auto start = std::chrono::steady_clock::now();
        auto tx = db.begin_write();
        store_le<std::uint64_t>(tx.write(id).data() + page_header_size, static_cast<std::uint64_t>(i));
        tx.commit();
        us.push_back(seconds_since(start) * 1e6);
    }
    return us;
}

template <class Cache> double policy_hit_ratio() {
    page_cache<Cache> cache(1000);
    std::mt19937_64 rng(9);
    std::uint64_t hits = 0, lookups = 0;
    cache_key scan = 1ull << 40;
    for (int i = 0; i < 400000; ++i) {
        // 80% of accesses go to a hot set that fits; every 5th access is
        // part of a long one-time scan.
        const cache_key key = i % 5 == 4 ? scan++ : rng() % 800;
        ++lookups;
        if (cache.find(key)) {
            ++hits;
        } else {
            cache.insert(key, make_page_buffer(64));
        }
    }
    return static_cast<double>(hits) / static_cast<double>(lookups);
}
} // namespace

int main(int argc, char** argv) {
    const std::string dir = arg_value(argc, argv, "--dir", std::filesystem::temp_directory_path().string());
    const int repeat = std::stoi(arg_value(argc, argv, "--repeat", "5"));
    const int commits = std::stoi(arg_value(argc, argv, "--commits", "200"));
    const int log_mib = std::stoi(arg_value(argc, argv, "--log-mib", "64"));
    const std::string json = arg_value(argc, argv, "--json", "");
    report out;

    // --- durable commit latency, interleaved with the raw loop -------------
    {
        const auto path = dir + "/bench-commit.db";
        remove_db(path);
        disk_pager<> db(path);
        page_id id;
        {
            auto tx = db.begin_write();
            id = tx.allocate(page_type::meta).id();
            tx.commit();
        }
        // Steady state: commit until the log has filled, been checkpointed
        // and reset once, so its space exists and is reused (a new log is
        // extended in 1 MiB zeroed chunks the first time round, see
        // prepare_log_space); the measured commits then include their share
        // of the periodic checkpoints, as they would in a long-running program.
        while (db.stats().log_resets == 0) commit_us(db, id, 100);
        // Per run: the mean (what a loop of commits costs, checkpoints
        // included) and the median (the latency of one commit) of each side.
        std::vector<double> ours_mean, raw_mean, ours_p50, raw_p50, mean_ratios, p50_ratios;
        for (int r = 0; r < repeat; ++r) {
            const auto raw = raw_write_fdatasync_samples(dir + "/bench-raw", commits);
            const auto ours = commit_us(db, id, commits);
            raw_mean.push_back(mean_of(raw));
            ours_mean.push_back(mean_of(ours));
            raw_p50.push_back(summarize(raw).median);
            ours_p50.push_back(summarize(ours).median);
            mean_ratios.push_back(ours_mean.back() / raw_mean.back());
            p50_ratios.push_back(ours_p50.back() / raw_p50.back());
        }
        out.add({"L2-style durable 1-page commit, mean", "sqlitegraph", "us/commit", summarize(ours_mean),
                 summarize(mean_ratios).median, "checkpoints included"});
        out.add({"L2-style durable 1-page commit, mean", "raw pwrite+fdatasync", "us/write", summarize(raw_mean), 0, ""});
        out.add({"L2-style durable 1-page commit, median", "sqlitegraph", "us/commit", summarize(ours_p50),
                 summarize(p50_ratios).median, "per-run median latency"});
        out.add({"L2-style durable 1-page commit, median", "raw pwrite+fdatasync", "us/write", summarize(raw_p50), 0, ""});
        db.close();
        remove_db(path);
    }

    // --- cache hit and miss paths ---------------------------------------------
    {
        const auto path = dir + "/bench-cache.db";
        remove_db(path);
        pager_options options;
        options.cache_pages = 20000;
        disk_pager<> db(path, options);
        std::vector<page_id> pages;
        {
            auto tx = db.begin_write();
            for (int i = 0; i < 16384; ++i)
                pages.push_back(tx.allocate(page_type::meta).id());
            tx.commit();
        }
        db.checkpoint();
        std::mt19937_64 rng(3);
        auto reads_per_second = [&](disk_pager<>& target, int count) {
            auto r = target.begin_read();
            std::uint64_t sink = 0;
            const auto start = std::chrono::steady_clock::now();
            for (int i = 0; i < count; ++i)
                sink += static_cast<std::uint64_t>(r.read(pages[rng() % pages.size()]).data()[20]);
            const auto s = seconds_since(start);
            if (sink == 42) std::puts("");
            return count / s;
        };
        reads_per_second(db, 200000); // warm: every page cached
        out.add({"page cache hit path", "sqlitegraph", "pages/s",
                 repeat_measure(repeat, [&] { return reads_per_second(db, 1000000); }), 0, "s3fifo, 16K pages cached"});
        db.close();
        // Miss path: a one-page cache, so every read goes to the OS (page
        // cache of the kernel: warm file, no disk) and is verified.
        pager_options tiny;
        tiny.cache_pages = 1;
        disk_pager<> cold(path, tiny);
        out.add({"page cache miss path", "sqlitegraph", "pages/s",
                 repeat_measure(repeat, [&] { return reads_per_second(cold, 100000); }), 0, "pread + crc32c verify"});
        cold.close();
        remove_db(path);
    }
    out.add({"hit ratio, scan-polluted", "lru_cache", "ratio", summarize({policy_hit_ratio<lru_cache>()}), 0, ""});
    out.add({"hit ratio, scan-polluted", "clock_cache", "ratio", summarize({policy_hit_ratio<clock_cache>()}), 0, ""});
    out.add({"hit ratio, scan-polluted", "s3fifo_cache", "ratio", summarize({policy_hit_ratio<s3fifo_cache>()}), 0,
             "default"});

    // --- CRC-32C of one 4 KiB page (every page write and every verified read) --
    {
        std::vector<std::byte> page(4096);
        std::mt19937_64 bytes_rng(5);
        for (auto& b : page)
            b = static_cast<std::byte>(bytes_rng());
        auto ns_per_page = [&](crc32c_impl impl) {
            constexpr int count = 200000;
            std::uint32_t sink = 0;
            const auto start = std::chrono::steady_clock::now();
            for (int i = 0; i < count; ++i) {
                page[0] = static_cast<std::byte>(i);
                sink ^= crc32c_extend(0, page, impl);
            }
            const auto s = seconds_since(start);
            if (sink == 42) std::puts("");
            return s / count * 1e9;
        };
        if (crc32c_hardware_available()) {
            out.add({"crc32c of a 4 KiB page", "sse4.2, three streams", "ns",
                     repeat_measure(repeat, [&] { return ns_per_page(crc32c_impl::hardware); }), 0, "the default"});
        }
        out.add({"crc32c of a 4 KiB page", "portable slice-by-8", "ns",
                 repeat_measure(repeat, [&] { return ns_per_page(crc32c_impl::portable); }), 0, ""});
    }

    // --- checkpoint throughput and recovery time with a big log ----------------
    {
        const auto path = dir + "/bench-log.db";
        const int pages = log_mib * 1024 * 1024 / 4096;
        std::vector<double> checkpoint_mbps, recovery_ms;
        for (int r = 0; r < repeat; ++r) {
            remove_db(path);
            pager_options options;
            options.checkpoint_threshold_bytes = 0;
            {
                auto db = std::make_unique<disk_pager<>>(path, options);
                auto tx = db->begin_write();
                for (int i = 0; i < pages; ++i)
                    tx.allocate(page_type::meta);
                tx.commit();
                // Leave the log full: copy the files aside as a kill would.
                std::filesystem::copy_file(path, path + ".crash", std::filesystem::copy_options::overwrite_existing);
                std::filesystem::copy_file(path + "-wal", path + ".crash-wal",
                                           std::filesystem::copy_options::overwrite_existing);
                const auto start = std::chrono::steady_clock::now();
                db->checkpoint();
                checkpoint_mbps.push_back(pages * 4096.0 / (1024 * 1024) / seconds_since(start));
            }
            remove_db(path);
            std::filesystem::rename(path + ".crash", path);
            std::filesystem::rename(path + ".crash-wal", path + "-wal");
            const auto start = std::chrono::steady_clock::now();
            disk_pager<> recovered(path, options);
            recovery_ms.push_back(seconds_since(start) * 1000);
            if (recovered.stats().page_count != static_cast<std::uint32_t>(pages + 1)) {
                std::fprintf(stderr, "recovery lost pages\n");
                return 1;
            }
            recovered.close();
        }
        remove_db(path);
        out.add({"checkpoint of a " + std::to_string(log_mib) + " MiB log", "sqlitegraph", "MB/s",
                 summarize(checkpoint_mbps), 0, "includes fdatasync"});
        out.add({"R1 recovery, " + std::to_string(log_mib) + " MiB log", "sqlitegraph", "ms", summarize(recovery_ms), 0,
                 "reopen after kill"});
    }

    out.print();
    if (!json.empty()) out.write_json(json);
    return 0;
}
