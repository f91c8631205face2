/* Probe: what the first touch of fresh anonymous memory costs here, with
 * 4 KiB pages and with 2 MiB blocks advised for transparent huge pages
 * (MADV_HUGEPAGE, as algo/big_allocator.hpp and pager/page_arena.hpp do).
 * On a virtual machine the guest's page fault is followed, for memory the
 * host has not backed (or has taken back), by the host's own, so the cost
 * varies from run to run; the bulk loader's and snapshot_csr's big arrays
 * pay it once per page they touch.
 *
 * Each round maps MIB MiB, writes one byte per 4 KiB (the faults and the
 * kernel's zeroing), then writes every byte again (memset: the same bytes,
 * no faults), and frees it; the two modes alternate. Not built by CMake:
 *
 *   cc -O2 benchmarks/probes/page_touch.c -o /tmp/page_touch
 *   /tmp/page_touch [MIB=700] [ROUNDS=6]
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char** argv) {
    const size_t mib = argc > 1 ? (size_t)atoi(argv[1]) : 700;
    const int rounds = argc > 2 ? atoi(argv[2]) : 6;
    const size_t bytes = mib << 20, huge = (size_t)2 << 20;
    for (int r = 0; r < rounds; ++r) {
        for (int advise = 0; advise < 2; ++advise) {
            char* p = aligned_alloc(huge, bytes);
            if (!p) return 1;
            if (advise) madvise(p, bytes, MADV_HUGEPAGE);
            const double t0 = now();
            for (size_t i = 0; i < bytes; i += 4096) p[i] = 1;
            const double t1 = now();
            memset(p, 2, bytes);
            const double t2 = now();
            printf("round %d, %s: first touch %.1f ms (%.2f GB/s, %.2f us per 4 KiB), memset after %.1f ms\n", r,
                   advise ? "2 MiB advised" : "4 KiB pages  ", (t1 - t0) * 1e3, (double)bytes / (t1 - t0) / 1e9,
                   (t1 - t0) * 1e6 / (double)(bytes / 4096), (t2 - t1) * 1e3);
            free(p);
        }
    }
    return 0;
}
