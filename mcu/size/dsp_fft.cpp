// Flash and RAM of the FFT and band-pass filters on their own.
#include <array>
#include <complex>

#include "dsp/biquad.h"
#include "dsp/fft.h"

namespace {
std::array<std::complex<float>, 256> g_scratch;
std::array<float, 256> g_signal;
std::array<float, 129> g_power;
volatile float g_sink;
} // namespace

int main() {
    hearth::engine::dsp::BandPass filter(25.0F, 0.5F, 4.0F);
    for (std::size_t i = 0; i < g_signal.size(); ++i) {
        g_signal[i] = filter.step(static_cast<float>(i % 7));
    }
    hearth::engine::dsp::power_spectrum(g_signal, g_scratch, g_power);
    g_sink = g_power[10];
    return 0;
}
