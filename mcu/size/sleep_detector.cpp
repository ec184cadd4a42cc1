#include "health/sleep_detector.h"
#include "drive.h"

namespace {
hearth::engine::health::SleepDetector g_detector;
}

int main() {
    using namespace hearth;
    for (std::int64_t i = 0; i < 3000; ++i) {
        const engine::HeartRateSample hr{i * 30000 + 15000, 60.0F + mcu::next_input(i)};
        const engine::ActivityCountSample act{i * 30000, mcu::next_input(i + 1)};
        g_detector.push(std::span<const engine::HeartRateSample>(&hr, 1));
        g_detector.push(std::span<const engine::ActivityCountSample>(&act, 1));
        while (auto d = g_detector.pull()) {
            mcu::g_sink = static_cast<float>(d->transition_ms.value_or(d->start_ms));
        }
    }
    g_detector.finish();
    while (auto d = g_detector.pull()) {
        mcu::g_sink = static_cast<float>(d->start_ms);
    }
    return 0;
}
