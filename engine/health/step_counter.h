#pragma once

// Step detection and cadence from a 3-axis accelerometer worn anywhere (wrist, arm, pocket, bag,
// hand), at any rate from 20 Hz up (tested 20-400 Hz), in any orientation.
//
// Method: windowed peak detection on the acceleration magnitude, the family found most accurate
// across placements on the Oxford Step Counter data set (Salvi, Velardo, Brynne, Tarassenko,
// "An optimised algorithm for accurate steps counting from smart-phone accelerometry", EMBC
// 2018):
//   1. |a| (orientation-free), box-averaged and interpolated onto a uniform 25 Hz grid
//      (rate-free; `UniformResampler`);
//   2. band-pass 0.6-3.5 Hz (second-order Butterworth high- and low-pass sections, designed for
//      the fixed internal rate), started from the first sample so there is no onset transient;
//   3. local maxima above max(min_peak_ms2, threshold_ratio x the standard deviation of the last
//      2 s), at least min_step_interval_ms apart;
//   4. a regularity gate: peaks count as steps only within a run of at least min_run_steps
//      peaks whose spacings are all below max_step_interval_ms, which rejects the isolated
//      bumps of handling the device, sitting down and so on.
// Arm swing shows in |a| at the step rate (centripetal acceleration peaks at both ends of each
// swing), so the same detector serves wrist and swinging-arm placements.
//
// Latency: one 40 ms period + the filter delay (~0.1 s) once walking; the first
// min_run_steps - 1 steps of a walk are released together when the run is confirmed.
// Memory: fixed (sizeof(StepCounter) in docs/steps-activity.md), no heap. Not thread-safe.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "base/fixed_queue.h"
#include "base/quality.h"
#include "base/samples.h"
#include "dsp/biquad.h"
#include "health/activity_features.h"

namespace hearth::engine::health {

struct StepCounterConfig {
    float low_hz = 0.6F; // band-pass edges; 0 < low_hz < high_hz < 12.5 (internal Nyquist)
    float high_hz = 3.5F;
    float min_peak_ms2 = 0.3F;          // absolute floor for a step peak, m/s^2
    float threshold_ratio = 0.5F;       // peak threshold relative to the recent standard deviation
    TimeMs min_step_interval_ms = 280;  // > 0: fastest cadence ~214 steps/min
    TimeMs max_step_interval_ms = 1200; // slower spacing ends a walk
    std::uint32_t min_run_steps = 4;    // 1..max_run_steps
    TimeMs max_gap_ms = 1000;           // input gaps longer than this restart the detector

    static constexpr std::uint32_t max_run_steps = 16;

    [[nodiscard]] bool validate() const;
};

struct StepEvent {
    TimeMs t_ms = 0;
    float cadence_spm = 0.0F; // steps per minute over the last few steps of this walk
    Quality quality = Quality::Good;
};

class StepCounter {
public:
    static constexpr std::uint32_t rate_hz = 25;
    static constexpr TimeMs period_ms = 1000 / rate_hz;
    static constexpr std::size_t queue_capacity = 32;

    // Precondition: config.validate(); an invalid config is replaced by the defaults.
    explicit StepCounter(const StepCounterConfig& config = {});

    // Samples in time order (earlier ones are dropped). Any block length; pull() after each
    // block of up to ~8 s (queue_capacity steps), or the oldest steps are dropped.
    void push(std::span<const AccelSample> samples);

    // The oldest step not yet pulled.
    std::optional<StepEvent> pull();

    // Steps counted since construction or reset(), including ones not yet pulled.
    [[nodiscard]] std::uint64_t total_steps() const { return m_total_steps; }
    // Cadence of the current walk, steps/min; nullopt when not walking.
    [[nodiscard]] std::optional<float> cadence_spm() const;

    void reset();

private:
    void on_uniform(const UniformSample<1>& s);
    void on_peak(TimeMs t_ms);
    void emit(TimeMs t_ms, std::optional<float> cadence);
    void restart_detector();

    static constexpr std::size_t history_samples = 2 * rate_hz; // for the adaptive threshold
    static constexpr std::size_t cadence_intervals = 4;

    StepCounterConfig m_config;
    UniformResampler<1> m_resampler;
    dsp::BandPass m_filter;
    bool m_has_offset = false;
    float m_offset = 0.0F;
    std::array<float, history_samples> m_history{};
    std::size_t m_history_pos = 0;
    std::size_t m_history_count = 0;
    float m_prev2 = 0.0F;
    float m_prev1 = 0.0F;
    TimeMs m_prev1_ms = 0;
    std::size_t m_seen = 0;

    bool m_has_last_peak = false;
    TimeMs m_last_peak_ms = 0;
    bool m_in_run = false;
    std::array<TimeMs, StepCounterConfig::max_run_steps> m_pending{};
    std::size_t m_pending_count = 0;

    std::array<TimeMs, cadence_intervals + 1> m_recent{};
    std::size_t m_recent_count = 0;
    std::uint64_t m_total_steps = 0;
    FixedQueue<StepEvent, queue_capacity> m_queue;
};

} // namespace hearth::engine::health
