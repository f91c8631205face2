// sqlitegraph/core/policy_pack.hpp — picking policies out of a parameter pack.
//
// basic_graph_store<Policies...> takes its policies in any order. This header
// answers, at compile time, the questions the store's one validation point
// asks of the pack: is every type a policy of a known category, how many
// policies of each category were given, and which one (or the default) is in
// force for a category.
#pragma once

#include "sqlitegraph/core/policy_tags.hpp"

#include <cstddef>
#include <type_traits>

namespace sqlitegraph {

namespace detail {
template <class T, class = void> struct has_policy_category : std::false_type {};
template <class T> struct has_policy_category<T, std::void_t<typename T::policy_category>> : std::true_type {};

template <class T, class Tag> constexpr bool in_category() {
    if constexpr (has_policy_category<T>::value) {
        return std::is_same_v<typename T::policy_category, Tag>;
    } else {
        return false;
    }
}

template <class Tag, class Default, class... Ps> struct select_policy { using type = Default; };
template <class Tag, class Default, class P, class... Ps> struct select_policy<Tag, Default, P, Ps...> {
    using type = std::conditional_t<in_category<P, Tag>(), P, typename select_policy<Tag, Default, Ps...>::type>;
};
} // namespace detail

template <class Tag, class... Ps>
inline constexpr std::size_t policy_count = (std::size_t{0} + ... + (detail::in_category<Ps, Tag>() ? 1u : 0u));

// True when T opts into one of the categories the store knows.
template <class T>
inline constexpr bool
    is_known_policy = detail::in_category<T, page_size_policy_tag>() || detail::in_category<T, cache_policy_tag>() ||
                      detail::in_category<T, checksum_policy_tag>() || detail::in_category<T, codec_policy_tag>() ||
                      detail::in_category<T, file_policy_tag>();

// The policy of category Tag in Ps, or Default when there is none.
template <class Tag, class Default, class... Ps>
using select_policy_t = typename detail::select_policy<Tag, Default, Ps...>::type;

} // namespace sqlitegraph
