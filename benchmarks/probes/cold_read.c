/* Probe: what a random 4 KiB pread costs when the file's pages are not in
 * the OS page cache (check with `fincore FILE`), and at once again when
 * they are. 200 reads at pseudo-random page numbers. Not built by CMake:
 *
 *   cc -O2 benchmarks/probes/cold_read.c -o /tmp/cold_read
 *   fincore FILE; /tmp/cold_read FILE; /tmp/cold_read FILE
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { page = 4096, reads = 200 };

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

int main(int argc, char** argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 1;
    }
    const int fd = open(argv[1], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size < page) {
        perror(argv[1]);
        return 1;
    }
    const long pages = (long)(st.st_size / page);
    char buf[page];
    srand(1);
    double total = 0;
    for (int i = 0; i < reads; ++i) {
        const long at = ((long)rand() * 7919) % pages;
        const double start = now_us();
        if (pread(fd, buf, page, (off_t)at * page) != page) {
            perror("pread");
            return 1;
        }
        total += now_us() - start;
    }
    printf("%d random 4 KiB preads: mean %.1f us\n", reads, total / reads);
    return 0;
}
