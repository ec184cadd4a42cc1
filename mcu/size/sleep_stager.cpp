#include "health/sleep_stager.h"
#include "drive.h"

namespace {
hearth::engine::health::SleepStager g_sleep;
}

int main() {
    using namespace hearth;
    for (std::int64_t i = 0; i < 3000; ++i) {
        const engine::HeartRateSample hr{i * 5000, 60.0F + mcu::next_input(i)};
        const engine::ActivityCountSample act{i * 30000, mcu::next_input(i + 1)};
        g_sleep.push(std::span<const engine::HeartRateSample>(&hr, 1));
        g_sleep.push(std::span<const engine::ActivityCountSample>(&act, 1));
    }
    g_sleep.finish();
    while (auto e = g_sleep.pull()) {
        mcu::g_sink = static_cast<float>(e->start_ms);
    }
    return 0;
}
