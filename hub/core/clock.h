#pragma once

// The hub's notion of time, injected everywhere so that tests drive it (no sleeps).

#include <chrono>
#include <cstdint>

namespace hearth::hub {

// Milliseconds since the Unix epoch, UTC.
using TimestampMs = std::int64_t;

class Clock {
public:
    virtual ~Clock() = default;
    [[nodiscard]] virtual TimestampMs now_ms() const = 0;
};

class SystemClock final : public Clock {
public:
    [[nodiscard]] TimestampMs now_ms() const override {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    }
};

// A clock that moves only when told to. Not thread-safe.
class ManualClock final : public Clock {
public:
    explicit ManualClock(TimestampMs start_ms = 0) : m_now_ms(start_ms) {}
    [[nodiscard]] TimestampMs now_ms() const override { return m_now_ms; }
    void advance_ms(TimestampMs delta_ms) { m_now_ms += delta_ms; }
    void set_ms(TimestampMs now_ms) { m_now_ms = now_ms; }

private:
    TimestampMs m_now_ms;
};

} // namespace hearth::hub
