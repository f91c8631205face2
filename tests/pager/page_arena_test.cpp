// The arena page images are carved from (pager/page_arena.hpp).
#include "sqlitegraph/core/endian.hpp"
#include "sqlitegraph/graph/store_policies.hpp"
#include "sqlitegraph/io/memory_file.hpp"
#include "sqlitegraph/pager/page_arena.hpp"
#include "sqlitegraph/pager/pager.hpp"
#include "support/catch.hpp"

#include <cstdint>
#include <cstring>
#include <functional>
#include <thread>
#include <vector>

using namespace sqlitegraph;

namespace {
void fill(const page_buffer& image, std::size_t size, std::uint8_t tag) { std::memset(image.get(), tag, size); }
bool filled(const page_buffer& image, std::size_t size, std::uint8_t tag) {
    for (std::size_t i = 0; i < size; ++i)
        if (std::to_integer<std::uint8_t>(image[i]) != tag) return false;
    return true;
}
} // namespace

TEST_CASE("arena images do not overlap, and released blocks are reused before a new chunk", "[pager][arena]") {
    const std::size_t page = 4096;
    page_buffers buffers;
    std::vector<page_buffer> held;
    for (int i = 0; i < 1000; ++i) {
        held.push_back(i % 2 == 0 ? buffers.uninitialised(page) : buffers.zeroed(page));
        fill(held.back(), page, static_cast<std::uint8_t>(i));
    }
    for (int i = 0; i < 1000; ++i) REQUIRE(filled(held[static_cast<std::size_t>(i)], page, static_cast<std::uint8_t>(i)));
    const auto full = buffers.stats();
    CHECK(full.blocks_in_use == 1000);
    CHECK(full.chunks >= 2); // 1000 images of 4 KiB do not fit one 2 MiB chunk

    for (std::size_t i = 0; i < held.size(); i += 2) held[i].reset();
    CHECK(buffers.stats().blocks_in_use == 500);
    for (std::size_t i = 0; i < held.size(); i += 2) {
        held[i] = buffers.zeroed(page);
        REQUIRE(filled(held[i], page, 0)); // zeroed() zeroes a reused block
        fill(held[i], page, 0xEE);
    }
    CHECK(buffers.stats().chunks == full.chunks); // every new image took a released block
    for (std::size_t i = 1; i < held.size(); i += 2) REQUIRE(filled(held[i], page, static_cast<std::uint8_t>(i)));

    const page_buffer copied = buffers.copy(held[1].get(), page);
    CHECK(std::memcmp(copied.get(), held[1].get(), page) == 0);
    CHECK(copied.get() != held[1].get());
}

TEST_CASE("a chunk whose blocks are all free goes back to the system, but for one kept per size", "[pager][arena]") {
    const std::size_t page = 4096;
    page_buffers buffers;
    std::vector<page_buffer> held;
    for (int i = 0; i < 5000; ++i) { // about 10 chunks
        held.push_back(buffers.uninitialised(page));
        fill(held.back(), page, static_cast<std::uint8_t>(i));
    }
    const auto full = buffers.stats();
    REQUIRE(full.chunks >= 9);
    CHECK(full.released_chunks == 0);
    // Keep every 1000th image: the chunks that hold one stay, the others go
    // back but one.
    std::vector<std::size_t> kept;
    for (std::size_t i = 0; i < held.size(); ++i) {
        if (i % 1000 == 0) kept.push_back(i);
        else held[i].reset();
    }
    const auto thinned = buffers.stats();
    CHECK(thinned.blocks_in_use == kept.size());
    CHECK(thinned.chunks <= kept.size() + 1);
    CHECK(thinned.released_chunks == full.chunks - thinned.chunks);
    CHECK(thinned.released_chunks >= full.chunks - kept.size() - 1);
    for (const auto i : kept) REQUIRE(filled(held[i], page, static_cast<std::uint8_t>(i)));
    // New images take the kept chunks' free blocks before any new chunk.
    std::vector<page_buffer> more;
    for (int i = 0; i < 400; ++i) {
        more.push_back(buffers.zeroed(page));
        REQUIRE(filled(more.back(), page, 0));
        fill(more.back(), page, 0x5A);
    }
    CHECK(buffers.stats().chunks == thinned.chunks);
    for (const auto i : kept) REQUIRE(filled(held[i], page, static_cast<std::uint8_t>(i)));
    // All gone: one chunk is kept for the next image.
    held.clear();
    more.clear();
    CHECK(buffers.stats().blocks_in_use == 0);
    CHECK(buffers.stats().chunks == 1);
}

