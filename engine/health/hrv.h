#pragma once

// Heart-rate variability from a stream of beats.
//
// Standard: Task Force of the European Society of Cardiology and the North American Society of
// Pacing and Electrophysiology, "Heart rate variability: standards of measurement,
// physiological interpretation and clinical use", Circulation 93(5), 1996.
//
// NN intervals: the interval between two consecutive beats (in the stream given, whatever
// their kind) counts when both beats are normal, it lies in [0.3 s, 2.0 s], and it is within
// 20 % of the previous accepted NN interval. The first interval in range is accepted as it is;
// after 5 rejections in a row (between normal beats, in range) the reference is dropped and the
// next interval in range is accepted, so that a lasting change of rate cannot lock the rule out.
//
// Time domain: mean NN, SDNN (population standard deviation), RMSSD and pNN50 over successive
// differences of adjacent NN intervals (sharing a beat).
// Frequency domain: the NN series (value at the end of each interval) is linearly interpolated
// at 4 Hz; Welch's method with 128 s Hann frames (512 samples) advancing by 64 s, each frame
// detrended (least-squares line); LF = 0.04-0.15 Hz and HF = 0.15-0.40 Hz band powers (ms^2) are
// averaged over the frames in a segment or the whole record. A frame is abandoned when NN data
// stop for more than 5 s (interpolating across longer gaps would invent variability).
//
// Results: one per 5-minute segment through pull() (the Task Force's short-term recording), and
// `summary()` over everything pushed. Memory: sizeof is 8.9 KB, no heap. Not thread-safe.

#include <array>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "base/fixed_queue.h"
#include "base/quality.h"
#include "base/samples.h"

namespace hearth::engine::health {

enum class BeatKind : std::uint8_t {
    Normal,  // sinus (and bundle-branch or escape beats the caller treats as normal)
    Ectopic, // anything else: ventricular, supraventricular premature, unknown
};

struct BeatEvent {
    TimeMs t_ms = 0;
    BeatKind kind = BeatKind::Normal;
};

struct HrvConfig {
    float min_nn_ms = 300.0F;
    float max_nn_ms = 2000.0F;
    float max_change = 0.20F; // relative to the previous accepted NN interval
    std::uint32_t rejections_before_reset = 5;
    float segment_s = 300.0F;

    [[nodiscard]] bool validate() const;
};

struct HrvResult {
    TimeMs start_ms = 0; // first beat of the span
    TimeMs end_ms = 0;   // last beat of the span
    std::uint32_t n_beats = 0;
    std::uint32_t n_nn = 0;
    float mean_nn_ms = 0.0F;
    float sdnn_ms = 0.0F;
    float rmssd_ms = 0.0F;
    float pnn50_pct = 0.0F;
    // Frequency domain; meaningful only when `n_frames` > 0.
    std::uint32_t n_frames = 0;
    float lf_ms2 = 0.0F;
    float hf_ms2 = 0.0F;
    float lf_hf = 0.0F;
    // NoContact when fewer than two NN intervals were accepted.
    Quality quality = Quality::Good;
};

// Running time-domain statistics of NN intervals (Welford's mean and variance).
struct NnStats {
    std::uint32_t n_beats = 0;
    std::uint32_t n_nn = 0;
    float mean_ms = 0.0F;
    float m2_ms2 = 0.0F;
    std::uint32_t n_diff = 0;
    float mean_sq_diff_ms2 = 0.0F; // a running mean: a float sum would lose precision
    std::uint32_t n_diff_over_50 = 0;
    std::uint32_t n_frames = 0;
    float sum_lf_ms2 = 0.0F;
    float sum_hf_ms2 = 0.0F;
    TimeMs start_ms = 0;
    TimeMs end_ms = 0;

    void add_nn(float nn_ms);
    void add_diff(float diff_ms);
    [[nodiscard]] HrvResult result() const;
};

// LF and HF power (ms^2) of one frame of a 4 Hz NN series, detrended and Hann-windowed in
// place, using `scratch` (same size, a power of two) for the FFT.
struct BandPowers {
    float lf_ms2 = 0.0F;
    float hf_ms2 = 0.0F;
};
BandPowers hrv_band_powers(std::span<float> frame, std::span<std::complex<float>> scratch,
                           float sample_rate_hz);

class HrvAnalyzer {
public:
    // Precondition: config.validate().
    explicit HrvAnalyzer(const HrvConfig& config = {});

    // Beats in time order (beats going back in time are ignored), any block length.
    void push(std::span<const BeatEvent> beats);
    // The result of each completed segment.
    std::optional<HrvResult> pull();
    // Completes the current segment (it is then available from pull()).
    void finish();
    // Everything pushed so far.
    [[nodiscard]] HrvResult summary() const;
    void reset();

    static constexpr float resample_hz = 4.0F;
    static constexpr std::size_t frame_size = 512;
    static constexpr std::size_t frame_hop = 256;
    static constexpr float max_interpolation_gap_ms = 5000.0F;
    static constexpr std::size_t queue_size = 8;

private:
    void add_beat(const BeatEvent& beat);
    void add_nn(TimeMs end_ms, float nn_ms);
    void close_segment();

    HrvConfig m_config;
    std::optional<BeatEvent> m_prev;
    std::optional<float> m_last_nn_ms; // reference of the 20 % rule
    // The last accepted interval: where it ended and its length (the NN series' last point).
    std::optional<TimeMs> m_point_ms;
    float m_point_nn_ms = 0.0F;
    std::uint32_t m_rejections = 0;

    NnStats m_total;
    NnStats m_segment;
    std::optional<TimeMs> m_segment_start_ms;

    // The 4 Hz resampled series.
    std::array<float, frame_size> m_frame{};
    std::array<float, frame_size> m_work{};
    std::array<std::complex<float>, frame_size> m_scratch{};
    std::size_t m_frame_fill = 0;
    double m_next_grid_ms = 0.0;

    FixedQueue<HrvResult, queue_size> m_out;
};

} // namespace hearth::engine::health
