#include "health/hr_spectrum.h"

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
        const float w = 0.5F - 0.5F * std::cos(step * static_cast<float>(i));
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

float hr_spectral_flatness(std::span<const float> s) {
    if (s.empty()) {
        return 1.0F;
    }
    float sum = 0.0F;
    float log_sum = 0.0F;
    float peak = 0.0F;
    for (const float v : s) {
        peak = std::max(peak, v);
    }
    if (!(peak > 0.0F)) {
        return 1.0F;
    }
    // Relative to the peak, with a floor, so that the logarithm stays finite in float.
    for (const float v : s) {
        const float r = std::max(v / peak, 1e-12F);
        sum += r;
        log_sum += std::log(r);
    }
    const float n = static_cast<float>(s.size());
    return std::exp(log_sum / n) / (sum / n);
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

namespace {

bool is_local_max(std::span<const float> s, std::size_t k) {
    const float v = s[k];
    const bool left = k == 0 || s[k - 1] < v;
    const bool right = k + 1 >= s.size() || s[k + 1] <= v;
    return v > 0.0F && left && right;
}

std::size_t index_floor(float index, std::size_t size) {
    if (index <= 0.0F) {
        return 0;
    }
    return std::min(static_cast<std::size_t>(index), size - 1);
}

// The strongest local maximum in [lo, hi] (band indices), or `size` when there is none.
std::size_t strongest_peak(std::span<const float> s, std::size_t lo, std::size_t hi) {
    std::size_t best = s.size();
    for (std::size_t k = lo; k <= hi && k < s.size(); ++k) {
        if (is_local_max(s, k) && (best == s.size() || s[k] > s[best])) {
            best = k;
        }
    }
    return best;
}

} // namespace

float HrTracker::update(std::span<const float> spectrum, const Limits& limits) {
    const std::size_t n = spectrum.size();
    if (n < 3) {
        return m_bpm;
    }
    const std::size_t lo = index_floor(hr_bpm_to_band_index(limits.min_bpm) + 1.0F, n);
    const std::size_t hi = index_floor(hr_bpm_to_band_index(limits.max_bpm), n);
    const std::size_t global = strongest_peak(spectrum, lo, hi);
    if (!m_locked) {
        if (global == n) {
            return m_bpm;
        }
        m_bpm = hr_band_index_to_bpm(hr_refine_peak(spectrum, global));
        m_locked = true;
        m_candidate_count = 0;
        return m_bpm;
    }

    const float centre = hr_bpm_to_band_index(m_bpm);
    const float reach = limits.max_step_bpm / hr_bpm_per_bin;
    const std::size_t first = index_floor(std::max(centre - reach, static_cast<float>(lo)), n);
    const std::size_t last = index_floor(std::min(centre + reach, static_cast<float>(hi)), n);
    const float sigma = 0.5F * reach;
    std::size_t best = n;
    float best_score = 0.0F;
    for (std::size_t k = first; k <= last; ++k) {
        if (!is_local_max(spectrum, k)) {
            continue;
        }
        const float d = (static_cast<float>(k) - centre) / sigma;
        const float score = spectrum[k] * std::exp(-0.5F * d * d);
        if (score > best_score) {
            best_score = score;
            best = k;
        }
    }

    // Re-acquisition: a clearly stronger line elsewhere, at a steady frequency.
    if (global != n && (best == n || spectrum[best] < 0.5F * spectrum[global])) {
        const float global_bpm = hr_band_index_to_bpm(hr_refine_peak(spectrum, global));
        if (m_candidate_count > 0 &&
            std::fabs(global_bpm - m_candidate_bpm) <= limits.max_step_bpm * 0.5F) {
            ++m_candidate_count;
        } else {
            m_candidate_count = 1;
        }
        m_candidate_bpm = global_bpm;
        if (m_candidate_count >= 3) {
            m_bpm = global_bpm;
            m_candidate_count = 0;
            return m_bpm;
        }
    } else {
        m_candidate_count = 0;
    }

    if (best == n) {
        return m_bpm;
    }
    const float found = hr_band_index_to_bpm(hr_refine_peak(spectrum, best));
    m_bpm += std::clamp(found - m_bpm, -limits.max_step_bpm, limits.max_step_bpm);
    return m_bpm;
}

} // namespace hearth::engine::health
