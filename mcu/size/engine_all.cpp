// Every algorithm of the engine linked into one program: the flash budget.
#include "drive.h"
#include "health/activity_classifier.h"
#include "health/heart_rate.h"
#include "health/hrv.h"
#include "health/pulse_detector.h"
#include "health/qrs_detector.h"
#include "health/sleep_detector.h"
#include "health/sleep_stager.h"
#include "health/step_counter.h"
#include "health/swim_tracker.h"

namespace {
hearth::engine::health::HeartRateEstimator g_hr;
hearth::engine::health::StepCounter g_steps;
hearth::engine::health::ActivityClassifier g_activity;
hearth::engine::health::QrsDetector g_qrs;
hearth::engine::health::PulseDetector g_pulse;
hearth::engine::health::HrvAnalyzer g_hrv;
hearth::engine::health::SwimTracker g_swim;
hearth::engine::health::SleepStager g_sleep;
hearth::engine::health::SleepDetector g_sleep_detector;
} // namespace

int main() {
    using namespace hearth;
    using namespace hearth::engine;
    for (std::int64_t i = 0; i < 3000; ++i) {
        const float x = mcu::next_input(i);
        const AccelSample a{i * 20, x, 0.0F, 9.8F};
        health::ImuSample imu;
        imu.t_ms = a.t_ms;
        imu.ax = x;
        imu.az = 9.8F;
        health::SwimImuSample swim;
        swim.t_ms = a.t_ms;
        swim.accel = {x, 0.0F, 9.8F};
        const PpgSample p{a.t_ms, x};
        const EcgSample e{a.t_ms, x};
        const HeartRateSample hr{a.t_ms, 60.0F + x};
        const health::BeatEvent beat{i * 800, health::BeatKind::Normal};
        g_hr.push_ppg({&p, 1});
        g_hr.push_accel({&a, 1});
        g_steps.push({&a, 1});
        g_activity.push({&imu, 1});
        g_qrs.push({&e, 1});
        g_pulse.push({&p, 1});
        g_hrv.push({&beat, 1});
        g_swim.push({&swim, 1});
        g_sleep.push(std::span<const HeartRateSample>(&hr, 1));
        g_sleep.push(std::span<const AccelSample>(&a, 1));
        if (i % 30 == 0) {
            const ActivityCountSample move{i * 1000, x};
            g_sleep_detector.push(std::span<const HeartRateSample>(&hr, 1));
            g_sleep_detector.push(std::span<const ActivityCountSample>(&move, 1));
        }
        while (auto r = g_sleep_detector.pull()) {
            mcu::g_sink = static_cast<float>(r->transition_ms.value_or(r->start_ms));
        }
        while (auto r = g_hr.pull()) {
            mcu::g_sink = r->bpm;
        }
        while (auto r = g_steps.pull()) {
            mcu::g_sink = r->cadence_spm;
        }
        while (auto r = g_activity.pull()) {
            mcu::g_sink = r->confidence;
        }
        while (auto r = g_qrs.pull()) {
            mcu::g_sink = r->amplitude;
        }
        while (auto r = g_pulse.pull()) {
            mcu::g_sink = r->amplitude;
        }
        while (auto r = g_hrv.pull()) {
            mcu::g_sink = r->rmssd_ms;
        }
        while (auto r = g_swim.pull()) {
            mcu::g_sink = static_cast<float>(r->strokes);
        }
    }
    g_qrs.finish();
    g_pulse.finish();
    g_hrv.finish();
    g_swim.finish();
    g_sleep.finish();
    while (auto r = g_sleep.pull()) {
        mcu::g_sink = static_cast<float>(r->start_ms);
    }
    return 0;
}
