#pragma once

// Causal sleep/wake detection for live use (the hub's `asleep`, fell_asleep and woke_up), from a
// per-epoch wrist movement index and, when present, heart rate. Unlike SleepStager (a
// whole-night model that stages at finish()), every decision here uses only the past and one
// minute of look-ahead, so it can run on a stream without re-deciding the night.
//
// Method, after standard actigraphy practice:
//   1. Epoch score (Cole, Kripke, Gruen, Mullaney, Gillin, "Automatic sleep/wake identification
//      from wrist activity", Sleep 15(5), 1992): a weighted sum of the activity of the 4 epochs
//      before, the epoch itself and the 2 after, with the relative weights of their 1-minute
//      formula (404, 598, 326, 441, 1408, 508, 350), here over 30 s epochs. Activity is the
//      movement index above `movement_floor` (sensor noise), in units of `movement_scale`; the
//      epoch is wake when the sum reaches the weight of the epoch itself, i.e. one isolated
//      epoch of `movement_scale` above the floor, or a sustained ~0.35 of it.
//   2. Rescoring (Webster, Kripke, Messin, Mullaney, Wyborney, "An activity-based sleep monitor
//      system for ambulatory use", Sleep 5(4), 1982), the causal rules only: after at least
//      4 min of wake the next 1 min of sleep is rescored wake, after 10 min the next 3 min,
//      after 15 min the next 4 min. Their look-ahead rules (short sleep bouts between long
//      wake) are served by step 3.
//   3. Hysteresis. Sleep onset is the first epoch of `onset_epochs` (10 min) of consecutive
//      sleep-scored epochs (the usual actigraphic definition: the first of >= 10 min of sleep).
//      A final awakening needs sustained wake: a window of `wake_epochs` (10 min) that starts
//      and ends with a wake epoch and is at least `wake_fraction` (80 %) wake, with the mean
//      heart rate of the window at least `hr_rise_bpm` (5 bpm) above the heart rate of this
//      sleep (an exponential mean over sleep-scored epochs, time constant 30 min): heart rate
//      falls below the waking level in sleep and returns on waking (e.g. Trinder et al.,
//      "Autonomic activity during human sleep as a function of time and sleep stage", J Sleep
//      Res 10(4), 2001). When the heart rate does not confirm it (no rise, or heart rate in
//      less than half of the window), the same sustained wake over `wake_no_hr_epochs`
//      (30 min) is needed. Brief arousals and turning over therefore do not end the night.
//
// Latency: an epoch's score comes 2 epochs (1 min) after it ends (look-ahead); sleep onset is
// reported onset_epochs + 2 epochs (11 min) after it, a final awakening wake_epochs + 2 (11 min)
// or wake_no_hr_epochs + 2 (31 min) after it. The transition time reported is the start of the
// sustained run (the onset epoch, the first wake epoch).
//
// Scale: the weights are Cole-Kripke's, but the movement index here is not an Actiwatch count,
// so `movement_floor` and `movement_scale` belong to the device and its index (the hub's watch
// adapter sets them in m/s^2 for its index; docs/swim-sleep.md gives the measured values).
//
// Shape: epochs are [k * epoch_ms, (k + 1) * epoch_ms) on the samples' clock. Push the heart
// rate of an epoch (any rate, 25-240 bpm used) before its movement index; the movement index
// completes the epoch (later heart rate for it is ignored). Epochs without a movement index
// between two that have one are unknown (Quality::NoContact): still for their neighbours'
// scores, but they neither extend nor break a run towards sleep onset and never count as wake.
// A gap longer than max_gap_ms keeps the state (asleep or awake) and restarts the scoring after
// it, so a watch out of reach for a while neither ends nor starts a night by itself. pull()
// returns one SleepDetection per scored epoch (gaps longer than max_gap_ms give none).
// finish() scores the last two epochs without look-ahead (offline use); later pushes are
// ignored until reset().
//
// Memory: fixed, sizeof(SleepDetector) about 4 KB; no heap. Not thread-safe.

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

enum class SleepWake : std::uint8_t { Wake, Sleep };

constexpr std::string_view to_string(SleepWake s) {
    return s == SleepWake::Sleep ? "sleep" : "wake";
}

struct SleepDetectorConfig {
    static constexpr std::uint32_t max_window_epochs = 120;
    static constexpr std::uint32_t max_gap_epochs = 24;

