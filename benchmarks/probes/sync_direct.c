/* Probe: does writing a one-edge commit's 16 KiB of log frames with O_DIRECT
 * bring "write + sync" closer to L2's raw loop (a 4 KiB buffered pwrite at
 * one offset + fdatasync)? Five forms, interleaved so each meets the same
 * moments of the disk: the raw loop's; 16 KiB buffered, going through a
 * prepared file, + fdatasync (what a commit does now); 16 KiB O_DIRECT +
 * fdatasync; 16 KiB and 4 KiB O_DIRECT with pwritev2(RWF_DSYNC). Prints
 * p10, median, mean and p90 of each.
 *
 *   cc -O2 benchmarks/probes/sync_direct.c -o /tmp/sync_direct
 *   /tmp/sync_direct DIR ROUNDS
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/uio.h>
enum { page = 4096, file_pages = 1280, modes = 5 };
static double now_us(void) { struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts); return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3; }
static int by_value(const void* a, const void* b) { const double x = *(const double*)a, y = *(const double*)b; return (x > y) - (x < y); }
int main(int argc, char** argv) {
    if (argc < 3 || atoi(argv[2]) <= 0) {
        fprintf(stderr, "usage: %s DIR ROUNDS\n", argv[0]);
        return 1;
    }
    const int rounds = atoi(argv[2]);
    char p1[4096], p2[4096], p3[4096];
    snprintf(p1, sizeof p1, "%s/dio-raw", argv[1]); snprintf(p2, sizeof p2, "%s/dio-buf", argv[1]); snprintf(p3, sizeof p3, "%s/dio-direct", argv[1]);
    int raw = open(p1, O_RDWR|O_CREAT|O_TRUNC, 0644), buf = open(p2, O_RDWR|O_CREAT|O_TRUNC, 0644), dir = open(p3, O_RDWR|O_CREAT|O_TRUNC, 0644);
    char* block = NULL;
    if (posix_memalign((void**)&block, 4096, 4 * page) != 0) return 1;
    memset(block, 0, 4 * page);
    for (int i = 0; i < file_pages; ++i) { pwrite(buf, block, page, (off_t)i*page); pwrite(dir, block, page, (off_t)i*page); }
    pwrite(raw, block, page, 0);
    fdatasync(raw); fdatasync(buf); fdatasync(dir); close(dir);
    int d = open(p3, O_RDWR|O_DIRECT);
    if (d < 0) { perror("odirect"); return 1; }
    double* times = malloc(sizeof(double) * rounds * modes);
    off_t ob = 0, od = 0;
    const char* names[modes] = {"raw 4K same offset buffered+fdatasync", "16K buffered append + fdatasync", "16K O_DIRECT + fdatasync", "16K O_DIRECT pwritev2 RWF_DSYNC", "4K O_DIRECT pwritev2 RWF_DSYNC"};
    for (int r = 0; r < rounds; ++r) {
        for (int k = 0; k < modes; ++k) {
            block[0] = (char)r; double s = now_us();
            struct iovec v = {block, 4*page};
            if (k == 0) { pwrite(raw, block, page, 0); fdatasync(raw); }
            else if (k == 1) { if (ob + 4*page > file_pages*page) ob = 0; pwrite(buf, block, 4*page, ob); fdatasync(buf); ob += 4*page; }
            else { if (od + 4*page > file_pages*page) od = 0;
                if (k == 2) { if (pwrite(d, block, 4*page, od) != 4*page) { perror("w"); return 1; } fdatasync(d); }
                else if (k == 3) { if (pwritev2(d, &v, 1, od, RWF_DSYNC) != 4*page) { perror("w2"); return 1; } }
                else { v.iov_len = page; if (pwritev2(d, &v, 1, od, RWF_DSYNC) != page) { perror("w3"); return 1; } }
                od += 4*page; }
            times[k*rounds + r] = now_us() - s;
        }
    }
    for (int k = 0; k < modes; ++k) { double* t = times + k*rounds; double sum = 0; for (int r = 0; r < rounds; ++r) sum += t[r];
        qsort(t, rounds, sizeof(double), by_value);
        printf("%-40s p10 %.0f median %.0f mean %.0f p90 %.0f\n", names[k], t[rounds/10], t[rounds/2], sum/rounds, t[rounds*9/10]); }
    unlink(p1); unlink(p2); unlink(p3); return 0;
}
