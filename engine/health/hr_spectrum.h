#pragma once

// Spectral maths and the peak tracker behind the heart-rate estimator (health/heart_rate.h).
//
// Spectra are taken at a fixed 25 Hz over 8 s (200 samples), Hann-windowed and zero-padded to
// 512 points (0.049 Hz = 2.93 BPM per bin, refined by parabolic interpolation), and kept only in
// the heart-rate band 30-240 BPM. 512 rather than 1024 points halves the largest buffer (4 KB)
// and measured slightly better on spc2015-train (docs/heart-rate.md): the 8 s window resolves
// about 7.5 BPM whatever the padding. Free functions over caller-owned spans; no heap.

#include <array>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <span>

namespace hearth::engine::health {

inline constexpr float hr_sample_rate_hz = 25.0F;
inline constexpr std::size_t hr_window_bins = 200; // 8 s at 25 Hz
inline constexpr std::size_t hr_step_bins = 50;    // 2 s at 25 Hz
inline constexpr std::size_t hr_fft_size = 512;
inline constexpr float hr_bpm_per_bin = hr_sample_rate_hz * 60.0F / static_cast<float>(hr_fft_size);
// The band kept: the FFT bins from just below 30 BPM to just above 240 BPM.
inline constexpr std::size_t hr_band_first = static_cast<std::size_t>(30.0F / hr_bpm_per_bin);
inline constexpr std::size_t hr_band_bins =
    static_cast<std::size_t>(240.0F / hr_bpm_per_bin) + 2 - hr_band_first;

// Heart rate (BPM) of a fractional index into a band spectrum, and back.
constexpr float hr_band_index_to_bpm(float index) {
    return (index + static_cast<float>(hr_band_first)) * hr_bpm_per_bin;
}
constexpr float hr_bpm_to_band_index(float bpm) {
    return bpm / hr_bpm_per_bin - static_cast<float>(hr_band_first);
}

// Loads two real signals as z = a + ib into `scratch` for hr_band_spectra: the first
// `count` elements hold the signals with their means removed and a Hann window applied, the rest
// is zero padding. Precondition: count <= scratch.size().
void hr_taper_pair(std::span<std::complex<float>> scratch, std::size_t count);

// Band power spectra of the two real signals loaded in `scratch` (hr_fft_size elements) as
// z = a + ib, with one complex FFT; overwrites `scratch`. `power_a` and `power_b` have
// hr_band_bins elements.
void hr_band_spectra(std::span<std::complex<float>> scratch, std::span<float> power_a,
                     std::span<float> power_b);

// Scales `s` so that its maximum is 1 (no change when it is all zero). Returns the old maximum.
float hr_normalise(std::span<float> s);

// Strongest over mean power of `s`: about 5 for the periodogram of white noise over the band,
// tens for a clean pulse line; 0 when the spectrum is all zero (a flat signal).
float hr_peakiness(std::span<const float> s);

// Position of the local maximum at `k` refined by a parabola through its neighbours.
float hr_refine_peak(std::span<const float> s, std::size_t k);

// Tracks the heart-rate line across successive cleaned spectra with an online (forward-only)
// Viterbi search: each frequency keeps the score of the best path of heart rates ending there,
// score_t(f) = log(eps + S_t(f)) + max_g [score_{t-1}(g) - ((f - g) / sigma)^2] over
// |f - g| <= max_step, and the estimate is the best-scoring frequency now. Unlike a greedy
// peak follower, a path that followed an artefact is overtaken by the true one once the pulse
// line has been stronger for a while, so the track recovers by itself (this replaces the
// verification/re-acquisition stages of TROIKA and WFPV). Causal: uses past spectra only.
class HrTracker {
public:
    struct Limits {
        float min_bpm = 40.0F;
        float max_bpm = 220.0F;
        float max_step_bpm = 12.0F; // largest change between two spectra
        float sigma_bpm = 4.0F;     // typical change between two spectra
    };

    // `spectrum` is the cleaned band spectrum (hr_band_bins values) normalised to a maximum of
    // 1, which chooses the line; `raw` is the spectrum before artefact suppression (same size),
    // whose peak near the chosen line gives the frequency, as suppression of a motion line next
    // to the pulse line would pull it away. Returns the estimate, BPM.
    float update(std::span<const float> spectrum, std::span<const float> raw, const Limits& limits);

    [[nodiscard]] bool locked() const { return m_locked; }
    [[nodiscard]] float bpm() const { return m_bpm; }
    // Forget the path scores; the next update starts afresh.
    void unlock() { m_locked = false; }
    void reset() { *this = HrTracker{}; }

private:
    std::array<float, hr_band_bins> m_score{};
    std::array<float, hr_band_bins> m_next{};
    float m_bpm = 0.0F;
    bool m_locked = false;
};

} // namespace hearth::engine::health
