#pragma once

// Sleep staging per 30 s epoch (wake, light, deep, REM) from a device's heart rate and wrist
// movement, with a nightly summary.
//
// Method after Walch et al., "Sleep stage prediction with raw acceleration and
// photoplethysmography heart rate data derived from a consumer wearable device", SLEEP 2019:
// per-epoch movement (the device's movement index, or one computed here from raw acceleration),
// normalised per night by its 90th percentile so that any scale works, smoothed with Gaussian
// windows of 1, 5 and 15 minutes; heart rate per epoch as a z-score against the night, smoothed,
// its slow trend over about an hour (sigma 30 min), and its local variability around a 5-minute
// trend; a time-of-night "clock" proxy; hours from
// the start and to the end of the recording (capped at 2 h). Two logistic
// regressions trained by tools/train_sleep.py on the Walch data (wake/NREM/REM, then deep
// versus light within NREM).
//
// Shape: push() heart rate, movement index or raw acceleration as they come (any block length,
// time order per stream); finish() at the end of the night stages every epoch (the features
// look ahead by up to 90 min and use whole-night statistics, so the latency is the night);
// pull() then returns the epochs in order. Epoch k covers [k * 30 s, (k + 1) * 30 s) on the
// samples' clock, from t = 0 to the last sample.
//
// Memory: fixed arrays for `max_epochs` (16 h); sizeof(SleepStager) is about 173 KB (138 KB of
// it work space for finish()), so allocate it statically, not on a stack. No heap; not
// thread-safe.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "base/quality.h"
#include "base/samples.h"

namespace hearth::engine::health {

enum class SleepStage : std::uint8_t { Wake, Light, Deep, Rem };

constexpr std::string_view to_string(SleepStage stage) {
    switch (stage) {
    case SleepStage::Wake:
        return "wake";
    case SleepStage::Light:
        return "light";
    case SleepStage::Deep:
        return "deep";
    case SleepStage::Rem:
        return "rem";
    }
    return "unknown";
}

struct SleepEpoch {
    TimeMs start_ms = 0;
    TimeMs end_ms = 0; // exclusive
    SleepStage stage = SleepStage::Wake;
    // NoContact when the epoch had neither heart rate nor movement (interpolated), Good
    // otherwise.
    Quality quality = Quality::Good;
};

struct SleepStagerConfig {
    TimeMs epoch_ms = 30'000; // the model is trained on 30 s epochs; other values are refused

    [[nodiscard]] bool validate() const { return epoch_ms == 30'000; }
};

inline constexpr std::size_t sleep_feature_count = 14;

// Per-epoch features (see tools/train_sleep.py, which mirrors this) from per-epoch heart rate
// (NaN where none) and movement index (NaN where none), all spans of the same length. Writes
// features[k][epoch]; the two scratch spans are overwritten. No allocation.
void sleep_epoch_features(std::span<const float> hr_bpm, std::span<const float> movement,
                          std::span<float> scratch_a, std::span<float> scratch_b,
                          const std::array<std::span<float>, sleep_feature_count>& features);

class SleepStager {
public:
    static constexpr std::size_t max_epochs = 1920; // 16 h; later samples are ignored

    // Precondition: config.validate().
    explicit SleepStager(const SleepStagerConfig& config = {});

    void push(std::span<const HeartRateSample> samples);
    // A movement index per epoch, stamped with its epoch's start (rounded to the nearest).
    void push(std::span<const ActivityCountSample> samples);
    // Raw acceleration; its own movement index is used for epochs without a pushed one.
    void push(std::span<const AccelSample> samples);

    // Stages every epoch seen; pull() then returns them in order. Later pushes are ignored until
    // reset().
    void finish();
    std::optional<SleepEpoch> pull();
    void reset();

private:
    [[nodiscard]] std::optional<std::size_t> epoch_of(TimeMs t_ms) const;
    void see(std::size_t epoch);

    SleepStagerConfig m_config;
    std::array<float, max_epochs> m_hr_sum{};
    std::array<std::uint16_t, max_epochs> m_hr_n{};
    std::array<float, max_epochs> m_activity{};
    std::array<float, max_epochs> m_motion_sum{};
    std::array<std::uint16_t, max_epochs> m_motion_n{};
    std::array<SleepStage, max_epochs> m_stage{};
    std::array<Quality, max_epochs> m_quality{};
    // Work space for finish(): per-epoch inputs, features and scratch.
    std::array<std::array<float, max_epochs>, sleep_feature_count + 4> m_work{};
    std::size_t m_epochs = 0;
    std::size_t m_next_pull = 0;
    bool m_finished = false;
    float m_last_accel_norm = -1.0F;
};

// The night from staged epochs. Sleep onset is the first non-wake epoch and the final awakening
// follows the last one; awakenings are wake bouts of at least two epochs (1 min) in between.
struct SleepSummary {
    float time_in_bed_s = 0.0F; // all epochs
    float time_asleep_s = 0.0F;
    float efficiency = 0.0F; // asleep / in bed, 0..1
    float sleep_onset_latency_s = 0.0F;
    float wake_after_sleep_onset_s = 0.0F;
    float wake_s = 0.0F;
    float light_s = 0.0F;
    float deep_s = 0.0F;
    float rem_s = 0.0F;
    int awakenings = 0;
};
SleepSummary summarize_sleep(std::span<const SleepEpoch> epochs);

} // namespace hearth::engine::health
