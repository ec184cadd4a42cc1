#pragma once

// Irregular sensor samples to a fixed 25 Hz grid (40 ms bins) for the heart-rate estimator.
//
// Each bin is the mean of the samples that fall in it: at 125-500 Hz input this is a boxcar
// anti-alias filter (first null at 25 Hz, far above the 4 Hz band that is kept); at 25-50 Hz it
// is close to sampling. Empty bins (jitter, gaps) are filled by linear interpolation between the
// last finished bin and the next sample, so a bin is final only once a later sample arrives:
// latency is one bin plus the input's sample spacing. No heap; not thread-safe.

#include <array>
#include <cstddef>
#include <cstdint>

namespace hearth::engine::health {

inline constexpr std::int64_t hr_bin_ms = 40;

template <std::size_t N> class HrResampler {
public:
    using Values = std::array<float, N>;

    // Adds a sample in bin `bin` (>= 0, non-decreasing; earlier bins are ignored) and calls
    // `sink(bin, values)` for every bin this makes final, in order. Returns false (and emits
    // nothing) when the sample is older than the current bin.
    template <class Sink> bool push(std::int64_t bin, const Values& values, Sink&& sink) {
        if (bin < m_flushed_before) {
            return false;
        }
        if (!m_has_current) {
            start(bin, values);
            return true;
        }
        if (bin < m_current_bin) {
            return false;
        }
        if (bin == m_current_bin) {
            for (std::size_t i = 0; i < N; ++i) {
                m_sum[i] += values[i];
            }
            ++m_count;
            return true;
        }
        Values done{};
        const float inv_count = 1.0F / static_cast<float>(m_count);
        for (std::size_t i = 0; i < N; ++i) {
            done[i] = m_sum[i] * inv_count;
        }
        sink(m_current_bin, done);
        const std::int64_t gap = bin - m_current_bin;
        for (std::int64_t b = m_current_bin + 1; b < bin; ++b) {
            const float w = static_cast<float>(b - m_current_bin) / static_cast<float>(gap);
            Values filled{};
            for (std::size_t i = 0; i < N; ++i) {
                filled[i] = done[i] + w * (values[i] - done[i]);
            }
            sink(b, filled);
        }
        start(bin, values);
        return true;
    }

    // Ends the input for now: the bin being filled is emitted as it is, and later samples that
    // fall in it or before it are ignored. No gap filling across a flush.
    template <class Sink> void flush(Sink&& sink) {
        if (!m_has_current) {
            return;
        }
        Values done{};
        const float inv_count = 1.0F / static_cast<float>(m_count);
        for (std::size_t i = 0; i < N; ++i) {
            done[i] = m_sum[i] * inv_count;
        }
        m_has_current = false;
        m_flushed_before = m_current_bin + 1;
        sink(m_current_bin, done);
    }

    // Every bin before this one is final (0 before the first sample).
    [[nodiscard]] std::int64_t next_bin() const {
        return m_has_current ? m_current_bin : m_flushed_before;
    }
    [[nodiscard]] bool started() const { return m_has_current || m_flushed_before > 0; }

    void reset() { *this = HrResampler{}; }

private:
    void start(std::int64_t bin, const Values& values) {
        m_has_current = true;
        m_current_bin = bin;
        m_sum = values;
        m_count = 1;
    }

    Values m_sum{};
    std::int64_t m_current_bin = 0;
    std::int64_t m_flushed_before = 0;
    std::int32_t m_count = 0;
    bool m_has_current = false;
};

} // namespace hearth::engine::health
