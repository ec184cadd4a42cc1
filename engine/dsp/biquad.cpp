#include "dsp/biquad.h"

#include "dsp/portable_math.h"

#include <numbers>

namespace hearth::engine::dsp {

namespace {

struct Prewarp {
    float cos_w0;
    float alpha;
};

Prewarp prewarp(float sample_rate_hz, float cutoff_hz, float q) {
    const float w0 = 2.0F * std::numbers::pi_v<float> * cutoff_hz / sample_rate_hz;
    return {portable_cos(w0), portable_sin(w0) / (2.0F * q)};
}

BiquadCoeffs normalise(float b0, float b1, float b2, float a0, float a1, float a2) {
    return {b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0};
}

} // namespace

BiquadCoeffs design_lowpass(float sample_rate_hz, float cutoff_hz, float q) {
    const auto [c, alpha] = prewarp(sample_rate_hz, cutoff_hz, q);
    const float b1 = 1.0F - c;
    return normalise(b1 / 2.0F, b1, b1 / 2.0F, 1.0F + alpha, -2.0F * c, 1.0F - alpha);
}

BiquadCoeffs design_highpass(float sample_rate_hz, float cutoff_hz, float q) {
    const auto [c, alpha] = prewarp(sample_rate_hz, cutoff_hz, q);
    const float b0 = (1.0F + c) / 2.0F;
    return normalise(b0, -(1.0F + c), b0, 1.0F + alpha, -2.0F * c, 1.0F - alpha);
}

void biquad_apply(const BiquadCoeffs& c, BiquadState& s, std::span<float> data) {
    for (float& x : data) {
        x = biquad_step(c, s, x);
    }
}

} // namespace hearth::engine::dsp
