#pragma once

// Streaming QRS detector for single-lead ECG.
//
// Algorithm: P. S. Hamilton and W. J. Tompkins, "Quantitative investigation of QRS detection
// rules using the MIT/BIH arrhythmia database", IEEE TBME 33(12), 1986, itself refining
// J. Pan and W. J. Tompkins, "A real-time QRS detection algorithm", IEEE TBME 32(3), 1985:
// band-pass 5-15 Hz, derivative, absolute value, 80 ms moving-window integration; peaks of the
// integrated signal are QRS candidates; a candidate is a QRS when it exceeds
// noise + 0.3125 (signal - noise) (0.5 here, see QrsDetectorConfig), with signal and noise the
// medians of the last 8 QRS and noise
// peaks; 200 ms refractory period; a candidate within 360 ms of the last QRS whose steepest
// slope is under half of that QRS's is a T wave; candidates whose slope goes only one way are
// baseline shifts; when no QRS is seen for 1.5 mean RR, the largest candidate above half the
// threshold since the last QRS is taken (search-back).
//
// Rhythm check (ours, not in the papers): when the noise-peak level is above 0.2 of the QRS
// level, three consecutive detections spanning under 1.3 median RR intervals mean one of them is
// noise; the one further from where the beat was due is dropped, unless it is twice the usual
// amplitude. This halves the false detections in noisy stretches (MIT-BIH 105); clean records
// with couplets (106) never trigger it, but couplets in noise can lose a beat.
//
// The R time is the extreme of the band-passed signal in the 80 ms window that produced the
// candidate, minus the band-pass filter's group delay at 10 Hz.
//
// Latency: a beat is reported when the next one arrives (the rhythm check), or at most 1.3 RR
// + 0.6 s after the previous one; search-back beats up to 1.5 RR after the previous beat. Memory:
// sizeof(QrsDetector) is 12.1 KB (rings of 512 samples), no heap. Not thread-safe.

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

struct QrsDetectorConfig {
    float sample_rate_hz = 360.0F; // nominal rate of the samples; 100..1000 Hz
    // Fraction of the way from the noise level to the QRS level where the threshold sits.
    // Hamilton and Tompkins found 0.3125 best with mean levels; with median levels, search-back
    // and the rhythm check, 0.5 did better on both leads of the MIT-BIH records we have (see
    // docs/beats-hrv.md).
    float threshold_fraction = 0.5F;
    // Search back when no QRS was found for this many mean RR intervals.
    float search_back_rr = 1.5F;

    static constexpr float min_sample_rate_hz = 100.0F;
    static constexpr float max_sample_rate_hz = 1000.0F;

    [[nodiscard]] bool validate() const;
};

struct QrsBeat {
    TimeMs t_ms = 0;                 // time of the R wave (the extreme of the QRS)
    float amplitude = 0.0F;          // band-passed QRS amplitude, input units
    Quality quality = Quality::Good; // Motion: found by search-back below the usual threshold
};

class QrsDetector {
public:
    // Precondition: config.validate().
    explicit QrsDetector(const QrsDetectorConfig& config = {});

    // Samples in time order, any block length. A gap longer than one second restarts the
    // filters (the learnt levels are kept).
    void push(std::span<const EcgSample> samples);
    // End of the stream: reports the beats still held for confirmation. Pushing more samples
    // afterwards continues the stream.
    void finish();
    // The next detected beat, in time order.
    std::optional<QrsBeat> pull();
    // Back to the state after construction.
    void reset();

    static constexpr std::size_t ring_size = 512;
    static constexpr std::size_t history = 8;
    static constexpr std::size_t max_candidates = 32;
    static constexpr std::size_t queue_size = 16;

private:
    struct Candidate {
        float peak = 0.0F;  // height of the integrated signal
        float slope = 0.0F; // steepest derivative in the QRS window
        TimeMs t_ms = 0;    // R time
        std::int64_t n = 0; // sample index of the integrated peak
        float amplitude = 0.0F;
    };

    void step(const EcgSample& s);
    void on_peak(float peak, std::int64_t n);
    void classify(const Candidate& c);
    void accept(const Candidate& c, Quality quality);
    void search_back();
    [[nodiscard]] float threshold() const;
    void restart_filters();

    QrsDetectorConfig m_config;
    // Window lengths in samples, from the configured rate.
    std::int64_t m_mwi_len = 0;
    std::int64_t m_refractory = 0;
    std::int64_t m_t_wave = 0;
    std::int64_t m_peak_timeout = 0;
    std::int64_t m_learning = 0;
    std::int64_t m_slope_window = 0;
    float m_group_delay_ms = 0.0F;

    dsp::BiquadCoeffs m_high;
    dsp::BiquadCoeffs m_low1;
    dsp::BiquadCoeffs m_low2;
    dsp::BiquadState m_high_state;
    dsp::BiquadState m_low1_state;
    dsp::BiquadState m_low2_state;

    // Recent band-passed values, derivatives and times, indexed by sample number.
    std::array<float, ring_size> m_band{};
    std::array<float, ring_size> m_deriv{};
    std::array<float, ring_size> m_abs_deriv{};
    std::array<TimeMs, ring_size> m_time{};
    std::int64_t m_n = 0;            // samples seen since the last restart
    std::int64_t m_filter_start = 0; // first sample after a restart
    double m_mwi_sum = 0.0;
    std::optional<TimeMs> m_last_t_ms;

    // Peak finder on the integrated signal (Hamilton's `Peak()`).
    float m_peak_max = 0.0F;
    std::int64_t m_peak_max_n = 0;
    float m_offset = 0.0F; // first value after a restart, so the high-pass does not ring
    // The 200 ms hold: a peak waits in case a bigger one follows.
    std::optional<Candidate> m_held;

    std::array<float, history> m_qrs_peaks{};
    std::array<float, history> m_noise_peaks{};
    std::array<std::int64_t, history> m_rr{};
    std::size_t m_qrs_count = 0;
    std::size_t m_noise_count = 0;
    std::size_t m_rr_count = 0;
    std::optional<std::int64_t> m_last_qrs_n;
    std::int64_t m_search_from_n = 0; // last QRS, or where detection (re)started
    bool m_search_dirty = false;      // a candidate arrived since the last fruitless search
    float m_last_qrs_slope = 0.0F;

    // Candidates below the threshold since the last QRS, for search-back; during learning,
    // every candidate.
    std::array<Candidate, max_candidates> m_candidates{};
    std::size_t m_candidate_count = 0;
    bool m_learning_done = false;
    float m_learning_max = 0.0F;
    std::int64_t m_learning_second_end = 0;

    // Rhythm check on the output: a beat waits until the next one shows whether it split one
    // RR interval in two.
    void offer(const QrsBeat& beat);
    void flush_pending(TimeMs now_ms);
    void emit(const QrsBeat& beat);
    std::optional<QrsBeat> m_pending;
    std::optional<TimeMs> m_last_emitted_ms;
    std::array<TimeMs, history> m_out_rr{};
    std::size_t m_out_rr_count = 0;
    std::array<float, history> m_out_amp{};
    std::size_t m_out_amp_count = 0;

    FixedQueue<QrsBeat, queue_size> m_out;
};

} // namespace hearth::engine::health
