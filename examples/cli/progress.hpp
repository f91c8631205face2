// examples/cli/progress.hpp — a progress bar on stderr, only on a terminal.
//
// When stderr is not a terminal (scripts, tests, CI) the bar prints nothing
// at all, so machine output and logs stay clean. On a terminal it redraws
// at most ten times a second: label, bar, percentage, rate and ETA.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <unistd.h>

namespace sqlitegraph::cli {

class progress {
  public:
    // total == 0: unknown total (no bar, no ETA; count and rate only).
    progress(std::string label, std::uint64_t total, std::string unit = "")
        : label_(std::move(label)), unit_(std::move(unit)), total_(total), enabled_(::isatty(2) == 1),
          start_(clock::now()), last_(start_) {}
    progress(const progress&) = delete;
    progress& operator=(const progress&) = delete;
    ~progress() { finish(); }

    [[nodiscard]] bool enabled() const noexcept { return enabled_; }

    void update(std::uint64_t done) {
        done_ = done;
        if (!enabled_) return;
        const auto now = clock::now();
        if (now - last_ < std::chrono::milliseconds(100)) return;
        last_ = now;
        draw(now);
    }

    // Draws the final state and ends the line (once).
    void finish() {
        if (!enabled_ || finished_) return;
        finished_ = true;
        if (total_) done_ = std::max(done_, total_);
        draw(clock::now());
        std::fputc('\n', stderr);
        std::fflush(stderr);
    }

  private:
    using clock = std::chrono::steady_clock;

    static std::string human(double v) {
        char buf[32];
        if (v >= 1e9) std::snprintf(buf, sizeof buf, "%.1fG", v / 1e9);
        else if (v >= 1e6) std::snprintf(buf, sizeof buf, "%.1fM", v / 1e6);
        else if (v >= 1e3) std::snprintf(buf, sizeof buf, "%.1fK", v / 1e3);
        else std::snprintf(buf, sizeof buf, "%.0f", v);
        return buf;
    }

    void draw(clock::time_point now) {
        const double secs = std::chrono::duration<double>(now - start_).count();
        const double rate = secs > 0 ? static_cast<double>(done_) / secs : 0;
        std::string line = "\r" + label_ + " ";
        if (total_) {
            const double frac = std::min(1.0, static_cast<double>(done_) / static_cast<double>(total_));
            const int width = 30;
            const int filled = static_cast<int>(frac * width);
            line += "[" + std::string(static_cast<std::size_t>(filled), '#') +
                    std::string(static_cast<std::size_t>(width - filled), ' ') + "] ";
            char pct[16];
            std::snprintf(pct, sizeof pct, "%3.0f%% ", frac * 100);
            line += pct;
            line += human(rate) + unit_ + "/s";
            if (rate > 0 && done_ < total_) {
                const auto eta = static_cast<long>(static_cast<double>(total_ - done_) / rate);
                char buf[32];
                std::snprintf(buf, sizeof buf, " ETA %ld:%02ld", eta / 60, eta % 60);
                line += buf;
            }
        } else {
            line += human(static_cast<double>(done_)) + unit_ + " " + human(rate) + unit_ + "/s";
        }
        line += "   ";
        std::fputs(line.c_str(), stderr);
        std::fflush(stderr);
    }

    std::string label_, unit_;
    std::uint64_t total_ = 0, done_ = 0;
    bool enabled_ = false, finished_ = false;
    clock::time_point start_, last_;
};

} // namespace sqlitegraph::cli
