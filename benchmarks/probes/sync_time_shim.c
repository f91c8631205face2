// Probe helper: an LD_PRELOAD shim that times fdatasync/fsync and
// pwrite/pwritev calls. A program that declares the weak function
//   extern "C" void sync_time_report(const char* what);
// calls it to print the counts and mean times since the last report
// (one_edge_commit.cpp does, per round). Not built by CMake:
//   cc -O2 -shared -fPIC benchmarks/probes/sync_time_shim.c -o /tmp/sync_time_shim.so -ldl
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static double sync_us, write_us;
static long syncs, writes;

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

typedef int (*sync_fn)(int);
typedef ssize_t (*pwrite_fn)(int, const void*, size_t, off_t);
typedef ssize_t (*pwritev_fn)(int, const struct iovec*, int, off_t);

// The libc function this one wraps, looked up once.
#define NEXT(name, type) \
    static type next_fn; \
    if (!next_fn) next_fn = (type)dlsym(RTLD_NEXT, name)

int fdatasync(int fd) {
    NEXT("fdatasync", sync_fn);
    const double start = now_us();
    const int r = next_fn(fd);
    sync_us += now_us() - start;
    ++syncs;
    return r;
}

int fsync(int fd) {
    NEXT("fsync", sync_fn);
    const double start = now_us();
    const int r = next_fn(fd);
    sync_us += now_us() - start;
    ++syncs;
    return r;
}

ssize_t pwrite64(int fd, const void* buf, size_t n, off_t off) {
    NEXT("pwrite64", pwrite_fn);
    const double start = now_us();
    const ssize_t r = next_fn(fd, buf, n, off);
    write_us += now_us() - start;
    ++writes;
    return r;
}

ssize_t pwritev(int fd, const struct iovec* iov, int count, off_t off) {
    NEXT("pwritev", pwritev_fn);
    const double start = now_us();
    const ssize_t r = next_fn(fd, iov, count, off);
    write_us += now_us() - start;
    ++writes;
    return r;
}

void sync_time_report(const char* what) {
    fprintf(stderr, "  [%s] %ld syncs, mean %.1f us; %ld writes, mean %.1f us\n", what, syncs, syncs ? sync_us / syncs : 0.0,
            writes, writes ? write_us / writes : 0.0);
    sync_us = write_us = 0;
    syncs = writes = 0;
}
