#include "dsp/group_delay.h"

#include <complex>
#include <numbers>

namespace hearth::engine::dsp {

namespace {

float phase_at(const BiquadCoeffs& c, float w) {
    const std::complex<float> z1 = std::polar(1.0F, -w);
    const std::complex<float> z2 = z1 * z1;
    const std::complex<float> h = (c.b0 + c.b1 * z1 + c.b2 * z2) / (1.0F + c.a1 * z1 + c.a2 * z2);
    return std::arg(h);
}

} // namespace

float group_delay_samples(std::span<const BiquadCoeffs> sections, float hz, float sample_rate_hz) {
    constexpr float pi = std::numbers::pi_v<float>;
    const float w = 2.0F * pi * hz / sample_rate_hz;
    const float dw = 0.01F * w;
    float total = 0.0F;
    for (const BiquadCoeffs& c : sections) {
        float dphi = phase_at(c, w + dw) - phase_at(c, w - dw);
        // The phase may wrap between the two points.
        if (dphi > pi) {
            dphi -= 2.0F * pi;
        } else if (dphi < -pi) {
            dphi += 2.0F * pi;
        }
        total += -dphi / (2.0F * dw);
    }
    return total;
}

} // namespace hearth::engine::dsp
