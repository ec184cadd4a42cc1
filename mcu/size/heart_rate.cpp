#include "health/heart_rate.h"
#include "drive.h"

namespace {
hearth::engine::health::HeartRateEstimator g_hr;
}

int main() {
    using namespace hearth;
    for (std::int64_t i = 0; i < 3000; ++i) {
        const engine::PpgSample p{i * 40, mcu::next_input(i)};
        const engine::AccelSample a{i * 40, mcu::next_input(i + 1), 0.0F, 9.8F};
        g_hr.push_ppg({&p, 1});
        g_hr.push_accel({&a, 1});
        while (auto e = g_hr.pull()) {
            mcu::g_sink = e->bpm;
        }
    }
    return 0;
}
