#include "health/pulse_detector.h"

#include <algorithm>
#include <cmath>

#include "dsp/group_delay.h"

namespace hearth::engine::health {

namespace {

constexpr float band_low_hz = 0.5F;
constexpr float band_high_hz = 8.0F;
constexpr float short_window_s = 0.111F;
constexpr float long_window_s = 0.667F;
constexpr float refractory_s = 0.300F;
constexpr float mean_time_constant_s = 10.0F;
constexpr float polarity_time_constant_s = 8.0F;
constexpr float settle_s = 1.0F;
constexpr float max_gap_ms = 1000.0F;
constexpr float typical_pulse_hz = 1.5F;
constexpr float peak_search_s = 0.150F;

std::int64_t samples(float seconds, float rate_hz) {
    return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::lround(seconds * rate_hz)));
}

} // namespace

bool PulseDetectorConfig::validate() const {
    return sample_rate_hz >= min_sample_rate_hz && sample_rate_hz <= max_sample_rate_hz &&
           offset_fraction >= 0.0F && offset_fraction < 1.0F;
}

PulseDetector::PulseDetector(const PulseDetectorConfig& config) : m_config(config) {
    const float fs = config.sample_rate_hz;
    m_short_len = samples(short_window_s, fs);
    m_long_len = samples(long_window_s, fs);
    m_refractory = samples(refractory_s, fs);
    m_mean_alpha = 1.0F / (mean_time_constant_s * fs);
    m_polarity_alpha = 1.0F / (polarity_time_constant_s * fs);
    // An 8 Hz low-pass needs 16 Hz sampling and more; at 20 Hz it sits just under Nyquist.
    m_high = dsp::design_highpass(fs, band_low_hz);
    m_low = dsp::design_lowpass(fs, std::min(band_high_hz, 0.4F * fs));
    const std::array<dsp::BiquadCoeffs, 1> sections = {m_low};
    m_peak_search = samples(peak_search_s, fs);
    m_group_delay_ms = dsp::group_delay_samples(sections, typical_pulse_hz, fs) * 1000.0F / fs;
    reset();
}

void PulseDetector::reset() {
    m_n = 0;
    m_last_t_ms.reset();
    m_mean_squared = 0.0F;
    m_moment2 = 0.0F;
    m_moment3 = 0.0F;
    m_polarity = 1.0F;
    m_out.clear();
    restart();
}

void PulseDetector::restart() {
    m_high_state = {};
    m_low_state = {};
    m_smooth_state = {};
    m_start = m_n;
    m_prev_band = 0.0F;
    m_in_block = false;
    m_last_beat_n.reset();
}

void PulseDetector::push(std::span<const PpgSample> samples_in) {
    for (const PpgSample& s : samples_in) {
        step(s);
    }
}

std::optional<PulseBeat> PulseDetector::pull() {
    return m_out.pop();
}

void PulseDetector::finish() {
    if (m_in_block) {
        m_in_block = false;
        const std::int64_t m = m_n - 1 - m_long_len / 2;
        if (m - m_block_start >= m_short_len) {
            end_block();
        }
    }
}

