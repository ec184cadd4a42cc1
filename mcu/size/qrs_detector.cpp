#include "health/qrs_detector.h"
#include "drive.h"

namespace {
hearth::engine::health::QrsDetector g_qrs;
}

int main() {
    using namespace hearth;
    for (std::int64_t i = 0; i < 3000; ++i) {
        const engine::EcgSample s{i * 3, mcu::next_input(i)};
        g_qrs.push({&s, 1});
        while (auto b = g_qrs.pull()) {
            mcu::g_sink = static_cast<float>(b->t_ms);
        }
    }
    g_qrs.finish();
    return 0;
}
