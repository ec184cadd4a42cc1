#include "sim/sim_watch.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace hearth::hub::sim {

using json = nlohmann::json;

namespace {

constexpr std::int64_t minute_ms = 60'000;
constexpr std::int64_t day_ms = 1440 * minute_ms;
constexpr double gravity_ms2 = 9.81;
constexpr double two_pi = 2.0 * std::numbers::pi;

bool in(std::int64_t minute, int from_h, int from_m, int to_h, int to_m) {
    return minute >= from_h * 60 + from_m && minute < to_h * 60 + to_m;
}

// Pulse shape over one cardiac cycle (phase 0..1): systolic peak and dicrotic wave.
double pulse_shape(double phase) {
    const double a = (phase - 0.18) / 0.07;
    const double b = (phase - 0.5) / 0.1;
    return std::exp(-a * a) + 0.35 * std::exp(-b * b);
}

} // namespace

WearerPlan wearer_plan(std::int64_t t_ms) {
    const std::int64_t in_day = ((t_ms % day_ms) + day_ms) % day_ms;
    const std::int64_t minute = in_day / minute_ms;
    if (minute >= 23 * 60 || in(minute, 0, 0, 6, 45)) {
        // Heart rate falls through the night with ~90-minute cycles (REM is faster).
        const double cycle = std::sin(two_pi * static_cast<double>(in_day) / (90.0 * minute_ms));
        return {WearerActivity::Sleeping, static_cast<float>(53.0 + 4.0 * cycle), 0.0F};
    }
    if (in(minute, 7, 0, 7, 35)) {
        const double into_min = static_cast<double>(minute - 7 * 60);
        const double bpm = 150.0 + 8.0 * std::min(1.0, into_min / 20.0);
        return {WearerActivity::Running, static_cast<float>(bpm), 168.0F};
    }
    if (in(minute, 8, 0, 8, 20) || in(minute, 12, 0, 12, 20) || in(minute, 17, 30, 18, 0)) {
        return {WearerActivity::Walking, 96.0F, 112.0F};
    }
    if (in(minute, 7, 35, 8, 0)) {
        return {WearerActivity::Resting, 78.0F, 0.0F}; // recovering after the run
    }
    return {WearerActivity::Resting, 68.0F, 0.0F};
}

WatchSynth::WatchSynth(std::uint64_t seed) : m_rng(seed) {}

WatchBatch WatchSynth::next_batch(std::int64_t t0_ms, std::int64_t duration_ms) {
    std::normal_distribution<double> noise(0.0, 1.0);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    WatchBatch out;
    const WearerPlan start_plan = wearer_plan(t0_ms);
    if (!m_started) {
        m_started = true;
        m_bpm = start_plan.target_bpm;
        m_activity = start_plan.activity;
        m_next_posture_ms = t0_ms;
    }
    if (start_plan.activity != m_activity) {
        if (start_plan.activity == WearerActivity::Running) {
            out.events.push_back(
                {{"type", "workout_started"}, {"sport", "running"}, {"t_ms", t0_ms}});
        } else if (m_activity == WearerActivity::Running) {
            out.events.push_back(
                {{"type", "workout_ended"}, {"sport", "running"}, {"t_ms", t0_ms}});
        }
        m_activity = start_plan.activity;
    }

    const auto ppg_n = static_cast<std::size_t>(duration_ms * ppg_rate_hz / 1000);
    const auto accel_n = static_cast<std::size_t>(duration_ms * accel_rate_hz / 1000);
    json ppg = json::array();
    json accel = json::array();
    // Both streams are generated on the accelerometer's grid; every second sample is PPG.
    static_assert(accel_rate_hz == 2 * ppg_rate_hz);
    const double dt_s = 1.0 / accel_rate_hz;
    for (std::size_t i = 0; i < accel_n; ++i) {
        const std::int64_t t_ms = t0_ms + static_cast<std::int64_t>(i) * 1000 / accel_rate_hz;
        const WearerPlan plan = wearer_plan(t_ms);
        // Heart rate: first-order approach to the target (tau 30 s) plus slow variability.
        m_bpm += (plan.target_bpm - m_bpm) * dt_s / 30.0 + 0.02 * noise(m_rng);
        m_pulse_phase = std::fmod(m_pulse_phase + m_bpm / 60.0 * dt_s, 1.0);

        if (t_ms >= m_next_posture_ms) {
            // Posture changes: every few minutes awake, every ~30 min asleep.
            const bool asleep = plan.activity == WearerActivity::Sleeping;
            m_posture_tilt = (asleep ? 1.4 : 0.6) * uniform(m_rng);
            m_posture_roll = two_pi * uniform(m_rng);
            m_next_posture_ms = t_ms + static_cast<std::int64_t>((asleep ? 30.0 : 4.0) * minute_ms *
                                                                 (0.5 + uniform(m_rng)));
        }
        double x = gravity_ms2 * std::sin(m_posture_tilt) * std::cos(m_posture_roll);
        double y = gravity_ms2 * std::sin(m_posture_tilt) * std::sin(m_posture_roll);
        double z = gravity_ms2 * std::cos(m_posture_tilt);
        double motion = 0.0;
        if (plan.cadence_spm > 0.0F) {
            m_gait_phase += plan.cadence_spm / 60.0 * dt_s;
            const bool running = plan.activity == WearerActivity::Running;
            const double impact = running ? 7.0 : 2.2;
            const double swing = running ? 5.0 : 2.0;
            const double step = two_pi * m_gait_phase;
            // Impact at each step (with its second harmonic), arm swing at half the step rate.
            const double vertical = impact * (std::sin(step) + 0.3 * std::sin(2.0 * step));
            const double lateral = swing * std::sin(step / 2.0);
            z += vertical;
            x += lateral;
            y += 0.4 * swing * std::cos(step / 2.0);
            motion = vertical;
        }
        const double jitter = plan.activity == WearerActivity::Sleeping ? 0.01
                              : plan.cadence_spm > 0.0F                 ? 0.3
                                                                        : 0.05;
        x += jitter * noise(m_rng);
        y += jitter * noise(m_rng);
        z += jitter * noise(m_rng);
        const auto r3 = [](double v) { return std::round(v * 1000.0) / 1000.0; };
        accel.push_back({r3(x), r3(y), r3(z)});
        if (i % 2 == 0 && ppg.size() < ppg_n) {
            const double t_s = static_cast<double>(t_ms) / 1000.0;
            const double breathing = 15.0 * std::sin(two_pi * 0.25 * std::fmod(t_s, 4000.0));
            const double value = 2000.0 + 120.0 * pulse_shape(m_pulse_phase) + breathing +
                                 4.0 * motion + 3.0 * noise(m_rng);
            ppg.push_back(std::round(value * 10.0) / 10.0);
        }
    }
    out.bpm = static_cast<float>(m_bpm);
    out.samples_payload =
        json{{"t0_ms", t0_ms},
             {"ppg", {{"rate_hz", ppg_rate_hz}, {"values", std::move(ppg)}}},
             {"accel", {{"rate_hz", accel_rate_hz}, {"values", std::move(accel)}}}}
            .dump();
    return out;
}

} // namespace hearth::hub::sim