TEST_CASE("arena chunks past the first few are advised for huge pages; oversized blocks bypass the arena", "[pager][arena]") {
    page_buffers buffers;
    std::vector<page_buffer> held;
    const std::size_t page = 65536; // the largest page size: 31 images per chunk
    while (buffers.stats().chunks <= page_arena::chunks_before_huge) held.push_back(buffers.uninitialised(page));
    const auto s = buffers.stats();
    CHECK(s.advised_chunks == s.chunks - page_arena::chunks_before_huge);

    page_arena arena;
    void* big = arena.allocate(page_arena::chunk_size / 2);
    std::memset(big, 1, page_arena::chunk_size / 2);
    CHECK(arena.snapshot_stats().chunks == 0);
    arena.deallocate(big, page_arena::chunk_size / 2);
    void* small = arena.allocate(100);
    CHECK(reinterpret_cast<std::uintptr_t>(small) % page_arena::block_align == 0);
    CHECK(arena.snapshot_stats().chunks == 1);
    arena.deallocate(small, 100);
    CHECK(arena.snapshot_stats().blocks_in_use == 0);
}

TEST_CASE("the images of a transaction that wrote many pages go back to the system after its commit", "[pager][arena]") {
    memory_fs fs;
    pager_options options;
    options.cache_pages = 64;
    pager<store_policies<memory_fs>> db("a.db", options, fs);
    {
        auto tx = db.begin_write();
        for (int i = 0; i < 6000; ++i) { // about 12 chunks of 4 KiB images, all pinned until the commit
            auto page = tx.allocate(page_type::meta);
            store_le<std::uint64_t>(page.data() + page_header_size, static_cast<std::uint64_t>(i));
        }
        CHECK(db.image_memory().chunks >= 11);
        tx.commit();
    }
    db.checkpoint();
    // Left: the cache's 64 images and the chunks they sit in, one kept empty.
    const auto after = db.image_memory();
    CHECK(after.blocks_in_use <= 2 * options.cache_pages);
    CHECK(after.released_chunks >= 1);
    CHECK(after.chunks < 11);
    auto rx = db.begin_read();
    CHECK(load_le<std::uint64_t>(rx.read(5000).data() + page_header_size) > 0);
}

TEST_CASE("a page image a reader holds stays valid after its pager is gone", "[pager][arena]") {
    memory_fs fs;
    page_ref kept;
    page_id id = 0;
    {
        pager<store_policies<memory_fs>> db("a.db", {}, fs);
        {
            auto tx = db.begin_write();
            auto page = tx.allocate(page_type::meta);
            id = page.id();
            store_le<std::uint64_t>(page.data() + page_header_size, 777);
            tx.commit();
        }
        auto rx = db.begin_read();
        kept = rx.read(id);
    }
    // The image's control block keeps the arena (and the chunk) alive; under
    // AddressSanitizer a freed chunk would be reported here.
    REQUIRE(kept.id() == id);
    CHECK(load_le<std::uint64_t>(kept.data() + page_header_size) == 777);
}

TEST_CASE("threads allocating and releasing arena images never share a block", "[pager][arena][concurrency]") {
    page_buffers buffers;
    auto worker = [&](std::uint8_t tag, bool& ok) {
        std::vector<page_buffer> mine;
        for (int round = 0; round < 2000; ++round) {
            mine.push_back(buffers.uninitialised(1024));
            fill(mine.back(), 1024, tag);
            if (mine.size() > 64) {
                if (!filled(mine.front(), 1024, tag)) ok = false;
                mine.erase(mine.begin());
            }
        }
        for (const auto& image : mine)
            if (!filled(image, 1024, tag)) ok = false;
    };
    bool ok_a = true, ok_b = true;
    std::thread a(worker, std::uint8_t{0xA1}, std::ref(ok_a));
    std::thread b(worker, std::uint8_t{0xB2}, std::ref(ok_b));
    a.join();
    b.join();
    CHECK(ok_a);
    CHECK(ok_b);
    CHECK(buffers.stats().blocks_in_use == 0);
}
