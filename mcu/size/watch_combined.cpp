// Heart rate, steps and activity running together: the watch's always-on set (RAM budget).
#include "drive.h"
#include "health/activity_classifier.h"
#include "health/heart_rate.h"
#include "health/step_counter.h"

namespace {
hearth::engine::health::HeartRateEstimator g_hr;
hearth::engine::health::StepCounter g_steps;
hearth::engine::health::ActivityClassifier g_activity;
} // namespace

int main() {
    using namespace hearth;
    for (std::int64_t i = 0; i < 3000; ++i) {
        const engine::AccelSample a{i * 20, mcu::next_input(i), 0.0F, 9.8F};
        engine::health::ImuSample imu;
        imu.t_ms = a.t_ms;
        imu.ax = a.x;
        imu.az = a.z;
        g_steps.push({&a, 1});
        g_hr.push_accel({&a, 1});
        g_activity.push({&imu, 1});
        if (i % 2 == 0) {
            const engine::PpgSample p{i * 20, mcu::next_input(i + 3)};
            g_hr.push_ppg({&p, 1});
        }
        while (auto e = g_hr.pull()) {
            mcu::g_sink = e->bpm;
        }
        while (auto s = g_steps.pull()) {
            mcu::g_sink = static_cast<float>(s->t_ms);
        }
        while (auto d = g_activity.pull()) {
            mcu::g_sink = static_cast<float>(d->start_ms);
        }
    }
    return 0;
}