    TimeMs epoch_ms = 30'000;             // > 0
    float movement_floor = 0.0F;          // >= 0, movement index units; subtracted before scoring
    float movement_scale = 1.0F;          // > 0, movement index units above the floor
    std::uint32_t onset_epochs = 20;      // 1..max_window_epochs
    std::uint32_t wake_epochs = 20;       // 1..max_window_epochs
    std::uint32_t wake_no_hr_epochs = 60; // wake_epochs..max_window_epochs
    float wake_fraction = 0.8F;           // (0, 1]
    float hr_rise_bpm = 5.0F;             // >= 0
    TimeMs max_gap_ms = 10 * 60'000;      // epoch_ms..max_gap_epochs epochs; longer gaps: see above

    [[nodiscard]] bool validate() const;
};

struct SleepDetection {
    TimeMs start_ms = 0;
    TimeMs end_ms = 0;                 // exclusive
    SleepWake epoch = SleepWake::Wake; // this epoch's score (steps 1-2)
    SleepWake state = SleepWake::Wake; // the detector's state once this epoch is scored
    // Set on the epoch at which `state` changed: the start of the run that decided it (the
    // sleep onset epoch, or the first epoch of the final awakening, or the start of a gap).
    std::optional<TimeMs> transition_ms;
    Quality quality = Quality::Good; // NoContact for an epoch without a movement index
};

class SleepDetector {
public:
    static constexpr std::size_t queue_capacity = 48;
    static constexpr std::size_t look_ahead_epochs = 2;

    // Precondition: config.validate(); an invalid config is replaced by the defaults.
    explicit SleepDetector(const SleepDetectorConfig& config = {});

    void push(std::span<const HeartRateSample> samples);
    // One movement index per epoch, stamped with the epoch's start (rounded to the nearest).
    void push(std::span<const ActivityCountSample> samples);
    // Scores the epochs still waiting for their look-ahead; later pushes are ignored.
    void finish();

    // The oldest detection not yet pulled. Pull after every push that spans at most 12 min
    // (24 epochs), or the oldest detections are dropped.
    std::optional<SleepDetection> pull();

    [[nodiscard]] SleepWake state() const { return m_state; }
    void reset();

private:
    struct Epoch {
        float activity = 0.0F; // above the floor, in units of the scale
        float hr_bpm = 0.0F;   // valid when has_hr
        bool has_hr = false;
        bool has_movement = false;
        SleepWake score = SleepWake::Wake;
    };
    static constexpr std::size_t ring_size = SleepDetectorConfig::max_window_epochs + 8;
    static constexpr std::size_t hr_ahead_epochs = 8;

    void start_at(std::int64_t epoch);
    void restart_after_gap(std::int64_t epoch);
    void complete(std::optional<float> movement);
    void score(std::int64_t k, std::size_t available_ahead);
    void decide(std::int64_t k);
    [[nodiscard]] std::optional<std::int64_t> final_awakening(std::int64_t k);
    [[nodiscard]] Epoch& at(std::int64_t k) {
        return m_ring[static_cast<std::size_t>(k) % ring_size];
    }
    [[nodiscard]] TimeMs start_of(std::int64_t k) const { return k * m_config.epoch_ms; }

    SleepDetectorConfig m_config;
    std::array<Epoch, ring_size> m_ring{};
    std::array<float, hr_ahead_epochs> m_hr_sum{};
    std::array<std::uint16_t, hr_ahead_epochs> m_hr_n{};
    bool m_started = false;
    bool m_finished = false;
    std::int64_t m_first = 0;  // first epoch since (re)start
    std::int64_t m_next = 0;   // next epoch to complete
    std::int64_t m_scored = 0; // next epoch to score
    std::uint32_t m_raw_wake_run = 0;
    std::uint32_t m_rescore_left = 0;
    std::uint32_t m_sleep_run = 0; // sleep-scored epochs in the current run (unknown ones skipped)
    std::int64_t m_run_start = 0;  // first epoch of that run
    std::int64_t m_onset = 0;      // awakening windows start after this epoch
    SleepWake m_state = SleepWake::Wake;
    std::optional<float> m_sleep_hr_bpm;
    FixedQueue<SleepDetection, queue_capacity> m_queue;
};

} // namespace hearth::engine::health
