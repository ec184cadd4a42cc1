#pragma once

// sin, cos, log and exp in plain single-precision arithmetic (range reduction and polynomials),
// so that the watch and the server compute bit-identical results: the C libraries' versions
// (glibc on the host, newlib on the watch) differ in the last bits, and a spectral tracker can
// turn one bit into a different peak. Accuracy: a few units in the last place of a float over
// the ranges the engine uses (|x| < 1e4 for sin/cos; x > 0 for log; |x| < 80 for exp).
// Requires IEEE single precision without fused multiply-add contraction (-ffp-contract=off,
// set by the presets and the Cortex-M4F toolchain file).
//
// Polynomials: Taylor series truncated where the next term is below float resolution on the
// reduced ranges (|r| <= pi/4 for sin/cos; the atanh series for log on [sqrt(1/2), sqrt(2)];
// |r| <= ln(2)/2 for exp).

#include <bit>
#include <cstdint>

namespace hearth::engine::dsp {

namespace detail {

inline float sin_poly(float r) {
    const float r2 = r * r;
    return r + r * r2 *
                   (-1.0F / 6.0F +
                    r2 * (1.0F / 120.0F + r2 * (-1.0F / 5040.0F + r2 * (1.0F / 362880.0F))));
}

inline float cos_poly(float r) {
    const float r2 = r * r;
    return 1.0F + r2 * (-0.5F + r2 * (1.0F / 24.0F +
                                      r2 * (-1.0F / 720.0F +
                                            r2 * (1.0F / 40320.0F + r2 * (-1.0F / 3628800.0F)))));
}

// x = q * pi/2 + r with |r| <= pi/4 (Cody-Waite: pi/2 split in two floats).
inline float reduce_quadrant(float x, std::int32_t& q) {
    const float two_over_pi = 0.636619772F;
    const float k = x * two_over_pi;
    q = static_cast<std::int32_t>(k >= 0.0F ? k + 0.5F : k - 0.5F);
    const float qf = static_cast<float>(q);
    return (x - qf * 1.57079625129699707F) - qf * 7.54978995489188216e-8F;
}

} // namespace detail

inline float portable_sin(float x) {
    std::int32_t q = 0;
    const float r = detail::reduce_quadrant(x, q);
    switch (q & 3) {
    case 0:
        return detail::sin_poly(r);
    case 1:
        return detail::cos_poly(r);
    case 2:
        return -detail::sin_poly(r);
    default:
        return -detail::cos_poly(r);
    }
}

inline float portable_cos(float x) {
    std::int32_t q = 0;
    const float r = detail::reduce_quadrant(x, q);
    switch (q & 3) {
    case 0:
        return detail::cos_poly(r);
    case 1:
        return -detail::sin_poly(r);
    case 2:
        return -detail::cos_poly(r);
    default:
        return detail::sin_poly(r);
    }
}

// Natural logarithm; precondition x > 0 and finite (returns a large negative number for 0).
inline float portable_log(float x) {
    if (!(x > 0.0F)) {
        return -1.0e30F;
    }
    std::uint32_t bits = std::bit_cast<std::uint32_t>(x);
    std::int32_t exponent = static_cast<std::int32_t>((bits >> 23U) & 0xFFU);
    if (exponent == 0) { // subnormal: scale into the normal range first
        x *= 8388608.0F; // 2^23
        bits = std::bit_cast<std::uint32_t>(x);
        exponent = static_cast<std::int32_t>((bits >> 23U) & 0xFFU) - 23;
    }
    exponent -= 127;
    // Mantissa in [1, 2), then moved to [sqrt(1/2), sqrt(2)).
    float m = std::bit_cast<float>((bits & 0x007FFFFFU) | 0x3F800000U);
    if (m > 1.41421356F) {
        m *= 0.5F;
        ++exponent;
    }
    const float s = (m - 1.0F) / (m + 1.0F);
    const float s2 = s * s;
    const float series =
        2.0F * s *
        (1.0F + s2 * (1.0F / 3.0F +
                      s2 * (1.0F / 5.0F + s2 * (1.0F / 7.0F + s2 * (1.0F / 9.0F + s2 / 11.0F)))));
    return series + static_cast<float>(exponent) * 0.693147181F;
}

// e^x; saturates to 0 below -87 and to a large value above 88.
inline float portable_exp(float x) {
    if (x < -87.0F) {
        return 0.0F;
    }
    if (x > 88.0F) {
        return 3.0e38F;
    }
    const float k = x * 1.44269504F; // x / ln 2
    const auto n = static_cast<std::int32_t>(k >= 0.0F ? k + 0.5F : k - 0.5F);
    const float nf = static_cast<float>(n);
    const float r = (x - nf * 0.693145752F) - nf * 1.42860677e-6F;
    const float p =
        1.0F +
        r * (1.0F +
             r * (0.5F + r * (1.0F / 6.0F +
                              r * (1.0F / 24.0F + r * (1.0F / 120.0F + r * (1.0F / 720.0F))))));
    return p * std::bit_cast<float>(static_cast<std::uint32_t>(n + 127) << 23U);
}

} // namespace hearth::engine::dsp
