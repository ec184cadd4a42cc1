#include "health/hr_spectrum.h"

#include "dsp/portable_math.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "dsp/fft.h"

namespace hearth::engine::health {

void hr_taper_pair(std::span<std::complex<float>> scratch, std::size_t count) {
    count = std::min(count, scratch.size());
    if (count == 0) {
        return;
    }
    std::complex<float> mean{0.0F, 0.0F};
    for (std::size_t i = 0; i < count; ++i) {
        mean += scratch[i];
    }
    mean /= static_cast<float>(count);
    const float step = 2.0F * std::numbers::pi_v<float> / static_cast<float>(count);
    for (std::size_t i = 0; i < count; ++i) {
        const float w = 0.5F - 0.5F * dsp::portable_cos(step * static_cast<float>(i));
        scratch[i] = (scratch[i] - mean) * w;
    }
    for (std::size_t i = count; i < scratch.size(); ++i) {
        scratch[i] = {0.0F, 0.0F};
    }
}

void hr_band_spectra(std::span<std::complex<float>> scratch, std::span<float> power_a,
                     std::span<float> power_b) {
    const std::size_t n = scratch.size();
    dsp::fft_inplace(scratch);
    // The transform of a real signal is Hermitian, so the two are separated from z = a + ib by
    // A_k = (Z_k + conj Z_{n-k}) / 2 and B_k = (Z_k - conj Z_{n-k}) / 2i.
    for (std::size_t j = 0; j < power_a.size() && j < power_b.size(); ++j) {
        const std::size_t k = hr_band_first + j;
        if (k == 0 || k >= n) {
            break;
        }
        const std::complex<float> zk = scratch[k];
        const std::complex<float> zc = std::conj(scratch[n - k]);
        power_a[j] = 0.25F * std::norm(zk + zc);
        power_b[j] = 0.25F * std::norm(zk - zc);
    }
}

float hr_normalise(std::span<float> s) {
    float peak = 0.0F;
    for (const float v : s) {
        peak = std::max(peak, v);
    }
    if (peak > 0.0F) {
        const float inv = 1.0F / peak;
        for (float& v : s) {
            v *= inv;
        }
    }
    return peak;
}

float hr_peakiness(std::span<const float> s) {
    float sum = 0.0F;
    float peak = 0.0F;
    for (const float v : s) {
        sum += v;
        peak = std::max(peak, v);
    }
    if (!(sum > 0.0F)) {
        return 0.0F;
    }
    return peak * static_cast<float>(s.size()) / sum;
}

float hr_refine_peak(std::span<const float> s, std::size_t k) {
    if (k == 0 || k + 1 >= s.size()) {
        return static_cast<float>(k);
    }
    const float l = s[k - 1];
    const float c = s[k];
    const float r = s[k + 1];
    const float denom = l - 2.0F * c + r;
    if (denom >= 0.0F) {
        return static_cast<float>(k);
    }
    const float delta = std::clamp(0.5F * (l - r) / denom, -0.5F, 0.5F);
    return static_cast<float>(k) + delta;
}

float HrTracker::update(std::span<const float> spectrum, std::span<const float> raw,
                        const Limits& limits) {
    constexpr float floor = 0.02F; // emission floor: a missing line is unlikely, not impossible
    constexpr float excluded = -1.0e30F;
    constexpr std::ptrdiff_t peak_snap_bins = 2;
    const auto n = static_cast<std::ptrdiff_t>(std::min(spectrum.size(), hr_band_bins));
    if (n < 3 || raw.size() < static_cast<std::size_t>(n)) {
        return m_bpm;
    }
    const auto lo = static_cast<std::ptrdiff_t>(
        std::ceil(std::max(hr_bpm_to_band_index(limits.min_bpm), 0.0F)));
    const auto hi = std::min(
        static_cast<std::ptrdiff_t>(std::floor(hr_bpm_to_band_index(limits.max_bpm))), n - 1);
    const auto reach = static_cast<std::ptrdiff_t>(limits.max_step_bpm / hr_bpm_per_bin);
    const float inv_sigma = hr_bpm_per_bin / limits.sigma_bpm;

    float best = excluded;
    std::ptrdiff_t best_k = lo;
    for (std::ptrdiff_t k = 0; k < n; ++k) {
        const auto uk = static_cast<std::size_t>(k);
        if (k < lo || k > hi) {
            m_next[uk] = excluded;
            continue;
        }
        float from = 0.0F;
        if (m_locked) {
            from = excluded;
            for (std::ptrdiff_t j = std::max(lo, k - reach); j <= std::min(hi, k + reach); ++j) {
                const float d = static_cast<float>(k - j) * inv_sigma;
                from = std::max(from, m_score[static_cast<std::size_t>(j)] - d * d);
            }
        }
        // NaN and negative powers count as no line, anything above the normalised 1 as 1.
        const float power = spectrum[uk] > 0.0F ? std::min(spectrum[uk], 1.0F) : 0.0F;
        const float emission = dsp::portable_log(floor + power);
        m_next[uk] = from + emission;
        if (m_next[uk] > best) {
            best = m_next[uk];
            best_k = k;
        }
    }
    // Scores are kept relative to the best path so that they stay bounded.
    for (std::ptrdiff_t k = 0; k < n; ++k) {
        const auto uk = static_cast<std::size_t>(k);
        m_score[uk] = m_next[uk] <= excluded ? excluded : m_next[uk] - best;
    }
    m_locked = true;
    // The path picks the line; the line's own peak gives the frequency, without the lag that
    // the path's smoothness prior would add.
    std::size_t peak = static_cast<std::size_t>(best_k);
    for (std::ptrdiff_t k = std::max(lo, best_k - peak_snap_bins);
         k <= std::min(hi, best_k + peak_snap_bins); ++k) {
        const auto uk = static_cast<std::size_t>(k);
        if (uk > 0 && uk + 1 < raw.size() && raw[uk] > raw[uk - 1] && raw[uk] >= raw[uk + 1] &&
            raw[uk] > raw[peak]) {
            peak = uk;
        }
    }
    m_bpm = hr_band_index_to_bpm(hr_refine_peak(raw, peak));
    return m_bpm;
}

} // namespace hearth::engine::health
