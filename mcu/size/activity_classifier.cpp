#include "health/activity_classifier.h"
#include "drive.h"

namespace {
hearth::engine::health::ActivityClassifier g_activity;
}

int main() {
    using namespace hearth;
    for (std::int64_t i = 0; i < 3000; ++i) {
        engine::health::ImuSample s;
        s.t_ms = i * 50;
        s.ax = mcu::next_input(i);
        s.az = 9.8F;
        g_activity.push({&s, 1});
        while (auto d = g_activity.pull()) {
            mcu::g_sink = static_cast<float>(d->start_ms);
        }
    }
    return 0;
}
