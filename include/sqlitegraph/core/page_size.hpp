// sqlitegraph/core/page_size.hpp — the page size policy.
//
// The page size is a compile-time constant so that every layout constant
// derived from it (entries per B+Tree page, records per NodePage) is too.
// Powers of two from 1 KiB to 64 KiB; anything else fails the concept.
#pragma once

#include "sqlitegraph/core/policy_tags.hpp"

#include <concepts>
#include <cstddef>

namespace sqlitegraph {

inline constexpr std::size_t min_page_size = 1024;
inline constexpr std::size_t max_page_size = 65536;

constexpr bool is_valid_page_size(std::size_t bytes) noexcept {
    return bytes >= min_page_size && bytes <= max_page_size && (bytes & (bytes - 1)) == 0;
}

template <std::size_t Bytes> struct page_size {
    using policy_category = page_size_policy_tag;
    static constexpr std::size_t value = Bytes;
};

template <class T>
concept page_size_policy = requires {
    typename T::policy_category;
}
&&std::same_as<typename T::policy_category, page_size_policy_tag>&& requires {
    { T::value } -> std::convertible_to<std::size_t>;
}
&&is_valid_page_size(T::value);

} // namespace sqlitegraph
