#pragma once

// A simulated Hearth watch wearer's day, synthesised from simple physiological models, in the
// watch convention (docs/watch-protocol.md). The schedule follows the UTC time of day: asleep
// 23:00-06:45 (heart rate ~52 bpm with 90-minute cycles, rare posture changes), a run
// 07:00-07:35 (heart rate up to ~155 bpm, cadence ~168 steps/min), walks at 08:00, 12:00 and
// 17:30 (~110 steps/min), otherwise resting (~68 bpm) with fidgets.
//
// PPG (25 Hz): a systolic peak and a dicrotic wave at the current heart rate, breathing
// baseline wander, sensor noise and a small motion artefact. Accelerometer (50 Hz, m/s^2):
// gravity in the current wrist posture, a vertical impact at the step rate and an arm swing at
// half of it, noise. Deterministic given the seed; the heart rate follows its target with a
// 30 s time constant.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace hearth::hub::sim {

enum class WearerActivity : std::uint8_t { Sleeping, Resting, Walking, Running };

struct WearerPlan {
    WearerActivity activity = WearerActivity::Resting;
    float target_bpm = 68.0F;
    float cadence_spm = 0.0F; // 0 when not walking or running
};

// What the wearer does at `t_ms` (unix ms), from the UTC time of day.
WearerPlan wearer_plan(std::int64_t t_ms);

struct WatchBatch {
    std::string samples_payload;        // for hearth/watch/<id>/samples
    std::vector<nlohmann::json> events; // for hearth/watch/<id>/event
    float bpm = 0.0F;                   // the true heart rate at the end, for checks
};

class WatchSynth {
public:
    static constexpr int ppg_rate_hz = 25;
    static constexpr int accel_rate_hz = 50;

    explicit WatchSynth(std::uint64_t seed = 1);

    // The samples of [t0_ms, t0_ms + duration_ms). Batches must follow each other; the first
    // one sets the heart rate to its target at once.
    WatchBatch next_batch(std::int64_t t0_ms, std::int64_t duration_ms);

private:
    std::mt19937_64 m_rng;
    bool m_started = false;
    double m_bpm = 68.0;
    double m_pulse_phase = 0.0; // cycles
    double m_gait_phase = 0.0;  // steps
    WearerActivity m_activity = WearerActivity::Resting;
    std::int64_t m_next_posture_ms = 0;
    double m_posture_tilt = 0.3; // radians from face-up
    double m_posture_roll = 0.0;
};

} // namespace hearth::hub::sim
