// libFuzzer target: arbitrary bytes become the pages of a B+Tree, which is
// then verified, read and written. Any outcome but success or an
// errc::corruption error (a crash, a sanitizer report, a hang, another
// error) is a bug.
//
// Input: byte 0 picks the instantiation (bit 0: u64 keys/values or byte
// strings) and whether page ids in headers are fixed up (bit 1), so the
// fuzzer can reach past the header check; the rest is cut into 1 KiB pages,
// page 1 being the root.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <string>
#include <string_view>

#include "btree/memory_page_store.hpp"
#include "sqlitegraph/btree/btree.hpp"

namespace {

using namespace sqlitegraph;
using store_t = test::memory_page_store;
constexpr std::size_t page_size = 1024;

template <class Params, class MakeKey>
void exercise(store_t& store, MakeKey make_key) {
    basic_btree<store_t, Params> tree(store, 1);
    bool verified = false;
    try {
        tree.verify();
        verified = true;
    } catch (const error& e) {
        if (e.code() != errc::corruption) std::abort();
    }
    try {
        std::uint64_t walked = 0;
        for (auto c = tree.begin(); c.valid(); c.next()) {
            (void)c.key();
            (void)c.value();
            ++walked;
        }
        // A tree that verifies must read back completely and in order.
        if (verified && walked != tree.size()) std::abort();
        for (std::uint64_t i = 0; i < 8; ++i) {
            const auto k = make_key(i * 37);
            (void)tree.find(k);
            (void)tree.count(make_key(i), make_key(i * 1000));
            int steps = 0;
            for (auto c = tree.upper_bound(k); c.valid() && steps < 100; c.prev(), ++steps) (void)c.value();
        }
        for (std::uint64_t i = 0; i < 64; ++i) {
            const auto k = make_key(i * 13);
            if (i % 3) tree.upsert(k, {});
            else tree.erase(k);
        }
        tree.verify();
    } catch (const error& e) {
        if (e.code() != errc::corruption) std::abort();
        if (verified) {
            // Writes on a verified tree may only fail on pages they created
            // from that tree, which verify() accepted: that is a bug.
            std::abort();
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const std::uint8_t mode = data[0];
    ++data;
    --size;
    const std::size_t pages = std::min<std::size_t>((size + page_size - 1) / page_size, 16);
    store_t store(page_size);
    for (std::size_t i = 0; i < pages; ++i) {
        auto h = store.allocate(page_type::btree_leaf);
        const std::size_t off = i * page_size;
        const std::size_t n = std::min(page_size, size - off);
        std::memcpy(h.data(), data + off, n);
        if (mode & 2) {
            for (int b = 0; b < 4; ++b) h.data()[page_id_offset + b] = static_cast<std::byte>((h.id() >> (8 * b)) & 0xff);
        }
    }
    if (mode & 1) {
        static constexpr std::string_view keys[] = {"", "a", "k", "key", "key1", "key10", "m", "zz", "\xff\xff"};
        exercise<btree_params<bytes_codec, bytes_codec, page_size>>(store, [](std::uint64_t i) { return keys[i % std::size(keys)]; });
    } else {
        exercise<btree_params<u64_codec, u64_codec, page_size>>(store, [](std::uint64_t i) { return i; });
    }
    return 0;
}
