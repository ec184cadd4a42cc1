#pragma once

// Second-order IIR sections (direct form II transposed), with parameters kept apart from state
// as in CMSIS-DSP: one `BiquadCoeffs` can drive many `BiquadState`s.
//
// Design formulas: R. Bristow-Johnson, "Cookbook formulae for audio equalizer biquad filter
// coefficients" (Butterworth sections with Q = 1/sqrt(2)).

#include <span>

namespace hearth::engine::dsp {

struct BiquadCoeffs {
    float b0 = 1.0F;
    float b1 = 0.0F;
    float b2 = 0.0F;
    float a1 = 0.0F; // denominator, a0 normalised to 1
    float a2 = 0.0F;
};

struct BiquadState {
    float z1 = 0.0F;
    float z2 = 0.0F;
};

// Precondition for the designers: 0 < cutoff_hz < sample_rate_hz / 2.
BiquadCoeffs design_lowpass(float sample_rate_hz, float cutoff_hz, float q = 0.70710678F);
BiquadCoeffs design_highpass(float sample_rate_hz, float cutoff_hz, float q = 0.70710678F);

inline float biquad_step(const BiquadCoeffs& c, BiquadState& s, float x) {
    const float y = c.b0 * x + s.z1;
    s.z1 = c.b1 * x - c.a1 * y + s.z2;
    s.z2 = c.b2 * x - c.a2 * y;
    return y;
}

// Filters `data` in place.
void biquad_apply(const BiquadCoeffs& c, BiquadState& s, std::span<float> data);

// A band-pass made of a high-pass then a low-pass section; the usual front end of the pulse and
// motion estimators.
struct BandPass {
    BiquadCoeffs high;
    BiquadCoeffs low;
    BiquadState high_state;
    BiquadState low_state;

    BandPass() = default;
    BandPass(float sample_rate_hz, float low_hz, float high_hz)
        : high(design_highpass(sample_rate_hz, low_hz)),
          low(design_lowpass(sample_rate_hz, high_hz)) {}

    float step(float x) { return biquad_step(low, low_state, biquad_step(high, high_state, x)); }
    void reset() {
        high_state = {};
        low_state = {};
    }
};

} // namespace hearth::engine::dsp
