// An ordered map with copy-on-write sharing at two levels: the tables of
// model::world_state (devices, namespaces, programs, links, descriptors,
// consumers …) are shared between copies of a world, and so is every
// element, until one copy writes. Writing takes a private copy of the table
// (a vector of pointers: one allocation) and of the element written — not
// of the other elements.
//
// Why: every world operation runs on a scratch copy so that a refusal
// changes nothing (model/world.hpp), and every checker keeps the state
// before each step (check/invariants.hpp run_checked, the explorer). With
// plain maps each of those copies rebuilt every device; here a copy is a
// reference count per table, tables and elements that nobody wrote compare
// equal by address, and an operation that changes one device copies that
// device.
//
// The interface is std::map's (iteration in key order, find, at, emplace,
// erase …) with one rule that keeps the sharing invisible: a non-const
// member first makes the table this object's own, and dereferencing a
// non-const iterator (or at(), operator[]) makes that element its own.
// Reading through a const object or const_iterator never copies, so code
// that only reads should iterate std::as_const(map).
//
// Threads: copies of one map may be read and written from different threads
// (each write that sees the element shared copies it first; one that sees
// it alone is ordered after the other copy's release), as with any value;
// one map object is not itself safe for concurrent writes.
//
// Validity differs from std::map in one way: an insertion or erasure
// invalidates iterators (the table is a sorted vector), though references
// to elements stay valid until their element is erased — or until the map
// is copied and the element written again through the map: a copy taken
// while a reference is held shares the element, so writes through the old
// reference would reach the copy. The model never copies a world inside an
// operation (only world::transact does, before it starts), which is what
// this relies on.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <type_traits>
#include <stdexcept>
#include <utility>
#include <vector>

namespace netkit::core {

template <class Key, class Value>
class cow_map {
    using element = std::pair<const Key, Value>;
    using slot = std::shared_ptr<element>;
    using slots = std::vector<slot>;

  public:
    using key_type = Key;
    using mapped_type = Value;
    using value_type = element;
    using size_type = std::size_t;

    // Iteration in key order. A writing iterator (`iterator`, from a
    // non-const member) makes each element it dereferences this map's own,
    // so what it returns may be written; a reading one never copies.
    template <bool Writes>
    class basic_iterator {
        using position = std::conditional_t<Writes, typename slots::iterator, typename slots::const_iterator>;

      public:
        using iterator_category = std::bidirectional_iterator_tag;
        using value_type = element;
        using difference_type = std::ptrdiff_t;
        using pointer = std::conditional_t<Writes, element*, const element*>;
        using reference = std::conditional_t<Writes, element&, const element&>;

        basic_iterator() = default;
        // A writing iterator converts to a reading one.
        template <bool W = Writes, std::enable_if_t<!W, int> = 0>
        basic_iterator(const basic_iterator<true>& other) : at_(other.at_) {}

        reference operator*() const {
            if constexpr (Writes) {
                return own(*at_);
            } else {
                return **at_;
            }
        }
        pointer operator->() const { return &**this; }
        basic_iterator& operator++() {
            ++at_;
            return *this;
        }
        basic_iterator operator++(int) {
            auto old = *this;
            ++at_;
            return old;
        }
        basic_iterator& operator--() {
            --at_;
            return *this;
        }
        basic_iterator operator--(int) {
            auto old = *this;
            --at_;
            return old;
        }
        template <bool W>
        bool operator==(const basic_iterator<W>& other) const {
            return cow_map::same_position(*this, other);
        }

      private:
        friend class cow_map;
        template <bool>
        friend class basic_iterator;
        explicit basic_iterator(position at) : at_(at) {}
        position at_{};
    };
    using iterator = basic_iterator<true>;
    using const_iterator = basic_iterator<false>;

    cow_map() = default;
    cow_map(std::initializer_list<element> values) {
        for (const auto& v : values) {
            emplace(v.first, v.second);
        }
    }

