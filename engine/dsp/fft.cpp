#include "dsp/fft.h"

#include "dsp/portable_math.h"

#include <numbers>
#include <utility>

namespace hearth::engine::dsp {

void fft_inplace(std::span<std::complex<float>> data) {
    const std::size_t n = data.size();
    if (n < 2) {
        return;
    }
    // Bit-reversal permutation.
    for (std::size_t i = 1, j = 0; i < n; ++i) {
        std::size_t bit = n >> 1U;
        for (; (j & bit) != 0; bit >>= 1U) {
            j ^= bit;
        }
        j ^= bit;
        if (i < j) {
            std::swap(data[i], data[j]);
        }
    }
    for (std::size_t len = 2; len <= n; len <<= 1U) {
        const float angle = -2.0F * std::numbers::pi_v<float> / static_cast<float>(len);
        const std::complex<float> step(portable_cos(angle), portable_sin(angle));
        for (std::size_t start = 0; start < n; start += len) {
            std::complex<float> w(1.0F, 0.0F);
            for (std::size_t k = 0; k < len / 2; ++k) {
                const std::complex<float> even = data[start + k];
                const std::complex<float> odd = data[start + k + len / 2] * w;
                data[start + k] = even + odd;
                data[start + k + len / 2] = even - odd;
                w *= step;
            }
        }
    }
}

void power_spectrum(std::span<const float> signal, std::span<std::complex<float>> scratch,
                    std::span<float> power) {
    const std::size_t n = signal.size();
    for (std::size_t i = 0; i < n; ++i) {
        scratch[i] = {signal[i], 0.0F};
    }
    fft_inplace(scratch.first(n));
    for (std::size_t k = 0; k <= n / 2 && k < power.size(); ++k) {
        power[k] = std::norm(scratch[k]);
    }
}

} // namespace hearth::engine::dsp