void PulseDetector::step(const PpgSample& s) {
    if (!std::isfinite(s.value)) {
        return;
    }
    if (m_last_t_ms) {
        if (s.t_ms < *m_last_t_ms) {
            return;
        }
        if (static_cast<float>(s.t_ms - *m_last_t_ms) > max_gap_ms) {
            restart();
        }
    }
    m_last_t_ms = s.t_ms;
    if (m_n == m_start) {
        m_offset = s.value; // so that the high-pass does not ring on the DC level
    }
    float y = dsp::biquad_step(m_high, m_high_state, s.value - m_offset);
    y = dsp::biquad_step(m_low, m_low_state, y);
    const float smooth = dsp::biquad_step(m_low, m_smooth_state, s.value - m_offset);

    const float d = m_n > m_start ? y - m_prev_band : 0.0F;
    m_prev_band = y;
    m_moment2 += m_polarity_alpha * (d * d - m_moment2);
    m_moment3 += m_polarity_alpha * (d * d * d - m_moment3);
    // Follow the skew of the derivative, with a margin so that a symmetric signal does not
    // make the polarity flicker.
    const float skew_margin = 0.05F * m_moment2 * std::sqrt(m_moment2);
    if (m_moment3 > skew_margin) {
        m_polarity = 1.0F;
    } else if (m_moment3 < -skew_margin) {
        m_polarity = -1.0F;
    }

    const float upright = std::max(0.0F, m_polarity * y);
    const std::size_t i = static_cast<std::size_t>(m_n) % ring_size;
    m_band[i] = y;
    m_smooth[i] = smooth;
    m_squared[i] = upright * upright;
    m_time[i] = s.t_ms;
    m_mean_squared += m_mean_alpha * (m_squared[i] - m_mean_squared);

    const std::int64_t since_start = m_n - m_start;
    if (since_start >= m_long_len + samples(settle_s, m_config.sample_rate_hz)) {
        // Both averages centred on sample m, half a long window ago.
        const std::int64_t m = m_n - m_long_len / 2;
        float long_sum = 0.0F;
        for (std::int64_t k = m_n - m_long_len + 1; k <= m_n; ++k) {
            long_sum += m_squared[static_cast<std::size_t>(k) % ring_size];
        }
        float short_sum = 0.0F;
        const std::int64_t short_first = m - m_short_len / 2;
        for (std::int64_t k = short_first; k < short_first + m_short_len; ++k) {
            short_sum += m_squared[static_cast<std::size_t>(k) % ring_size];
        }
        const float ma_short = short_sum / static_cast<float>(m_short_len);
        const float ma_long = long_sum / static_cast<float>(m_long_len);
        const float threshold = ma_long + m_config.offset_fraction * m_mean_squared;
        const float value = m_polarity * m_band[static_cast<std::size_t>(m) % ring_size];
        if (ma_short > threshold && ma_short > 0.0F) {
            if (!m_in_block) {
                m_in_block = true;
                m_block_start = m;
                m_block_peak = value;
                m_block_peak_n = m;
            } else if (value > m_block_peak) {
                m_block_peak = value;
                m_block_peak_n = m;
            }
        } else if (m_in_block) {
            m_in_block = false;
            if (m - m_block_start >= m_short_len) {
                end_block();
            }
        }
    }
    ++m_n;
}

void PulseDetector::end_block() {
    if (m_last_beat_n && m_block_peak_n - *m_last_beat_n < m_refractory) {
        return;
    }
    m_last_beat_n = m_block_peak_n;
    auto at = [&](std::int64_t j) { return static_cast<std::size_t>(j) % ring_size; };
    // The maximum of the undistorted pulse near the band-passed one.
    std::int64_t k = m_block_peak_n;
    const std::int64_t first = std::max(m_start + 1, m_block_peak_n - m_peak_search);
    const std::int64_t last = std::min(m_n - 2, m_block_peak_n + m_peak_search);
    for (std::int64_t j = first; j <= last; ++j) {
        if (m_polarity * m_smooth[at(j)] > m_polarity * m_smooth[at(k)]) {
            k = j;
        }
    }
    double t = static_cast<double>(m_time[at(k)]);
    if (k - 1 >= m_start && k + 1 < m_n) {
        // Parabolic interpolation of the peak between samples.
        const float a = m_polarity * m_smooth[at(k - 1)];
        const float b = m_polarity * m_smooth[at(k)];
        const float c = m_polarity * m_smooth[at(k + 1)];
        const float denom = a - 2.0F * b + c;
        if (denom < 0.0F) {
            const float delta = std::clamp(0.5F * (a - c) / denom, -0.5F, 0.5F);
            const double dt = 0.5 * static_cast<double>(m_time[at(k + 1)] - m_time[at(k - 1)]);
            t += static_cast<double>(delta) * dt;
        }
    }
    t -= static_cast<double>(m_group_delay_ms);
    m_out.push(PulseBeat{static_cast<TimeMs>(std::llround(t)), m_block_peak, Quality::Good});
}

} // namespace hearth::engine::health
