#pragma once

// Group delay of IIR sections, for aligning detected events with the unfiltered input.

#include <span>

#include "dsp/biquad.h"

namespace hearth::engine::dsp {

// Group delay (samples) of the cascade of `sections` at `hz`, from the slope of the phase
// response. Precondition: 0 < hz < sample_rate_hz / 2.
float group_delay_samples(std::span<const BiquadCoeffs> sections, float hz, float sample_rate_hz);

} // namespace hearth::engine::dsp
