// The element layout: offsets derived from (dim, M), blocks at fixed
// offsets, and the storage model satisfying the concept the index needs.
#include <cstring>

#include "support/catch.hpp"
#include "vector/support.hpp"

using namespace vector_test;

TEST_CASE("the element layout puts links, vector and an 8-aligned key at fixed offsets") {
    const sv::element_layout l = sv::make_layout(128, 16);
    CHECK(l.m0 == 32);
    CHECK(l.links_offset == 4);
    CHECK(l.vector_offset == 4 + 4 * 32);
    CHECK(l.label_offset == 648);
    CHECK(l.block_size == 656);
    CHECK(l.upper_list_size == 4 + 4 * 16);
    for (std::size_t dim : {1, 3, 7, 100, 16384})
        for (std::size_t m : {2, 5, 16, 48}) {
            const sv::element_layout x = sv::make_layout(dim, m);
            CHECK(x.label_offset % 8 == 0);
            CHECK(x.block_size % 8 == 0);
            CHECK(x.label_offset >= x.vector_offset + 4 * dim);
        }
}

TEST_CASE("each element's key, level and vector sit in its block where the layout says") {
    const sv::vector_set data = small_set(500, 12, 0);
    sv::hnsw_index index(params_for(data.dim, sv::metric::l2));
    index.insert_batch(iota_keys(data.count()), data.vectors);
    const sv::element_layout& l = index.layout();
    for (std::uint32_t s = 0; s < index.slot_count(); ++s) {
        const std::byte* b = index.storage().block(s);
        std::uint64_t key;
        std::memcpy(&key, b + l.label_offset, 8);
        CHECK(key == s); // single-threaded batch: slot i holds row i
        CHECK(static_cast<std::uint8_t>(b[3]) == sv::flag_in_use);
        CHECK(std::memcmp(b + l.vector_offset, data.vector(s).data(), 4 * data.dim) == 0);
        CHECK((static_cast<unsigned>(b[2]) == 0) == (index.storage().upper(s) == nullptr));
    }
}

TEST_CASE("memory_storage models element_storage and grows without losing blocks") {
    STATIC_REQUIRE(sv::element_storage<sv::memory_storage>);
    sv::memory_storage st(sv::make_layout(4, 2));
    st.reserve(2);
    st.block(1)[0] = std::byte{7};
    st.set_upper(1, 2);
    CHECK(st.bytes() == 2 * st.layout().block_size + 2 * st.layout().upper_list_size);
    st.reserve(100);
    CHECK(st.capacity() == 100);
    CHECK(std::to_integer<int>(st.block(1)[0]) == 7);
    CHECK(std::to_integer<int>(st.block(99)[0]) == 0);
    st.set_upper(1, 0);
    CHECK(st.upper(1) == nullptr);
    CHECK(st.bytes() == 100 * st.layout().block_size);
}

TEST_CASE("metric names parse and print") {
    for (sv::metric m : {sv::metric::l2, sv::metric::cosine, sv::metric::inner_product, sv::metric::manhattan})
        CHECK(sv::parse_metric(sv::to_string(m)) == m);
    CHECK_FALSE(sv::parse_metric("hamming").has_value());
}
