#pragma once

// Activity recognition from a wrist or upper-arm IMU: still, walking, running, stairs, cycling,
// swimming, other.
//
// Pipeline: the accelerometer (and gyroscope when present) is resampled to 20 Hz and kept as
// 16-bit values (`UniformResampler`), cut into 5 s windows every 2.5 s, described by orientation-
// and rate-independent features (`compute_activity_features`), and classified by an extra-trees
// forest (Geurts, Ernst & Wehenkel, Machine Learning 2006) trained offline by
// tools/train_activity.py on WISDM 2019 (Weiss, Yoneda, Hayajneh, IEEE
// Access 2019; wrist), UCI DSADS (Barshan & Altun, Computer Journal 2014; upper arm) and pool
// swims from Brunner et al. (ISWC 2019; wrist). The weights are in health/activity_model.h
// (generated). Two forests are shipped: one with the gyroscope features, used when the gyro
// covers the window, and one on the accelerometer alone.
//
// Decisions are smoothed by a fixed-lag hidden Markov model (Rabiner, Proc. IEEE 1989): a
// sticky chain over the classes (stay 0.98 per 2.5 s hop), the forest's class probabilities as
// emission likelihoods, forward filtering, and each window decided with the
// `smoothing_lag_windows` windows after it (a backward pass over them). Activities last
// minutes; the chain suppresses isolated flips that a per-window decision makes. Each window is
// decided once, for its middle 2.5 s. Latency: 2.5 s + 5 s window / 2 + lag x 2.5 s (20 s for
// the default lag of 6). `finish()` decides the windows still waiting for their look-ahead (end
// of a recording); a gap does the same for the windows before it.
// Memory: fixed (sizeof(ActivityClassifier) in docs/steps-activity.md), no heap. Not
// thread-safe.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "base/fixed_queue.h"
#include "base/quality.h"
#include "base/samples.h"
#include "health/activity_features.h"

namespace hearth::engine::health {

enum class Activity : std::uint8_t { Still, Walking, Running, Stairs, Cycling, Swimming, Other };
inline constexpr std::size_t activity_class_count = 7;

constexpr std::string_view to_string(Activity a) {
    switch (a) {
    case Activity::Still:
        return "still";
    case Activity::Walking:
        return "walking";
    case Activity::Running:
        return "running";
    case Activity::Stairs:
        return "stairs";
    case Activity::Cycling:
        return "cycling";
    case Activity::Swimming:
        return "swimming";
    case Activity::Other:
        return "other";
    }
    return "other";
}

// Parses the lower-case names above; nullopt for anything else.
std::optional<Activity> activity_from_string(std::string_view name);

// One IMU reading. Accelerometer m/s^2 (gravity included), gyroscope rad/s, device frame (any
// axis convention).
struct ImuSample {
    TimeMs t_ms = 0;
    float ax = 0.0F;
    float ay = 0.0F;
    float az = 0.0F;
    float gx = 0.0F;
    float gy = 0.0F;
    float gz = 0.0F;
    bool has_gyro = false; // whether gx/gy/gz hold a reading
};

enum class GyroUse : std::uint8_t { WhenPresent, Never };

struct ActivityClassifierConfig {
    GyroUse gyro = GyroUse::WhenPresent;
    std::uint32_t smoothing_lag_windows = 6; // look-ahead of the HMM, 0..max_smoothing_lag
    TimeMs max_gap_ms = 1000;                // longer input gaps restart the windows

    static constexpr std::uint32_t max_smoothing_lag = 6;
    // At most one hop (2.5 s), so that one input sample completes at most one window.
    static constexpr TimeMs max_gap_limit_ms = 2500;

    [[nodiscard]] bool validate() const;
};

// The features of one 5 s window, before classification.
struct ActivityWindow {
    TimeMs start_ms = 0;
    TimeMs end_ms = 0;
    ActivityFeatures features;
    bool has_gyro = false;
    Continuity continuity = Continuity::Continuous; // AfterGap: first window after a gap
};

// Cuts the IMU stream into 5 s windows every 2.5 s and computes their features.
class ActivityWindower {
public:
    static constexpr std::size_t hop_samples = activity_window_samples / 2;
    // Small for the watch's RAM: ActivityClassifier pulls after every input sample; 4 windows
    // (10 s) also cover callers that pull after every hop_samples input samples at >= 5 Hz.
    static constexpr std::size_t queue_capacity = 4;

