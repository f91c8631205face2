// sqlitegraph/graph/index_range.hpp — an input range of fn(0), fn(1), ...,
// fn(n - 1), computed as it is read.
//
// The store feeds B+Tree bulk loads from it (entries made on the fly, never
// all in memory at once). std::views::iota | transform would do, but clang
// 14 cannot compile those views from libstdc++ 12, and both compilers must
// build every header.
#pragma once

#include <cstddef>
#include <iterator>
#include <type_traits>
#include <utility>

namespace sqlitegraph {

template <class Fn> class index_range {
  public:
    using value_type = std::remove_cvref_t<std::invoke_result_t<const Fn&, std::size_t>>;

    class iterator {
      public:
        using iterator_concept = std::input_iterator_tag;
        using iterator_category = std::input_iterator_tag;
        using value_type = index_range::value_type;
        using difference_type = std::ptrdiff_t;

        iterator() = default;
        iterator(const Fn* fn, std::size_t i) : fn_(fn), i_(i) {}

        value_type operator*() const { return (*fn_)(i_); }
        iterator& operator++() {
            ++i_;
            return *this;
        }
        void operator++(int) { ++i_; }
        friend bool operator==(const iterator& a, const iterator& b) noexcept { return a.i_ == b.i_; }

      private:
        const Fn* fn_ = nullptr;
        std::size_t i_ = 0;
    };

    index_range(std::size_t n, Fn fn) : n_(n), fn_(std::move(fn)) {}

    iterator begin() const { return iterator(&fn_, 0); }
    iterator end() const { return iterator(&fn_, n_); }

  private:
    std::size_t n_;
    Fn fn_;
};

} // namespace sqlitegraph
