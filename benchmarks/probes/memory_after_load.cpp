// Probe: the process's resident memory after a one-transaction bulk load
// of the R-MAT graph of SCALE (weighted), with a 64 MiB page cache: after
// the commit, and after the store is closed; and the page images' arena
// (pager::image_memory()). Shows whether the images the load pinned go
// back when the commit releases them or only at close. Not built by CMake:
//
//   g++ -O2 -std=c++20 -Iinclude -Ibenchmarks -DSQLITEGRAPH_WITH_SIMDJSON=1
//       benchmarks/probes/memory_after_load.cpp -o /tmp/memory_after_load -lsimdjson -lpthread
//   (one line)
//   /tmp/memory_after_load FILE [SCALE=18]      (FILE is replaced)
#include "probes/rmat_store.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

using namespace sqlitegraph;

namespace {
long resident_mib() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6)) / 1024;
    return -1;
}
} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: memory_after_load FILE [SCALE]\n");
        return 2;
    }
    const std::string path = argv[1];
    algo::rmat_options ro;
    ro.scale = argc > 2 ? static_cast<unsigned>(std::stoul(argv[2])) : 18;
    const auto src = algo::generate_rmat(ro);
    std::filesystem::remove(path);
    std::filesystem::remove(path + "-wal");
    std::printf("after generating %zu edges: %ld MiB resident\n", src.from.size(), resident_mib());
    store_options so;
    so.pager.cache_pages = std::size_t{64} * 256; // 64 MiB of 4 KiB pages
    {
        graph_store db(path, so);
        probes::load_in_batches(db, src, 40, true, [](int, double) {});
        const auto images = db.pager_handle().image_memory();
        std::printf("after the load's commit: %ld MiB resident; image chunks mapped %zu (%zu MiB), blocks in use %zu, "
                    "chunks given back %zu\n",
                    resident_mib(), images.chunks, images.chunks * page_arena::chunk_size >> 20, images.blocks_in_use,
                    images.released_chunks);
    }
    std::printf("after close: %ld MiB resident\n", resident_mib());
}
