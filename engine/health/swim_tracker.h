#pragma once

// Pool swimming from a wrist IMU: lengths (turns), stroke style and stroke count per length.
//
// Method (physical rules plus one small trained table):
// - Samples are summarised per second (sums of accel, gyro, magnetometer and a stroke-cycle
//   counter per gyro axis).
// - A second is "active" when the mean gyro magnitude reaches `active_gyro_rad_s`: strokes turn
//   the wrist at 2-7 rad/s, resting at the wall is below 1 rad/s.
// - A length ends at a rest (`rest_s` inactive seconds) or at a turn. A turn is a reversal of
//   heading, seen as a change of the mean magnetic field in the device frame between the
//   `turn_window_s` seconds before and after (averaging over whole stroke cycles cancels the
//   arm's rotation, so what is left follows the swimmer's direction), when that change is a
//   local maximum above `turn_threshold` and the swimmer is active on both sides. Without a
//   magnetometer the same test runs on a gyro heading: an attitude filter (gyro integration
//   with the tilt pulled towards gravity, Mahony et al., IEEE TAC 2008) turns a fixed horizontal
//   world direction into the device frame, a stand-in for the magnetic field that turns with
//   the swimmer; its slow yaw drift does not matter across a 10 s window. A turn also
//   has a glide: the wall, the push-off and the streamline glide interrupt the strokes, so the
//   2 s mean rotation rate somewhere within `turn_window_s` of it falls to `turn_glide_ratio`
//   of the length's mean. Mid-length, the stroke rotation does not pause, so a heading change
//   that only comes from windows not averaging over whole stroke cycles (a 2 s butterfly cycle
//   in a 5 s window) is not a turn.
// - Segments shorter than `min_length_s` are not lengths (standing, pushing off, drills), nor
//   are segments whose mean wrist rotation rate is below `min_stroke_gyro_rad_s`: swimming
//   strokes turn the wrist at 2-7 rad/s throughout, while arm movement at the wall before a
//   push-off comes in bursts separated by stillness.
// - Kick sets (no arm strokes: hands on a board or in streamline) are lengths too. The wrist is
//   quiet, but the kicks shake the body rhythmically: the accelerometer magnitude, averaged in
//   100 ms bins, has a clear autocorrelation peak at a lag of 0.3-2 s (kick rates 0.5-3 Hz)
//   over an 8 s window, while a swimmer resting at the wall moves irregularly. A kick length is
//   a quiet stretch (no two consecutive active seconds) of at least `min_length_s`, opened and
//   closed by movement at the walls (push-off, turn) and with a mean kick periodicity of at
//   least `kick_min_periodicity`. Its style is SwimStyle::Kick and its stroke count 0.
// - Style: multinomial logistic regression over sign-invariant per-length statistics (mean and
//   spread of gravity/acceleration and rotation per axis), trained by tools/train_swim.py on
//   Brunner et al., "Swimming style recognition and lap counting using a smartwatch and deep
//   learning", ISWC 2019. Absolute values make it independent of the wrist the watch is on.
// - Strokes: cycles of the gyro axis with the largest spread over the length, low-passed at
//   about 1 Hz and counted as hysteresis crossings of a slow running mean, at most one per
//   0.9 s (one per arm cycle of the watch arm; one per stroke in breaststroke and butterfly).
//
// Latency: a length is reported 2 * turn_window_s (default 10 s) after it ends, or at finish().
// Memory: sizeof(SwimTracker) is about 27 KB (a ring of `max_length_seconds` per-second
// summaries). Supports any sample rate up to `max_sample_rate_hz`; irregular rates and gaps are
// tolerated (a gap counts as inactive seconds). No heap; not thread-safe.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "base/fixed_queue.h"
#include "base/quality.h"
#include "base/samples.h"

namespace hearth::engine::health {

// One row of a swim recording: accelerometer (m/s^2), gyroscope (rad/s), magnetometer (uT).
struct SwimImuSample {
    TimeMs t_ms = 0;
    std::array<float, 3> accel{};
    std::array<float, 3> gyro{};
    std::array<float, 3> mag{};
};

// Kick: a length without arm strokes (kick set); not predicted by the style model.
enum class SwimStyle : std::uint8_t { Freestyle, Breaststroke, Backstroke, Butterfly, Kick };

constexpr std::string_view to_string(SwimStyle style) {
    switch (style) {
    case SwimStyle::Freestyle:
        return "freestyle";
    case SwimStyle::Breaststroke:
        return "breaststroke";
    case SwimStyle::Backstroke:
        return "backstroke";
    case SwimStyle::Butterfly:
        return "butterfly";
    case SwimStyle::Kick:
        return "kick";
    }
    return "unknown";
}

struct SwimLength {
    TimeMs start_ms = 0;
    TimeMs end_ms = 0; // exclusive
    SwimStyle style = SwimStyle::Freestyle;
    int strokes = 0;
    float style_probability = 0.0F;  // of the chosen style, 0..1
    Quality quality = Quality::Good; // Motion when the magnetometer was missing or saturated
};

struct SwimTrackerConfig {
    float active_gyro_rad_s = 1.0F;
    int rest_s = 3;
    int turn_window_s = 5;
    float turn_threshold = 0.55F;     // change of the mean field, relative to its magnitude
    float min_active_fraction = 0.3F; // on each side of a turn
    int min_length_s = 15;
    // Physical rules, not fitted per file (see docs/swim-sleep.md for how they were checked).
    float turn_glide_ratio = 0.75F;     // 2 s rotation rate at a turn / the length's mean
    float min_stroke_gyro_rad_s = 2.0F; // mean wrist rotation rate of a stroked length
    float kick_min_periodicity = 0.4F;  // mean autocorrelation peak of a kick length; > 1: off
    float stroke_hysteresis_rad_s = 0.8F;

