#include "health/step_counter.h"
#include "drive.h"

namespace {
hearth::engine::health::StepCounter g_steps;
}

int main() {
    using namespace hearth;
    for (std::int64_t i = 0; i < 3000; ++i) {
        const engine::AccelSample a{i * 20, mcu::next_input(i), 0.0F, 9.8F};
        g_steps.push({&a, 1});
        while (auto s = g_steps.pull()) {
            mcu::g_sink = static_cast<float>(s->t_ms);
        }
    }
    return 0;
}
