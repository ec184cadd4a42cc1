#include "dsp/biquad.h"
#include "dsp/fft.h"

#include <array>
#include <cmath>
#include <complex>
#include <numbers>
#include <vector>

#include <gtest/gtest.h>

namespace hearth::engine::dsp {
namespace {

float rms_after_settling(BandPass& filter, float freq_hz, float rate_hz) {
    double sum = 0.0;
    int count = 0;
    for (int i = 0; i < static_cast<int>(rate_hz) * 20; ++i) {
        const float x =
            std::sin(2.0F * std::numbers::pi_v<float> * freq_hz * static_cast<float>(i) / rate_hz);
        const float y = filter.step(x);
        if (i > static_cast<int>(rate_hz) * 10) {
            sum += static_cast<double>(y) * y;
            ++count;
        }
    }
    return static_cast<float>(std::sqrt(sum / count));
}

TEST(BandPass, PassesTheBandAndStopsTheRest) {
    BandPass pass(100.0F, 0.5F, 4.0F);
    EXPECT_NEAR(rms_after_settling(pass, 1.5F, 100.0F), std::numbers::sqrt2_v<float> / 2.0F, 0.08F);
    BandPass low(100.0F, 0.5F, 4.0F);
    EXPECT_LT(rms_after_settling(low, 0.05F, 100.0F), 0.05F);
    BandPass high(100.0F, 0.5F, 4.0F);
    EXPECT_LT(rms_after_settling(high, 30.0F, 100.0F), 0.03F);
}

TEST(Fft, FindsTheToneBin) {
    constexpr std::size_t n = 256;
    std::vector<float> signal(n);
    for (std::size_t i = 0; i < n; ++i) {
        signal[i] = std::cos(2.0F * std::numbers::pi_v<float> * 10.0F * static_cast<float>(i) /
                             static_cast<float>(n));
    }
    std::vector<std::complex<float>> scratch(n);
    std::vector<float> power(n / 2 + 1);
    power_spectrum(signal, scratch, power);
    std::size_t peak = 0;
    for (std::size_t k = 1; k < power.size(); ++k) {
        if (power[k] > power[peak]) {
            peak = k;
        }
    }
    EXPECT_EQ(peak, 10U);
    EXPECT_NEAR(power[10], (n / 2.0F) * (n / 2.0F), 1.0F);
    EXPECT_LT(power[11], 1e-3F * power[10]);
}

TEST(Fft, MatchesTheDefinitionOnASmallInput) {
    std::array<std::complex<float>, 8> data{};
    for (std::size_t i = 0; i < data.size(); ++i) {
        data[i] = {static_cast<float>(i) * 0.5F - 1.0F, static_cast<float>(i % 3)};
    }
    const auto input = data;
    fft_inplace(data);
    for (std::size_t k = 0; k < data.size(); ++k) {
        std::complex<double> sum = 0.0;
        for (std::size_t j = 0; j < data.size(); ++j) {
            const double angle = -2.0 * std::numbers::pi * static_cast<double>(j * k) / 8.0;
            sum += std::complex<double>(input[j]) * std::polar(1.0, angle);
        }
        EXPECT_NEAR(data[k].real(), sum.real(), 1e-4);
        EXPECT_NEAR(data[k].imag(), sum.imag(), 1e-4);
    }
}

} // namespace
} // namespace hearth::engine::dsp
