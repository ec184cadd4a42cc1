#pragma once

// In-place radix-2 complex FFT over caller-owned storage, single precision, no heap.
// Used by the spectral heart-rate tracker and the frequency-domain HRV.

#include <complex>
#include <cstddef>
#include <span>

namespace hearth::engine::dsp {

[[nodiscard]] constexpr bool is_power_of_two(std::size_t n) {
    return n != 0 && (n & (n - 1)) == 0;
}

// Forward transform (e^{-i...}), unnormalised. Precondition: data.size() is a power of two.
void fft_inplace(std::span<std::complex<float>> data);

// Power spectrum |X_k|^2 of a real signal for k = 0..n/2, written to `power` (size n/2 + 1),
// using `scratch` (size n) as work space. Precondition: signal.size() == scratch.size() == n,
// n a power of two.
void power_spectrum(std::span<const float> signal, std::span<std::complex<float>> scratch,
                    std::span<float> power);

} // namespace hearth::engine::dsp
