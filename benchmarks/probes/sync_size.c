/* Probe: how much does the size of one sequential write change the cost of
 * "pwrite + fdatasync"? (A one-edge commit logs four pages, 16 KiB, where
 * the L2 raw loop writes one, 4 KiB.)
 *
 * Prepares a 5 MiB file one page per write and syncs it, then runs ROUNDS
 * rounds, each timing one pwrite + fdatasync of 4, 8, 12 and 16 KiB in
 * turn, going sequentially through the file and wrapping (overwrites, as
 * the log between checkpoints). Interleaving the sizes puts each size
 * through the same moments of the disk. Prints p10, median, mean and p90
 * per size.
 *
 *   cc -O2 benchmarks/probes/sync_size.c -o /tmp/sync_size
 *   /tmp/sync_size DIR [ROUNDS=300]
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { page = 4096, file_pages = 1280, sizes = 4 };

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int by_value(const void* a, const void* b) {
    const double x = *(const double*)a, y = *(const double*)b;
    return (x > y) - (x < y);
}

int main(int argc, char** argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s DIR [ROUNDS=300]\n", argv[0]);
        return 1;
    }
    const int rounds = argc > 2 ? atoi(argv[2]) : 300;
    char path[4096];
    snprintf(path, sizeof path, "%s/sync-size-probe", argv[1]);
    const int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || rounds <= 0) {
        perror(path);
        return 1;
    }
    static char block[4 * page];
    for (int i = 0; i < file_pages; ++i)
        if (pwrite(fd, block, page, (off_t)i * page) != page) return 1;
    fdatasync(fd);
    memset(block, 'x', sizeof block);
    double* times = malloc(sizeof(double) * (size_t)rounds * sizes);
    if (times == NULL) return 1;
    off_t offset = 0;
    for (int r = 0; r < rounds; ++r) {
        for (int k = 0; k < sizes; ++k) {
            const size_t bytes = (size_t)(k + 1) * page;
            if (offset + (off_t)bytes > (off_t)file_pages * page) offset = 0;
            block[0] = (char)r;
            const double start = now_us();
            if (pwrite(fd, block, bytes, offset) != (ssize_t)bytes) return 1;
            fdatasync(fd);
            times[k * rounds + r] = now_us() - start;
            offset += (off_t)bytes;
        }
    }
    for (int k = 0; k < sizes; ++k) {
        double* t = times + k * rounds;
        double sum = 0;
        for (int r = 0; r < rounds; ++r)
            sum += t[r];
        qsort(t, (size_t)rounds, sizeof(double), by_value);
        printf("%2d KiB write + fdatasync: p10 %.0f us, median %.0f us, mean %.0f us, p90 %.0f us\n", (k + 1) * 4,
               t[rounds / 10], t[rounds / 2], sum / rounds, t[rounds * 9 / 10]);
    }
    free(times);
    close(fd);
    unlink(path);
    return 0;
}
