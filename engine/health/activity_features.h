#pragma once

// Motion front end shared by the step counter and the activity classifier:
//
// - `UniformResampler`: turns irregular sensor samples (any rate, jitter, gaps) into a uniform
//   stream at a fixed rate by averaging the samples that fall in each output period (a box
//   anti-alias filter for fast inputs) and interpolating linearly across short gaps (slow or
//   jittery inputs). A gap longer than the configured limit restarts the stream, so that the
//   algorithms behind it never see invented data across a real interruption.
// - `compute_activity_features`: orientation- and rate-independent features of one window of
//   uniformly sampled accelerometer (and optionally gyroscope) data, after the feature sets of
//   Bao & Intille (Pervasive 2004) and Kwapisz, Weiss & Moore (WISDM, SIGKDD Explorations
//   2011): magnitude statistics, gravity-aligned vertical/horizontal components (Mizell, ISWC
//   2003), spectral band energies, spectral entropy and autocorrelation periodicity, and the
//   principal axes of the dynamic acceleration and of the rotation (an arm swing turns about one
//   horizontal axis) with their angle to gravity. Only vector magnitudes and directions found in
//   the window itself (gravity, principal axes) are used, never a device axis.
//
// No heap; all storage is fixed. See docs/steps-activity.md.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "base/samples.h"

