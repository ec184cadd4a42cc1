#include "health/hrv.h"
#include "drive.h"

namespace {
hearth::engine::health::HrvAnalyzer g_hrv;
}

int main() {
    using namespace hearth;
    for (std::int64_t i = 0; i < 3000; ++i) {
        const engine::health::BeatEvent b{i * 800 + static_cast<std::int64_t>(mcu::next_input(i)),
                                          engine::health::BeatKind::Normal};
        g_hrv.push({&b, 1});
        while (auto r = g_hrv.pull()) {
            mcu::g_sink = static_cast<float>(r->n_nn);
        }
    }
    g_hrv.finish();
    return 0;
}
