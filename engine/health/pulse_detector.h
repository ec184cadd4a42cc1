#pragma once

// Streaming pulse (systolic peak) detector for PPG.
//
// Algorithm: M. Elgendi, I. Norton, M. Brearley, D. Abbott, D. Schuurmans, "Systolic peak
// detection in acceleration photoplethysmograms measured from emergency responders in tropical
// conditions", PLoS ONE 8(10): e76585, 2013 ("two event-related moving averages"): band-pass
// 0.5-8 Hz, keep the positive part and square it, compare a 111 ms moving average (the systolic
// peak) with a 667 ms one (the beat) plus an offset of 0.02 times the mean squared signal;
// where the first exceeds the second for at least 111 ms is a block of interest, and its
// maximum is the systolic peak. Here both averages are centred on the same sample (a delay of
// half the long window) so that the method is causal, the signal mean is a 10 s exponential
// average, and a 300 ms refractory period applies (heart rate at most 200 beats/min).
//
// Polarity: devices report PPG either way up. The systolic upstroke is shorter and steeper
// than the diastolic decline, so the third moment of the derivative is positive the right way
// up; the detector follows its sign (8 s average), which makes it independent of the
// convention.
//
// The high-pass distorts the asymmetric pulse and moves its maximum earlier, so the peak time is
// the maximum of the low-passed (not high-passed) signal within 150 ms of the band-passed one,
// refined by parabolic interpolation (useful at 25 Hz) and moved back by the low-pass group
// delay at 1.5 Hz. Latency: about 0.5 s after the peak. Memory: sizeof is 11 KB
// (rings of 512 samples), no heap. Not thread-safe.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "base/fixed_queue.h"
#include "base/quality.h"
#include "base/samples.h"
#include "dsp/biquad.h"

namespace hearth::engine::health {

struct PulseDetectorConfig {
    float sample_rate_hz = 25.0F;  // nominal rate of the samples; 20..500 Hz
    float offset_fraction = 0.02F; // Elgendi's beta

    static constexpr float min_sample_rate_hz = 20.0F;
    static constexpr float max_sample_rate_hz = 500.0F;

    [[nodiscard]] bool validate() const;
};

struct PulseBeat {
    TimeMs t_ms = 0;                 // systolic peak
    float amplitude = 0.0F;          // band-passed peak height, input units
    Quality quality = Quality::Good; // this detector does not judge motion; always Good
};

class PulseDetector {
public:
    // Precondition: config.validate().
    explicit PulseDetector(const PulseDetectorConfig& config = {});

    // Samples in time order, any block length. A gap longer than one second restarts the
    // filters.
    void push(std::span<const PpgSample> samples);
    std::optional<PulseBeat> pull();
    // End of the stream: a pulse whose block is still open is reported.
    void finish();
    void reset();

    static constexpr std::size_t ring_size = 512;
    static constexpr std::size_t queue_size = 32; // pull at least every 32 beats

private:
    void step(const PpgSample& s);
    void restart();
    void end_block();

    PulseDetectorConfig m_config;
    std::int64_t m_short_len = 0;
    std::int64_t m_long_len = 0;
    std::int64_t m_refractory = 0;
    std::int64_t m_peak_search = 0;
    float m_group_delay_ms = 0.0F;
    float m_mean_alpha = 0.0F;
    float m_polarity_alpha = 0.0F;

    dsp::BiquadCoeffs m_high;
    dsp::BiquadCoeffs m_low;
    dsp::BiquadState m_high_state;
    dsp::BiquadState m_low_state;
    dsp::BiquadState m_smooth_state; // the low-pass alone, for locating the peak

    std::array<float, ring_size> m_band{};    // band-passed, as the sensor has it
    std::array<float, ring_size> m_smooth{};  // low-passed only: the pulse's true shape
    std::array<float, ring_size> m_squared{}; // positive part squared, polarity corrected
    std::array<TimeMs, ring_size> m_time{};
    std::int64_t m_n = 0;
    std::int64_t m_start = 0;
    float m_offset = 0.0F;
    float m_prev_band = 0.0F;
    std::optional<TimeMs> m_last_t_ms;

    double m_short_sum = 0.0;
    double m_long_sum = 0.0;
    float m_mean_squared = 0.0F;
    float m_moment2 = 0.0F;
    float m_moment3 = 0.0F;
    float m_polarity = 1.0F;

    bool m_in_block = false;
    std::int64_t m_block_start = 0;
    std::int64_t m_block_peak_n = 0;
    float m_block_peak = 0.0F;
    std::optional<std::int64_t> m_last_beat_n;

    FixedQueue<PulseBeat, queue_size> m_out;
};

} // namespace hearth::engine::health
