#pragma once

#include <cstdint>
#include <string_view>

namespace hearth::engine {

// How far an estimate can be trusted. Carried as a value next to the estimate, never encoded
// as a sentinel number in it.
enum class Quality : std::uint8_t {
    Good,      // clean signal
    Motion,    // estimate made during motion artefacts; plausible but less certain
    NoContact, // the sensor is not on the skin or the signal is flat; the estimate is a hold
};

constexpr std::string_view to_string(Quality q) {
    switch (q) {
    case Quality::Good:
        return "good";
    case Quality::Motion:
        return "motion";
    case Quality::NoContact:
        return "no_contact";
    }
    return "unknown";
}

} // namespace hearth::engine
