/* Probe: what touching fresh anonymous memory costs on this machine. Maps
 * MIB MiB (advised for huge pages, as the page arena and big_allocator
 * advise theirs), writes one byte per 4 KiB page and prints the time per
 * 2 MiB and the slowest 2 MiB. Run it twice in a row: on this virtual
 * machine the first run pays for memory the host has to back (free memory
 * is handed back to the host after a while), the second mostly reuses
 * what the first touched.
 *
 *   cc -O2 benchmarks/probes/fresh_memory_touch.c -o /tmp/fresh_memory_touch
 *   /tmp/fresh_memory_touch 1024; /tmp/fresh_memory_touch 1024
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

int main(int argc, char** argv) {
    const size_t mib = argc > 1 ? (size_t)atol(argv[1]) : 1024;
    const size_t bytes = mib << 20, step = (size_t)2 << 20;
    char* p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    madvise(p, bytes, MADV_HUGEPAGE); /* advice only */
    const double start = now_ms();
    double worst = 0;
    for (size_t at = 0; at < bytes; at += step) {
        const double t = now_ms();
        for (size_t q = at; q < at + step; q += 4096) p[q] = 1;
        const double took = now_ms() - t;
        if (took > worst) worst = took;
    }
    const double total = now_ms() - start;
    printf("%zu MiB touched in %.1f ms: %.3f ms per 2 MiB, slowest 2 MiB %.2f ms\n", mib, total, total / (double)(bytes / step),
           worst);
    return 0;
}