    explicit ActivityWindower(TimeMs max_gap_ms = 1000);

    // Samples in time order; pull() after every 10 s of input (with max_gap_ms <= 2500, after
    // every sample is always enough) or old windows are dropped.
    void push(std::span<const ImuSample> samples);
    std::optional<ActivityWindow> pull();
    void reset();

private:
    // Resampled channels: ax, ay, az, gx, gy, gz (summed over the samples that have it), share
    // of samples with gyro.
    static constexpr std::size_t channels = 7;
    void on_uniform(const UniformSample<channels>& s);

    // One resampled period as a 16-bit IMU would deliver it, to keep the 5 s ring small (1.4 KB
    // instead of 2.8 KB of float): acceleration in 1/256 m/s^2 (+-128 m/s^2, 13 g), angular rate
    // in 1/1024 rad/s (+-32 rad/s, 1833 deg/s), the share of input samples with gyro x 255.
    struct StoredSample {
        std::array<std::int16_t, 3> accel{};
        std::array<std::int16_t, 3> gyro{};
        std::uint8_t gyro_share = 0;
    };
    static constexpr float accel_lsb_per_mps2 = 256.0F;
    static constexpr float gyro_lsb_per_radps = 1024.0F;

    UniformResampler<channels> m_resampler;
    std::array<StoredSample, activity_window_samples> m_ring{};
    std::size_t m_ring_pos = 0;
    std::size_t m_filled = 0;
    std::size_t m_since_window = 0;
    Continuity m_next_continuity = Continuity::AfterGap;
    FixedQueue<ActivityWindow, queue_capacity> m_queue;
};

struct ActivityDecision {
    TimeMs start_ms = 0; // the 2.5 s span the decision describes
    TimeMs end_ms = 0;
    Activity activity = Activity::Other;
    float confidence = 0.0F; // smoothed probability of `activity`, 0..1
    Quality quality = Quality::Good;
};

// Class probabilities (index = Activity) of one window from the shipped forests.
enum class ModelVariant : std::uint8_t { WithGyro, AccelOnly };
std::array<float, activity_class_count> classify_window(const ActivityFeatures& features,
                                                        ModelVariant variant);

class ActivityClassifier {
public:
    static constexpr std::size_t queue_capacity = 8;

    // Precondition: config.validate(); an invalid config is replaced by the defaults.
    explicit ActivityClassifier(const ActivityClassifierConfig& config = {});

    // Samples in time order, any block length; pull() after every block of up to 10 s of input
    // (queue_capacity decisions, minus the lag's windows a gap can release at once), or the
    // oldest decisions are dropped.
    void push(std::span<const ImuSample> samples);
    // Decides the windows still waiting for look-ahead (call at the end of a recording, then
    // pull()); the stream continues as if after a gap.
    void finish();
    std::optional<ActivityDecision> pull();
    void reset();

private:
    using ClassProbabilities = std::array<float, activity_class_count>;
    static constexpr std::size_t ring_size = ActivityClassifierConfig::max_smoothing_lag + 1;

    void on_window(const ActivityWindow& window);
    // Decides the oldest undecided window with the look-ahead available.
    void decide_oldest();
    // m_forward of the previous window (or the uniform prior) carried to the window at `index`.
    void advance_forward(std::size_t index);

    ActivityClassifierConfig m_config;
    ActivityWindower m_windower;
    // Emission likelihoods of the last ring_size windows.
    std::array<ClassProbabilities, ring_size> m_emission{};
    // Forward (filtered) probabilities of the oldest undecided window, or of the last decided
    // one when none waits; the others' are derived from it when their turn comes.
    ClassProbabilities m_forward{};
    std::size_t m_newest = 0;    // ring index of the newest window
    std::size_t m_undecided = 0; // windows up to the newest that have no decision yet
    bool m_started = false;      // m_forward holds a window of the current stretch
    TimeMs m_newest_end_ms = 0;
    FixedQueue<ActivityDecision, queue_capacity> m_queue;
};

} // namespace hearth::engine::health