    // ------------------------------------------------ reads (never copy)
    const_iterator begin() const noexcept { return const_iterator(view().cbegin()); }
    const_iterator end() const noexcept { return const_iterator(view().cend()); }
    const_iterator cbegin() const noexcept { return begin(); }
    const_iterator cend() const noexcept { return end(); }
    const_iterator find(const Key& k) const {
        const auto at = position(view(), k);
        return const_iterator(at != view().end() && !(k < (*at)->first) ? at : view().end());
    }
    const Value& at(const Key& k) const {
        const auto it = find(k);
        if (it == end()) {
            throw std::out_of_range("cow_map::at: no such key");
        }
        return it->second;
    }
    bool contains(const Key& k) const { return find(k) != end(); }
    size_type count(const Key& k) const { return contains(k) ? 1 : 0; }
    size_type size() const noexcept { return view().size(); }
    bool empty() const noexcept { return view().empty(); }

    // Whether two maps share one table (so they are equal without a look).
    bool shares_with(const cow_map& other) const noexcept { return table_ == other.table_; }

    // ---------------------------------- writes (own the table, then the element)
    iterator begin() { return iterator(table().begin()); }
    iterator end() { return iterator(table().end()); }
    iterator find(const Key& k) {
        auto& t = table();
        const auto at = position(t, k);
        return iterator(at != t.end() && !(k < (*at)->first) ? at : t.end());
    }
    Value& at(const Key& k) {
        const auto it = find(k);
        if (it == end()) {
            throw std::out_of_range("cow_map::at: no such key");
        }
        return it->second;
    }
    Value& operator[](const Key& k) { return try_emplace(k).first->second; }
    template <class... Args>
    std::pair<iterator, bool> try_emplace(const Key& k, Args&&... args) {
        auto& t = table();
        const auto at = position(t, k);
        if (at != t.end() && !(k < (*at)->first)) {
            return {iterator(at), false};
        }
        const auto placed =
            t.insert(at, std::make_shared<element>(std::piecewise_construct, std::forward_as_tuple(k),
                                                   std::forward_as_tuple(std::forward<Args>(args)...)));
        return {iterator(placed), true};
    }
    template <class... Args>
    std::pair<iterator, bool> emplace(const Key& k, Args&&... args) {
        return try_emplace(k, std::forward<Args>(args)...);
    }
    std::pair<iterator, bool> insert(const element& v) { return try_emplace(v.first, v.second); }
    size_type erase(const Key& k) {
        if (!std::as_const(*this).contains(k)) {
            return 0;  // nothing to erase: stay shared
        }
        auto& t = table();
        t.erase(position(t, k));
        return 1;
    }
    // `it` came from a non-const member, so the table is this map's own.
    iterator erase(iterator it) { return iterator(table_->erase(it.at_)); }
    void clear() noexcept { table_.reset(); }

    friend bool operator==(const cow_map& a, const cow_map& b) {
        if (a.table_ == b.table_) {
            return true;
        }
        const auto& x = a.view();
        const auto& y = b.view();
        return std::equal(x.begin(), x.end(), y.begin(), y.end(),
                          [](const slot& p, const slot& q) { return p == q || *p == *q; });
    }

  private:
    template <bool A, bool B>
    static bool same_position(const basic_iterator<A>& a, const basic_iterator<B>& b) {
        return typename slots::const_iterator(a.at_) == typename slots::const_iterator(b.at_);
    }
    static const slots& none() noexcept {
        static const slots empty_table;
        return empty_table;
    }
    const slots& view() const noexcept { return table_ ? *table_ : none(); }
    slots& table() {
        if (!table_) {
            table_ = std::make_shared<slots>();
        } else if (table_.use_count() > 1) {
            table_ = std::make_shared<slots>(*table_);
        } else {
            sole_owner();
        }
        return *table_;
    }
    // A count of 1 may be the last release by another thread's copy, which
    // read the shared object before letting go: order our writes after it.
    static void sole_owner() noexcept { std::atomic_thread_fence(std::memory_order_acquire); }
    template <class Slots>
    static auto position(Slots& t, const Key& k) {
        return std::lower_bound(t.begin(), t.end(), k, [](const slot& s, const Key& key) { return s->first < key; });
    }
    static element& own(slot& s) {
        if (s.use_count() > 1) {
            s = std::make_shared<element>(*s);
        } else {
            sole_owner();
        }
        return *s;
    }

    std::shared_ptr<slots> table_;
};

}  // namespace netkit::core
