// Probe helper: an LD_PRELOAD shim that times fdatasync/fsync,
// pwrite/pwritev and pread calls. A program that declares the weak function
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

// Calls made and microseconds spent in them since the last report.
struct tally {
    double us;
    long calls;
};
static struct tally sync_tally, write_tally, read_tally;

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static void count(struct tally* t, double start) {
    t->us += now_us() - start;
    ++t->calls;
}

typedef int (*sync_fn)(int);
typedef ssize_t (*pwrite_fn)(int, const void*, size_t, off_t);
typedef ssize_t (*pwritev_fn)(int, const struct iovec*, int, off_t);
typedef ssize_t (*pread_fn)(int, void*, size_t, off_t);

// The libc function a wrapper stands in for, looked up once.
static void* next(void** slot, const char* name) {
    if (!*slot) *slot = dlsym(RTLD_NEXT, name);
    return *slot;
}

static int timed_sync(void** slot, const char* name, int fd) {
    const sync_fn fn = (sync_fn)next(slot, name);
    const double start = now_us();
    const int r = fn(fd);
    count(&sync_tally, start);
    return r;
}

static void* fdatasync_slot;
static void* fsync_slot;
static void* pwrite_slot;
static void* pwritev_slot;
static void* pread_slot;

int fdatasync(int fd) { return timed_sync(&fdatasync_slot, "fdatasync", fd); }
int fsync(int fd) { return timed_sync(&fsync_slot, "fsync", fd); }

ssize_t pwrite64(int fd, const void* buf, size_t n, off_t off) {
    const pwrite_fn fn = (pwrite_fn)next(&pwrite_slot, "pwrite64");
    const double start = now_us();
    const ssize_t r = fn(fd, buf, n, off);
    count(&write_tally, start);
    return r;
}

ssize_t pwritev(int fd, const struct iovec* iov, int n, off_t off) {
    const pwritev_fn fn = (pwritev_fn)next(&pwritev_slot, "pwritev");
    const double start = now_us();
    const ssize_t r = fn(fd, iov, n, off);
    count(&write_tally, start);
    return r;
}

ssize_t pread64(int fd, void* buf, size_t n, off_t off) {
    const pread_fn fn = (pread_fn)next(&pread_slot, "pread64");
    const double start = now_us();
    const ssize_t r = fn(fd, buf, n, off);
    count(&read_tally, start);
    return r;
}

ssize_t pread(int fd, void* buf, size_t n, off_t off) { return pread64(fd, buf, n, off); }

static double mean(const struct tally* t) { return t->calls ? t->us / (double)t->calls : 0.0; }

void sync_time_report(const char* what) {
    fprintf(stderr, "  [%s] %ld syncs, mean %.1f us; %ld writes, mean %.1f us; %ld reads, mean %.1f us\n", what,
            sync_tally.calls, mean(&sync_tally), write_tally.calls, mean(&write_tally), read_tally.calls, mean(&read_tally));
    sync_tally = (struct tally){0, 0};
    write_tally = (struct tally){0, 0};
    read_tally = (struct tally){0, 0};
}
