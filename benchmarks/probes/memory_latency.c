/* Probe: the cost of one dependent memory miss on this machine, with 4 KiB
 * pages and with transparent huge pages (MADV_HUGEPAGE).
 *
 * A random cyclic pointer chase over MIB mebibytes, one pointer per 64-byte
 * line; prints nanoseconds per step.
 *
 *   cc -O2 benchmarks/probes/memory_latency.c -o /tmp/memory_latency
 *   /tmp/memory_latency 160 0   # 160 MiB (the leaves of a 10 M-key B+Tree), 4 KiB pages
 *   /tmp/memory_latency 160 1   # the same with huge pages
 *
 * On the build machine: about 280 ns (4 KiB pages) and 160 ns (huge pages)
 * per miss over 160 MiB, 140 ns over 8 MiB: the floor under a warm B+Tree
 * lookup that needs at least two dependent misses. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

int main(int argc, char** argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s MIB HUGE(0|1)\n", argv[0]);
        return 2;
    }
    const size_t bytes = (size_t)atol(argv[1]) << 20;
    const size_t lines = bytes / 64;
    if (lines < 2) return 2;
    char* area = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (area == MAP_FAILED) return 1;
    madvise(area, bytes, atoi(argv[2]) ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
    size_t* order = malloc(lines * sizeof *order);
    for (size_t i = 0; i < lines; ++i) order[i] = i;
    uint64_t state = 88172645463325252ull; /* xorshift64: a fixed shuffle */
    for (size_t i = lines - 1; i > 0; --i) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        const size_t j = state % (i + 1);
        const size_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (size_t i = 0; i < lines; ++i) *(char**)(area + order[i] * 64) = area + order[(i + 1) % lines] * 64;
    char* p = area;
    const int steps = 5000000;
    const double start = now_ns();
    for (int i = 0; i < steps; ++i) p = *(char**)p;
    printf("%s MiB, huge pages %s: %.1f ns per dependent miss (end %p)\n", argv[1], atoi(argv[2]) ? "on" : "off",
           (now_ns() - start) / steps, (void*)p);
    free(order);
    return 0;
}