namespace hearth::engine::health {

// Whether a uniform sample follows the previous one directly or starts a new stretch of data.
enum class Continuity : std::uint8_t { Continuous, AfterGap };

template <std::size_t Channels> struct UniformSample {
    TimeMs t_ms = 0; // start of the output period
    std::array<float, Channels> values{};
    Continuity continuity = Continuity::Continuous;
};

// Resamples `Channels` values to one sample every `period_ms`. Output period k covers
// [origin + k * period_ms, origin + (k + 1) * period_ms) where origin is the first input time.
// Output is produced one period late (a period is closed by the first sample after it).
// Samples going back in time are dropped. Not thread-safe.
template <std::size_t Channels> class UniformResampler {
public:
    // Preconditions: period_ms > 0, max_gap_ms >= period_ms.
    UniformResampler(TimeMs period_ms, TimeMs max_gap_ms)
        : m_period_ms(period_ms > 0 ? period_ms : 1),
          m_max_gap_ms(max_gap_ms > m_period_ms ? max_gap_ms : m_period_ms) {}

    // Calls `sink(const UniformSample<Channels>&)` for each output sample completed by this
    // input.
    template <class Sink>
    void push(TimeMs t_ms, const std::array<float, Channels>& values, Sink&& sink) {
        if (!m_started) {
            m_started = true;
            m_origin_ms = t_ms;
            m_bin = 0;
            m_count = 0;
            m_sum = {};
            m_has_last = false;
        }
        if (t_ms < m_origin_ms) {
            return;
        }
        const std::int64_t bin = (t_ms - m_origin_ms) / m_period_ms;
        if (bin < m_bin) {
            return;
        }
        if (bin > m_bin) {
            close_bin(sink);
            m_bin = bin;
        }
        for (std::size_t c = 0; c < Channels; ++c) {
            m_sum[c] += values[c];
        }
        ++m_count;
    }

    void reset() {
        m_started = false;
        m_has_last = false;
        m_count = 0;
        m_sum = {};
    }

    [[nodiscard]] TimeMs period_ms() const { return m_period_ms; }

private:
    template <class Sink> void close_bin(Sink& sink) {
        if (m_count == 0) {
            return;
        }
        UniformSample<Channels> out;
        out.t_ms = m_origin_ms + m_bin * m_period_ms;
        const float inv = 1.0F / static_cast<float>(m_count);
        for (std::size_t c = 0; c < Channels; ++c) {
            out.values[c] = m_sum[c] * inv;
        }
        if (m_has_last) {
            const std::int64_t missing = m_bin - m_last_bin - 1;
            if (missing * m_period_ms > m_max_gap_ms) {
                out.continuity = Continuity::AfterGap;
            } else {
                // Linear interpolation across the empty periods.
                for (std::int64_t k = 1; k <= missing; ++k) {
                    UniformSample<Channels> fill;
                    fill.t_ms = m_origin_ms + (m_last_bin + k) * m_period_ms;
                    const float w = static_cast<float>(k) / static_cast<float>(missing + 1);
                    for (std::size_t c = 0; c < Channels; ++c) {
                        fill.values[c] = m_last[c] + w * (out.values[c] - m_last[c]);
                    }
                    sink(fill);
                }
            }
        } else {
            out.continuity = Continuity::AfterGap;
        }
        sink(out);
        m_last = out.values;
        m_last_bin = m_bin;
        m_has_last = true;
        m_count = 0;
        m_sum = {};
    }

    TimeMs m_period_ms;
    TimeMs m_max_gap_ms;
    bool m_started = false;
    TimeMs m_origin_ms = 0;
    std::int64_t m_bin = 0;
    std::uint32_t m_count = 0;
    std::array<float, Channels> m_sum{};
    bool m_has_last = false;
    std::int64_t m_last_bin = 0;
    std::array<float, Channels> m_last{};
};

// The activity front end works at 20 Hz (the lowest rate the classifier accepts) on 5 s windows.
inline constexpr std::uint32_t activity_rate_hz = 20;
inline constexpr TimeMs activity_period_ms = 1000 / activity_rate_hz;
inline constexpr std::size_t activity_window_samples = 100;

// Index of each feature in `ActivityFeatures::values`; the order is the model's input order
// (tools/train_activity.py reads the names from `activity_feature_names`).
enum class ActivityFeature : std::uint8_t {
    MagMean,          // mean |a|, m/s^2
    MagStd,           // standard deviation of |a|
    MagRange,         // 95th - 5th percentile of |a|
    MagIqr,           // 75th - 25th percentile of |a|
    MagSkew,          // skewness of |a|
    MagKurt,          // excess kurtosis of |a|
    MagJerk,          // mean |d|a|/dt|, m/s^3
    VecJerk,          // mean |da/dt| of the vector, m/s^3 (sees rotations magnitude misses)
    VertStd,          // std of the acceleration along the window's gravity direction
    HorizMean,        // mean acceleration across the gravity direction
    HorizStd,         // std of that
    GravityStability, // |mean vector| / mean |a|: 1 when the orientation does not change
    TiltChange,       // angle between the gravity directions of the two halves, rad
    LogEnergy,        // log(var |a| + 1e-3)
    DomFreq,          // frequency of the strongest line of |a| in 0.3-8 Hz, Hz
    DomFraction,      // share of the power within one bin of that line
    Band0,            // share of |a| power in 0.3-1 Hz
    Band1,            // 1-2 Hz
    Band2,            // 2-3.5 Hz
    Band3,            // 3.5-6 Hz
    Band4,            // 6-10 Hz
    AcfPeak,          // largest normalised autocorrelation of |a| at lags 0.25-2.5 s
    AcfLag,           // that lag, s
    VertAcfPeak,      // same for the vertical component
    VertShare,        // share of the dynamic acceleration variance along gravity
    DynAxisShare,     // share of the dynamic variance on its principal axis (linear movement)
    DynAxisVert,      // |cos| between that axis and gravity
    SpecEntropy,      // normalised spectral entropy of |a| in 0.3-10 Hz (0 a pure line, 1 flat)
    SpecCentroid,     // spectral centroid of |a| in 0.3-10 Hz, Hz
    JerkRatio,        // mean |d|a|| per sample / std |a| (damped when still)
    VecJerkRatio,     // mean |da| per sample / rms of the dynamic vector
    AcfHalf,          // autocorrelation of |a| at half the AcfLag (stride vs step structure)
    AcfDouble,        // at twice the AcfLag (regularity over two periods)
    VertDomFreq,      // strongest line of the vertical component in 0.3-8 Hz, Hz
    GyroMean,         // mean |w|, rad/s
    GyroStd,          // std |w|
    GyroP90,          // 90th percentile |w|
    GyroDomFreq,      // strongest line of |w| in 0.3-8 Hz, Hz
    GyroAcfPeak,      // periodicity of |w|
    GyroAxisShare,    // share of sum w w^T on its principal axis (rotation about one axis)
    GyroAxisVert,     // |cos| between that rotation axis and gravity
    SwingDomFreq,     // strongest line of w projected on the rotation axis (signed), Hz
    SwingAcfPeak,     // periodicity of that projection
    SwingAcfLag,      // its period, s
    SwingToStep,      // SwingAcfLag / AcfLag (about 2 for arm swing while walking)
    GyroAccCorr,      // Pearson correlation of |w| and |a|
    GyroSpecEntropy,  // normalised spectral entropy of |w|
    GyroJerkRatio,    // mean |d|w|| per sample / std |w| (damped when still)
    Count
};

inline constexpr std::size_t activity_feature_count =
    static_cast<std::size_t>(ActivityFeature::Count);
// Features before this index use the accelerometer only.
inline constexpr std::size_t activity_accel_feature_count =
    static_cast<std::size_t>(ActivityFeature::GyroMean);

extern const std::array<const char*, activity_feature_count> activity_feature_names;

struct ActivityFeatures {
    std::array<float, activity_feature_count> values{};
    [[nodiscard]] float operator[](ActivityFeature f) const {
        return values[static_cast<std::size_t>(f)];
    }
};

// Features of one window sampled at activity_rate_hz. ax/ay/az must have the same size, at most
// activity_window_samples and at least 8; gx/gy/gz (rad/s, the same device frame) are either
// all empty (the gyro features are then 0) or of that size. Accelerometer in m/s^2.
ActivityFeatures compute_activity_features(std::span<const float> ax, std::span<const float> ay,
                                           std::span<const float> az, std::span<const float> gx,
                                           std::span<const float> gy, std::span<const float> gz);

// Normalised autocorrelation r(lag) = sum x[i]x[i+lag] / sum x[i]^2 (scaled for the overlap) of
// a zero-mean signal over lags [min_lag, max_lag] (clamped to the signal and to 128 lags): the
// first local maximum that reaches 90 % of the largest value, so that a periodic signal gives
// its fundamental period rather than a multiple. Returns {0, 0} for a silent signal.
struct AutocorrPeak {
    float value = 0.0F;
    std::size_t lag = 0;
};
AutocorrPeak autocorr_peak(std::span<const float> zero_mean, std::size_t min_lag,
                           std::size_t max_lag);

} // namespace hearth::engine::health
