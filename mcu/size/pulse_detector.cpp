#include "health/pulse_detector.h"
#include "drive.h"

namespace {
hearth::engine::health::PulseDetector g_pulse;
}

int main() {
    using namespace hearth;
    for (std::int64_t i = 0; i < 3000; ++i) {
        const engine::PpgSample s{i * 40, mcu::next_input(i)};
        g_pulse.push({&s, 1});
        while (auto b = g_pulse.pull()) {
            mcu::g_sink = static_cast<float>(b->t_ms);
        }
    }
    g_pulse.finish();
    return 0;
}
