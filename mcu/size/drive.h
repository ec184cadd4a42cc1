#pragma once

// Drives an algorithm with made-up samples read through a volatile, so that the compiler keeps
// all of its code: the program's size is then the algorithm's real flash and RAM cost.

#include <cstdint>

#include "base/samples.h"

namespace hearth::mcu {

inline volatile float g_input = 1.0F;
inline volatile float g_sink = 0.0F;

inline float next_input(std::int64_t i) {
    return g_input * static_cast<float>(i % 17);
}

} // namespace hearth::mcu
