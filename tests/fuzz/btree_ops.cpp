// libFuzzer target: the input is a sequence of operations replayed against
// a B+Tree and std::map side by side; any difference, any failed verify()
// and any error at all is a bug (the tree is never damaged here).
//
// Each operation takes 4 bytes: opcode, key (2 bytes), value/length byte.
// Byte 0 picks the instantiation: u64 keys/values on 1 KiB pages, or byte
// strings on 1 KiB pages with keys up to the size limit and values that
// reach overflow pages.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <type_traits>
#include <map>
#include <string>

#include "btree/memory_page_store.hpp"
#include "sqlitegraph/btree/btree.hpp"

namespace {

using namespace sqlitegraph;
using store_t = test::memory_page_store;

[[noreturn]] void bug() { std::abort(); }

template <class Params, class KeyOf, class ValueOf>
void replay(const std::uint8_t* data, std::size_t size, KeyOf key_of, ValueOf value_of) {
    using key_t = decltype(key_of(0));
    using value_t = decltype(value_of(0, 0));
    store_t store(Params::page_size);
    auto tree = basic_btree<store_t, Params>::create(store);
    std::map<key_t, value_t> model;
    auto view = [](const auto& x) {
        if constexpr (std::is_same_v<std::decay_t<decltype(x)>, std::string>) return std::string_view(x);
        else return x;
    };
    for (std::size_t i = 0; i + 4 <= size; i += 4) {
        const std::uint8_t opcode = data[i] % 8;
        const unsigned key_index = static_cast<unsigned>(data[i + 1]) | static_cast<unsigned>(data[i + 2]) << 8;
        const key_t k = key_of(key_index);
        const value_t v = value_of(data[i + 3], key_index);
        switch (opcode) {
        case 0:
        case 1:
            if (tree.insert(view(k), view(v)) != model.emplace(k, v).second) bug();
            break;
        case 2: {
            const bool in_model = model.erase(k) > 0;
            if (tree.erase(view(k)) != in_model) bug();
            break;
        }
        case 3: {
            const bool inserted = !model.contains(k);
            model[k] = v;
            if (tree.upsert(view(k), view(v)) != inserted) bug();
            break;
        }
        case 4: {
            const auto got = tree.find(view(k));
            const auto it = model.find(k);
            if (got.has_value() != (it != model.end())) bug();
            if (got && value_t(*got) != it->second) bug();
            break;
        }
        case 5: { // forward scan of up to 16 entries from k
            auto it = model.lower_bound(k);
            int n = 0;
            for (auto c = tree.lower_bound(view(k)); n < 16; c.next(), ++it, ++n) {
                if (c.valid() != (it != model.end())) bug();
                if (!c.valid()) break;
                if (key_t(c.key()) != it->first || value_t(c.value()) != it->second) bug();
            }
            break;
        }
        case 6: { // backward walk of up to 16 entries before k
            auto it = model.lower_bound(k);
            auto c = tree.lower_bound(view(k));
            for (int n = 0; n < 16; ++n) {
                c.prev();
                if (it == model.begin()) {
                    if (c.valid()) bug();
                    break;
                }
                --it;
                if (!c.valid() || key_t(c.key()) != it->first) bug();
            }
            break;
        }
        default: {
            const key_t hi = key_of(key_index + data[i + 3]);
            if (!(k < hi)) break;
            const auto want = static_cast<std::uint64_t>(std::distance(model.lower_bound(k), model.lower_bound(hi)));
            if (tree.count(view(k), view(hi)) != want) bug();
            break;
        }
        }
    }
    const auto report = tree.verify(true);
    if (report.entries != model.size() || report.pages.size() != store.live_pages()) bug();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    try {
        if (data[0] & 1) {
            using P = btree_params<bytes_codec, bytes_codec, 1024>;
            replay<P>(
                data + 1, size - 1,
                [](unsigned i) {
                    std::string k = std::to_string(i % 4096);
                    // A few keys sit exactly at the size limit.
                    if (i % 61 == 0) k.append(P::max_key_size - k.size(), 'x');
                    return k;
                },
                [](std::uint8_t b, unsigned i) { return std::string(b < 200 ? b : static_cast<std::size_t>(b) * 40, static_cast<char>('a' + i % 26)); });
        } else {
            replay<btree_params<u64_codec, u64_codec, 1024>>(
                data + 1, size - 1, [](unsigned i) { return std::uint64_t{i % 2048}; }, [](std::uint8_t b, unsigned i) { return std::uint64_t{b} * 1000003u + i; });
        }
    } catch (const error&) {
        bug();
    }
    return 0;
}
