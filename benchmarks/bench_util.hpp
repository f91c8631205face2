// benchmarks/bench_util.hpp — repeated timing, a text table and JSON output
// shared by the benchmark programs.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <unistd.h>
#include <vector>

namespace sqlitegraph::bench {

struct sample_stats {
    double median = 0, min = 0, max = 0;
};

inline sample_stats summarize(std::vector<double> samples) {
    std::sort(samples.begin(), samples.end());
    sample_stats s;
    if (samples.empty()) return s;
    s.min = samples.front();
    s.max = samples.back();
    const auto n = samples.size();
    s.median = n % 2 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
    return s;
}

// Runs fn `repeat` times; fn returns the measured value of one run.
inline sample_stats repeat_measure(int repeat, const std::function<double()>& fn) {
    std::vector<double> samples;
    for (int i = 0; i < repeat; ++i)
        samples.push_back(fn());
    return summarize(samples);
}

inline double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct row {
    std::string workload;
    std::string system;
    std::string unit;
    sample_stats value;
    double ratio = 0; // ours / peer where a peer exists, else 0
    std::string note;
};

class report {
  public:
    void add(row r) { rows_.push_back(std::move(r)); }

    void print() const {
        std::printf("%-34s %-16s %14s %14s %14s %-10s %8s  %s\n", "workload", "system", "median", "min", "max", "unit",
                    "ratio", "note");
        for (const auto& r : rows_) {
            std::printf("%-34s %-16s %14.3f %14.3f %14.3f %-10s ", r.workload.c_str(), r.system.c_str(), r.value.median,
                        r.value.min, r.value.max, r.unit.c_str());
            if (r.ratio > 0) {
                std::printf("%8.3f", r.ratio);
            } else {
                std::printf("%8s", "");
            }
            std::printf("  %s\n", r.note.c_str());
        }
    }

    void write_json(const std::string& path) const {
        std::ofstream out(path);
        out << "[\n";
        for (std::size_t i = 0; i < rows_.size(); ++i) {
            const auto& r = rows_[i];
            out << "  {\"workload\": \"" << r.workload << "\", \"system\": \"" << r.system << "\", \"unit\": \""
                << r.unit << "\", \"median\": " << r.value.median << ", \"min\": " << r.value.min
                << ", \"max\": " << r.value.max << ", \"ratio\": " << r.ratio << ", \"note\": \"" << r.note << "\"}"
                << (i + 1 < rows_.size() ? "," : "") << "\n";
        }
        out << "]\n";
    }

  private:
    std::vector<row> rows_;
};

// Minimal "--name value" parsing.
inline std::string arg_value(int argc, char** argv, const std::string& name, const std::string& fallback) {
    for (int i = 1; i + 1 < argc; ++i) {
        if (argv[i] == name) return argv[i + 1];
    }
    return fallback;
}

inline double mean_of(const std::vector<double>& v) {
    double sum = 0;
    for (const double x : v) sum += x;
    return v.empty() ? 0 : sum / static_cast<double>(v.size());
}

// The durability floor for L2-style workloads: microseconds of each raw
// 4 KiB pwrite + fdatasync on the file system that holds `path`. The writes
// go sequentially through a preallocated 4 MiB region and wrap, as a
// write-ahead log does between checkpoints, so every write overwrites
// existing file space (no allocation or metadata sync in the loop).
inline std::vector<double> raw_write_fdatasync_samples(const std::string& path, int count) {
    constexpr int region_blocks = 1024;
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        std::perror(path.c_str());
        std::exit(1); // a missing floor would make every ratio meaningless
    }
    std::vector<char> block(4096, 'x');
    for (int i = 0; i < region_blocks; ++i)
        (void)!::pwrite(fd, block.data(), block.size(), static_cast<off_t>(i) * 4096);
    ::fdatasync(fd);
    std::vector<double> us;
    us.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        const auto start = std::chrono::steady_clock::now();
        block[0] = static_cast<char>(i);
        (void)!::pwrite(fd, block.data(), block.size(), static_cast<off_t>(i % region_blocks) * 4096);
        ::fdatasync(fd);
        us.push_back(seconds_since(start) * 1e6);
    }
    ::close(fd);
    std::filesystem::remove(path);
    return us;
}

// The mean of raw_write_fdatasync_samples.
inline double raw_write_fdatasync_us(const std::string& path, int count) {
    return mean_of(raw_write_fdatasync_samples(path, count));
}

// True when "--name" appears among the arguments (a flag without a value).
inline bool has_flag(int argc, char** argv, const std::string& name) {
    for (int i = 1; i < argc; ++i) {
        if (argv[i] == name) return true;
    }
    return false;
}

} // namespace sqlitegraph::bench