    [[nodiscard]] bool validate() const;
};

// Per-length features for the style model (see tools/train_swim.py, which mirrors this):
// |mean ax|, |mean ay|, mean az (in g), std of ax, ay, az (g), std of gx, gy, gz (rad/s),
// |mean gx|, |mean gy|, |mean gz| (rad/s). Inputs are the sums over the length's samples.
struct SwimMoments {
    double n = 0.0;
    std::array<double, 3> accel_sum{};
    std::array<double, 3> accel_sq{};
    std::array<double, 3> gyro_sum{};
    std::array<double, 3> gyro_sq{};
};
std::array<float, 12> swim_length_features(const SwimMoments& moments);

// The style with the highest probability under the trained model, and that probability.
struct StyleDecision {
    SwimStyle style = SwimStyle::Freestyle;
    float probability = 0.0F;
};
StyleDecision classify_swim_style(std::span<const float, 12> features);

class SwimTracker {
public:
    static constexpr std::size_t max_length_seconds = 240; // longer segments are dropped
    static constexpr std::size_t result_capacity = 16;
    static constexpr float max_sample_rate_hz = 1000.0F;
    // Kick rhythm: accelerometer magnitude in 100 ms bins over the last 8 s.
    static constexpr std::int64_t kick_bin_ms = 100;
    static constexpr std::size_t kick_bins = 80;

    // Precondition: config.validate().
    explicit SwimTracker(const SwimTrackerConfig& config = {});

    // Samples in time order; any block length. Samples older than the current second are
    // ignored.
    void push(std::span<const SwimImuSample> samples);
    // Call at the end of the recording to close the last length.
    void finish();
    std::optional<SwimLength> pull() { return m_results.pop(); }
    void reset();

private:
    struct Second {
        std::int64_t index = 0;
        std::uint16_t n = 0;
        std::uint16_t mag_n = 0;
        std::array<float, 3> accel_sum{};
        std::array<float, 3> accel_sq{};
        std::array<float, 3> gyro_sum{};
        std::array<float, 3> gyro_sq{};
        std::array<float, 3> mag_sum{};
        float mag_norm_sum = 0.0F;
        float gyro_norm_sum = 0.0F;
        float kick_periodicity = 0.0F;      // of the 8 s ending with this second, 0 when unknown
        std::array<float, 3> heading_sum{}; // gyro heading (unit vector, device frame), summed
        std::array<std::uint16_t, 3> cycles{};
    };

    void close_second();
    void decide(std::int64_t index);
    [[nodiscard]] const Second* second_at(std::int64_t index) const;
    [[nodiscard]] bool active(std::int64_t index) const;
    [[nodiscard]] std::optional<float> turn_score(std::int64_t index) const;
    [[nodiscard]] bool is_turn(std::int64_t index) const;
    void close_segment(std::int64_t end_index);
    void push_kick_bins(std::int64_t up_to_bin);
    void update_heading(const SwimImuSample& s, float dt_s);
    [[nodiscard]] float kick_periodicity() const;
    void decide_kick(std::int64_t index, bool is_active);

    SwimTrackerConfig m_config;
    std::array<Second, max_length_seconds> m_ring{};
    Second m_current{};
    bool m_started = false;
    std::int64_t m_next_decision = 0;
    std::int64_t m_last_closed = -1;

    // Stroke cycle detection: a slow mean per gyro axis and which side of it the signal is on.
    std::array<float, 3> m_gyro_mean{};
    std::array<float, 3> m_gyro_lp{};
    std::array<TimeMs, 3> m_last_cycle_ms{};
    std::array<std::int8_t, 3> m_gyro_side{};
    TimeMs m_last_t_ms = 0;

    bool m_in_segment = false;
    std::int64_t m_segment_start = 0;
    std::int64_t m_last_active = 0;
    int m_inactive_run = 0;

    // Attitude (unit quaternion w, x, y, z: device to world, world z up) for the gyro heading.
    std::array<float, 4> m_attitude{1.0F, 0.0F, 0.0F, 0.0F};
    bool m_attitude_ready = false;

    // Kick rhythm bins (a ring, oldest at m_bin_head once full) and the quiet-stretch state.
    std::array<float, kick_bins> m_bins{};
    std::size_t m_bin_head = 0;
    std::size_t m_bins_filled = 0;
    std::int64_t m_bin_index = 0;
    float m_bin_sum = 0.0F;
    int m_bin_n = 0;
    float m_bin_last = 0.0F;
    bool m_kick_armed = false; // movement (two active seconds) seen: a wall or a push-off
    bool m_kick_in = false;
    bool m_prev_active = false;
    std::int64_t m_kick_start = 0;
    std::int64_t m_prev_decided = -1;
    float m_kick_sum = 0.0F;
    int m_kick_n = 0;

    FixedQueue<SwimLength, result_capacity> m_results;
};

// Summary of a swim for the given pool length. SWOLF = seconds + strokes per length, averaged.
struct SwimSummary {
    int lengths = 0;
    float distance_m = 0.0F;
    float swim_time_s = 0.0F;
    float mean_swolf = 0.0F;
    float pace_s_per_100m = 0.0F;
    int strokes = 0;
};
SwimSummary summarize_swim(std::span<const SwimLength> lengths, float pool_length_m);

} // namespace hearth::engine::health
