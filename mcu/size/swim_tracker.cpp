#include "health/swim_tracker.h"
#include "drive.h"

namespace {
hearth::engine::health::SwimTracker g_swim;
}

int main() {
    using namespace hearth;
    for (std::int64_t i = 0; i < 3000; ++i) {
        engine::health::SwimImuSample s;
        s.t_ms = i * 33;
        s.accel = {mcu::next_input(i), 0.0F, 9.8F};
        s.gyro = {0.0F, mcu::next_input(i + 1), 0.0F};
        s.mag = {20.0F, 0.0F, mcu::next_input(i + 2)};
        g_swim.push({&s, 1});
        while (auto l = g_swim.pull()) {
            mcu::g_sink = static_cast<float>(l->strokes);
        }
    }
    g_swim.finish();
    return 0;
}
