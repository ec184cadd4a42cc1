#pragma once

// A blocking multi-producer queue with a fixed capacity: a full queue makes producers wait
// (back-pressure: the MQTT thread stops reading, so the broker holds messages) instead of
// growing without bound.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <vector>

namespace hearth::hub {

template <class T> class BoundedQueue {
public:
    explicit BoundedQueue(std::size_t capacity) : m_capacity(capacity) {}

    // Blocks while full; false when the queue was closed.
    bool push(T value) {
        std::unique_lock lock(m_mutex);
        m_not_full.wait(lock, [&] { return m_closed || m_items.size() < m_capacity; });
        if (m_closed) {
            return false;
        }
        m_items.push_back(std::move(value));
        m_not_empty.notify_one();
        return true;
    }

    // Takes up to `max_items`, waiting up to `wait` for the first. Empty on timeout or close.
    std::vector<T> pop_batch(std::size_t max_items, std::chrono::milliseconds wait) {
        std::unique_lock lock(m_mutex);
        m_not_empty.wait_for(lock, wait, [&] { return m_closed || !m_items.empty(); });
        std::vector<T> out;
        while (!m_items.empty() && out.size() < max_items) {
            out.push_back(std::move(m_items.front()));
            m_items.pop_front();
        }
        if (!out.empty()) {
            m_not_full.notify_all();
        }
        return out;
    }

    void close() {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        m_not_full.notify_all();
        m_not_empty.notify_all();
    }

    [[nodiscard]] std::size_t size() const {
        std::lock_guard lock(m_mutex);
        return m_items.size();
    }

private:
    mutable std::mutex m_mutex;
    std::condition_variable m_not_full;
    std::condition_variable m_not_empty;
    std::deque<T> m_items;
    std::size_t m_capacity;
    bool m_closed = false;
};

} // namespace hearth::hub
