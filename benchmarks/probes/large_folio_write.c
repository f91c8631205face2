/* Probe: does the way a file was first written change the cost of later
 * one-page overwrites + fdatasync? (Linux large page-cache folios.)
 *
 * Prepares a 4 MiB file with zero writes of CHUNK bytes, syncs it, then
 * times 1,000 rounds of "pwrite 4 KiB + fdatasync" (and, without sync,
 * the buffered write alone) cycling through the file, three times.
 *
 *   cc -O2 benchmarks/probes/large_folio_write.c -o /tmp/large_folio_write
 *   /tmp/large_folio_write DIR 4096      # prepared one page per write
 *   /tmp/large_folio_write DIR 1048576   # prepared in 1 MiB writes
 *
 * On the build machine (ext4, Linux 6.18) the second was about 65 us per
 * write + fdatasync against 55 us, and 4.6 us against 1.3 us per buffered
 * write: why posix_file::write_zeros extends the log one page per write. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

int main(int argc, char** argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s DIR CHUNK_BYTES\n", argv[0]);
        return 2;
    }
    const long chunk = atol(argv[2]);
    const long file_bytes = 4L << 20;
    if (chunk <= 0 || chunk > (1L << 20) || file_bytes % chunk != 0) {
        fprintf(stderr, "CHUNK_BYTES must divide 4 MiB and be at most 1 MiB\n");
        return 2;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/large_folio_probe", argv[1]);
    const int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        perror(path);
        return 1;
    }
    char* zeros = calloc(1, (size_t)chunk);
    for (long at = 0; at < file_bytes; at += chunk)
        if (pwrite(fd, zeros, (size_t)chunk, at) != chunk) return 1;
    fdatasync(fd);
    char page[4096];
    memset(page, 'x', sizeof page);
    const int rounds = 1000;
    for (int sync = 0; sync <= 1; ++sync) {
        for (int r = 0; r < 3; ++r) {
            const double start = now_us();
            for (int i = 0; i < rounds; ++i) {
                page[0] = (char)i;
                if (pwrite(fd, page, sizeof page, (long)(i % 1024) * 4096) != (ssize_t)sizeof page) return 1;
                if (sync) fdatasync(fd);
            }
            printf("prepared in %ld-byte writes: %s %.2f us per round\n", chunk,
                   sync ? "4 KiB pwrite + fdatasync" : "4 KiB pwrite (no sync)", (now_us() - start) / rounds);
        }
    }
    close(fd);
    unlink(path);
    free(zeros);
    return 0;
}
