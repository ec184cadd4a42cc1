#pragma once

#include <array>
#include <cstddef>
#include <optional>

namespace hearth::engine {

// A first-in first-out queue of at most N values in fixed storage; no heap.
// When full, push() drops the oldest value and reports it, so that a producer that is not
// drained loses old results rather than new ones. Not thread-safe.
template <class T, std::size_t N> class FixedQueue {
    static_assert(N > 0);

public:
    // Returns true when a value was dropped to make room.
    bool push(const T& value) {
        bool dropped = false;
        if (m_size == N) {
            m_head = (m_head + 1) % N;
            --m_size;
            dropped = true;
        }
        m_items[(m_head + m_size) % N] = value;
        ++m_size;
        return dropped;
    }

    std::optional<T> pop() {
        if (m_size == 0) {
            return std::nullopt;
        }
        T value = m_items[m_head];
        m_head = (m_head + 1) % N;
        --m_size;
        return value;
    }

    [[nodiscard]] std::size_t size() const { return m_size; }
    [[nodiscard]] bool empty() const { return m_size == 0; }
    static constexpr std::size_t capacity() { return N; }
    void clear() {
        m_head = 0;
        m_size = 0;
    }

private:
    std::array<T, N> m_items{};
    std::size_t m_head = 0;
    std::size_t m_size = 0;
};

} // namespace hearth::engine
