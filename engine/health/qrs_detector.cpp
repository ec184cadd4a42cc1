#include "health/qrs_detector.h"

#include <algorithm>
#include <cmath>

#include "dsp/group_delay.h"

namespace hearth::engine::health {

namespace {

constexpr float band_low_hz = 5.0F;
constexpr float band_high_hz = 15.0F;
// Fourth-order Butterworth low-pass as two sections (pole-pair Q values).
constexpr float low_q1 = 0.5411961F;
constexpr float low_q2 = 1.3065630F;
constexpr float mwi_s = 0.080F;
constexpr float refractory_s = 0.200F;
constexpr float t_wave_s = 0.360F;
constexpr float peak_timeout_s = 0.095F;
constexpr float learning_s = 2.0F;
constexpr float slope_margin_s = 0.050F;
constexpr float baseline_shift_s = 0.150F;
constexpr float max_gap_ms = 1000.0F;
// Without an RR history (start, or after a long pause), search back after this long.
constexpr float default_search_back_s = 2.0F;
// With nothing to find for this long, the QRS level is assumed stale and halved.
constexpr float stale_level_s = 3.0F;
// How long after a QRS the detector may report it (peak confirmation, hold, search-back).
constexpr float detection_latency_ms = 600.0F;
// The rhythm check applies when the noise-peak level is above this fraction of the QRS level.
constexpr float noisy_ratio = 0.2F;
// Three beats spanning less than this many median RR intervals: one is noise.
constexpr float split_rr = 1.3F;
constexpr float keep_amplitude = 2.0F;
// Search-back considers candidates at least this many mean RR intervals after the last QRS:
// a beat missed is due about one RR later, and earlier peaks are mostly noise or T waves.
constexpr float search_back_earliest_rr = 0.5F;

std::int64_t samples(float seconds, float rate_hz) {
    return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::lround(seconds * rate_hz)));
}

// Median of a small array (n <= 8), by insertion sort on a copy.
template <class T, std::size_t N> T median_of(const std::array<T, N>& values, std::size_t n) {
    std::array<T, N> v = values;
    n = std::min(n, N);
    for (std::size_t i = 1; i < n; ++i) {
        for (std::size_t j = i; j > 0 && v[j] < v[j - 1]; --j) {
            std::swap(v[j], v[j - 1]);
        }
    }
    if (n == 0) {
        return T{};
    }
    return (n % 2 == 1) ? v[n / 2] : static_cast<T>((v[n / 2 - 1] + v[n / 2]) / 2);
}

template <class T, std::size_t N>
void push_history(std::array<T, N>& values, std::size_t& count, T value) {
    for (std::size_t i = N - 1; i > 0; --i) {
        values[i] = values[i - 1];
    }
    values[0] = value;
    count = std::min(count + 1, N);
}

} // namespace

bool QrsDetectorConfig::validate() const {
    return sample_rate_hz >= min_sample_rate_hz && sample_rate_hz <= max_sample_rate_hz &&
           threshold_fraction > 0.0F && threshold_fraction < 1.0F && search_back_rr > 1.0F &&
           search_back_rr < 4.0F;
}

QrsDetector::QrsDetector(const QrsDetectorConfig& config) : m_config(config) {
    const float fs = config.sample_rate_hz;
    m_mwi_len = samples(mwi_s, fs);
    m_refractory = samples(refractory_s, fs);
    m_t_wave = samples(t_wave_s, fs);
    m_peak_timeout = samples(peak_timeout_s, fs);
    m_learning = samples(learning_s, fs);
    m_slope_window = m_mwi_len + samples(slope_margin_s, fs);
    m_high = dsp::design_highpass(fs, band_low_hz);
    m_low1 = dsp::design_lowpass(fs, band_high_hz, low_q1);
    m_low2 = dsp::design_lowpass(fs, band_high_hz, low_q2);
    const float centre_hz = 10.0F;
    // The derivative (y[n] - y[n-2]) adds one sample of delay.
    const std::array<dsp::BiquadCoeffs, 3> sections = {m_high, m_low1, m_low2};
    const float delay = dsp::group_delay_samples(sections, centre_hz, fs) + 1.0F;
    m_group_delay_ms = delay * 1000.0F / fs;
    reset();
}

void QrsDetector::reset() {
    m_n = 0;
    m_last_t_ms.reset();
    m_qrs_count = 0;
    m_noise_count = 0;
    m_rr_count = 0;
    m_qrs_peaks = {};
    m_noise_peaks = {};
    m_rr = {};
    m_last_qrs_n.reset();
    m_last_qrs_slope = 0.0F;
    m_candidate_count = 0;
    m_learning_done = false;
    m_learning_max = 0.0F;
    m_out.clear();
    m_pending.reset();
    m_last_emitted_ms.reset();
    m_out_rr_count = 0;
    m_out_amp_count = 0;
    restart_filters();
    m_learning_second_end = m_n + samples(1.0F, m_config.sample_rate_hz);
}

void QrsDetector::restart_filters() {
    m_high_state = {};
    m_low1_state = {};
    m_low2_state = {};
    m_filter_start = m_n;
    m_mwi_sum = 0.0;
    m_peak_max = 0.0F;
    m_peak_max_n = m_n;
    m_search_from_n = m_n;
    m_search_dirty = false;
    m_held.reset();
}

void QrsDetector::push(std::span<const EcgSample> samples_in) {
    for (const EcgSample& s : samples_in) {
        step(s);
    }
}

std::optional<QrsBeat> QrsDetector::pull() {
    return m_out.pop();
}

float QrsDetector::threshold() const {
    const float qrs = median_of(m_qrs_peaks, m_qrs_count);
    const float noise = median_of(m_noise_peaks, m_noise_count);
    return noise + m_config.threshold_fraction * (qrs - noise);
}

void QrsDetector::step(const EcgSample& s) {
    if (!std::isfinite(s.value)) {
        return;
    }
    if (m_last_t_ms) {
        if (s.t_ms < *m_last_t_ms) {
            return; // time going back: not a sample of this stream
        }
        if (static_cast<float>(s.t_ms - *m_last_t_ms) > max_gap_ms) {
            if (m_held) {
                const Candidate held = *m_held;
                m_held.reset();
                classify(held);
            }
            restart_filters();
            m_last_qrs_n.reset();
            m_rr_count = 0;
        }
    }
    m_last_t_ms = s.t_ms;
    if (m_n == m_filter_start) {
        m_offset = s.value;
    }
    const float x = s.value - m_offset;
    float y = dsp::biquad_step(m_high, m_high_state, x);
    y = dsp::biquad_step(m_low1, m_low1_state, y);
    y = dsp::biquad_step(m_low2, m_low2_state, y);

    const std::size_t i = static_cast<std::size_t>(m_n) % ring_size;
    const std::size_t i2 = static_cast<std::size_t>(m_n + ring_size - 2) % ring_size;
    const bool have_two = m_n - m_filter_start >= 2;
    const float d = have_two ? (y - m_band[i2]) * m_config.sample_rate_hz * 0.5F : 0.0F;
    const float ad = std::fabs(d);
    // Moving-window integration of |derivative|: add the new, drop the one leaving the window.
    const std::size_t i_out = static_cast<std::size_t>(m_n + ring_size - m_mwi_len) % ring_size;
    const bool window_full = m_n - m_filter_start >= m_mwi_len;
    m_mwi_sum +=
        static_cast<double>(ad) - (window_full ? static_cast<double>(m_abs_deriv[i_out]) : 0.0);
    m_band[i] = y;
    m_deriv[i] = d;
    m_abs_deriv[i] = ad;
    m_time[i] = s.t_ms;
    const float mwi = static_cast<float>(m_mwi_sum) / static_cast<float>(m_mwi_len);

    // Filters settle for one integration window plus a few band-pass periods after a restart.
    const bool settled = m_n - m_filter_start >= m_slope_window + m_refractory;
    if (settled) {
        // Hamilton's peak finder: a local maximum is a peak once the signal has fallen to half
        // of it, or 95 ms have passed without a higher value.
        if (mwi > m_peak_max) {
            m_peak_max = mwi;
            m_peak_max_n = m_n;
        } else if (m_peak_max > 0.0F &&
                   (mwi < 0.5F * m_peak_max || m_n - m_peak_max_n > m_peak_timeout)) {
            on_peak(m_peak_max, m_peak_max_n);
            m_peak_max = mwi < 0.5F * m_peak_max ? 0.0F : mwi;
            m_peak_max_n = m_n;
        }
    }

    // A held peak is final once 200 ms have passed without a bigger one.
    if (m_held && m_n - m_held->n > m_refractory) {
        const Candidate held = *m_held;
        m_held.reset();
        classify(held);
    }

    if (!m_learning_done && m_n >= m_learning_second_end) {
        push_history(m_qrs_peaks, m_qrs_count, m_learning_max);
        m_learning_max = 0.0F;
        m_learning_second_end = m_n + samples(1.0F, m_config.sample_rate_hz);
        if (m_n >= m_learning) {
            // Fill the history with the per-second maxima seen, then judge the candidates held
            // back during learning with the levels they taught.
            while (m_qrs_count < history) {
                push_history(m_qrs_peaks, m_qrs_count, m_qrs_peaks[m_qrs_count - 1]);
            }
            m_learning_done = true;
            std::array<Candidate, max_candidates> learnt = m_candidates;
            const std::size_t n_learnt = m_candidate_count;
            m_candidate_count = 0;
            for (std::size_t k = 0; k < n_learnt; ++k) {
                classify(learnt[k]);
            }
        }
    }

    if (m_learning_done) {
        search_back();
    }
    flush_pending(s.t_ms);
    ++m_n;
}

void QrsDetector::on_peak(float peak, std::int64_t n) {
    Candidate c;
    c.peak = peak;
    c.n = n;
    // Describe the QRS that produced this peak: its steepest slopes and its extreme.
    const std::int64_t first = std::max(m_filter_start, n - m_slope_window);
    float max_up = 0.0F;
    float max_down = 0.0F;
    std::int64_t n_up = n;
    std::int64_t n_down = n;
    float extreme = 0.0F;
    std::int64_t n_extreme = n;
    for (std::int64_t k = first; k <= n; ++k) {
        const std::size_t j = static_cast<std::size_t>(k) % ring_size;
        if (m_deriv[j] > max_up) {
            max_up = m_deriv[j];
            n_up = k;
        }
        if (-m_deriv[j] > max_down) {
            max_down = -m_deriv[j];
            n_down = k;
        }
        if (std::fabs(m_band[j]) > extreme) {
            extreme = std::fabs(m_band[j]);
            n_extreme = k;
        }
    }
    c.slope = std::max(max_up, max_down);
    c.amplitude = extreme;
    const TimeMs t_extreme = m_time[static_cast<std::size_t>(n_extreme) % ring_size];
    c.t_ms = t_extreme - static_cast<TimeMs>(std::lround(m_group_delay_ms));
    // A baseline shift moves one way only: its slopes are lopsided or far apart.
    const bool two_sided =
        max_up > max_down / 8.0F && max_down > max_up / 8.0F &&
        std::llabs(n_up - n_down) < samples(baseline_shift_s, m_config.sample_rate_hz);
    if (!two_sided) {
        c.slope = -c.slope; // marks it; such a candidate is only ever noise
    }

    if (!m_learning_done) {
        m_learning_max = std::max(m_learning_max, peak);
    }
    // Only one QRS fits in 200 ms: hold the peak in case a bigger one follows.
    if (m_held) {
        if (n - m_held->n <= m_refractory) {
            if (peak > m_held->peak) {
                m_held = c;
            }
            return;
        }
        const Candidate held = *m_held;
        m_held.reset();
        classify(held);
    }
    m_held = c;
}

void QrsDetector::classify(const Candidate& c) {
    if (!m_learning_done) {
        if (m_candidate_count < max_candidates) {
            m_candidates[m_candidate_count++] = c;
        }
        return;
    }
    if (m_last_qrs_n && c.n - *m_last_qrs_n <= m_refractory) {
        return;
    }
    const bool baseline_shift = c.slope < 0.0F;
    const bool t_wave =
        m_last_qrs_n && c.n - *m_last_qrs_n < m_t_wave && c.slope < 0.5F * m_last_qrs_slope;
    if (c.peak > threshold() && !baseline_shift && !t_wave) {
        accept(c, Quality::Good);
        return;
    }
    push_history(m_noise_peaks, m_noise_count, c.peak);
    if (!baseline_shift && !t_wave) {
        if (m_candidate_count == max_candidates) {
            for (std::size_t k = 1; k < max_candidates; ++k) {
                m_candidates[k - 1] = m_candidates[k];
            }
            --m_candidate_count;
        }
        m_candidates[m_candidate_count++] = c;
        m_search_dirty = true;
    }
}

void QrsDetector::accept(const Candidate& c, Quality quality) {
    if (m_last_qrs_n) {
        push_history(m_rr, m_rr_count, c.n - *m_last_qrs_n);
    }
    push_history(m_qrs_peaks, m_qrs_count, c.peak);
    m_last_qrs_n = c.n;
    m_last_qrs_slope = c.slope;
    m_candidate_count = 0;
    offer(QrsBeat{c.t_ms, c.amplitude, quality});
}

void QrsDetector::search_back() {
    if (m_last_qrs_n) {
        m_search_from_n = *m_last_qrs_n;
    }
    const std::int64_t since = m_n - m_search_from_n;
    std::int64_t limit = samples(default_search_back_s, m_config.sample_rate_hz);
    std::int64_t earliest = m_search_from_n;
    if (m_rr_count > 0) {
        std::int64_t sum = 0;
        for (std::size_t k = 0; k < m_rr_count; ++k) {
            sum += m_rr[k];
        }
        const float rr_mean = static_cast<float>(sum) / static_cast<float>(m_rr_count);
        limit = static_cast<std::int64_t>(m_config.search_back_rr * rr_mean);
        earliest += static_cast<std::int64_t>(search_back_earliest_rr * rr_mean);
    }
    if (since <= limit || !m_search_dirty) {
        return;
    }
    const float half = 0.5F * threshold();
    std::size_t best = max_candidates;
    for (std::size_t k = 0; k < m_candidate_count; ++k) {
        if (m_candidates[k].peak > half && m_candidates[k].n >= earliest &&
            (best == max_candidates || m_candidates[k].peak > m_candidates[best].peak)) {
            best = k;
        }
    }
    if (best != max_candidates) {
        const Candidate c = m_candidates[best];
        // Later candidates stay, measured now from the beat just found.
        std::size_t kept = 0;
        for (std::size_t k = best + 1; k < m_candidate_count; ++k) {
            if (m_candidates[k].n - c.n > m_refractory) {
                m_candidates[kept++] = m_candidates[k];
            }
        }
        std::array<Candidate, max_candidates> later = m_candidates;
        accept(c, Quality::Motion);
        for (std::size_t k = 0; k < kept; ++k) {
            m_candidates[m_candidate_count++] = later[k];
        }
        return;
    }
    m_search_dirty = false;
    if (since > samples(stale_level_s, m_config.sample_rate_hz)) {
        // Nothing near the threshold for seconds: the QRS level is stale (a loud artefact or a
        // smaller signal); lower it and look again from here.
        for (std::size_t k = 0; k < m_qrs_count; ++k) {
            m_qrs_peaks[k] *= 0.5F;
        }
        m_last_qrs_n.reset();
        m_search_from_n = m_n;
        m_rr_count = 0;
        m_candidate_count = 0;
    }
}

} // namespace hearth::engine::health

namespace hearth::engine::health {

void QrsDetector::emit(const QrsBeat& beat) {
    if (m_last_emitted_ms) {
        push_history(m_out_rr, m_out_rr_count, beat.t_ms - *m_last_emitted_ms);
    }
    m_last_emitted_ms = beat.t_ms;
    push_history(m_out_amp, m_out_amp_count, beat.amplitude);
    m_out.push(beat);
}

void QrsDetector::offer(const QrsBeat& beat) {
    if (!m_pending) {
        m_pending = beat;
        return;
    }
    const float qrs_level = median_of(m_qrs_peaks, m_qrs_count);
    const float noise_level = median_of(m_noise_peaks, m_noise_count);
    const bool noisy = noise_level > noisy_ratio * qrs_level;
    if (noisy && m_last_emitted_ms && m_out_rr_count >= history / 2) {
        const auto rr = static_cast<float>(median_of(m_out_rr, m_out_rr_count));
        const auto span = static_cast<float>(beat.t_ms - *m_last_emitted_ms);
        if (span < split_rr * rr) {
            // Three beats within one usual RR interval: the one further from where the next
            // beat was due is noise (Hamilton and Tompkins' detector has no such rule; it
            // removes most false detections in noisy stretches such as MIT-BIH 105).
            const auto due = static_cast<float>(*m_last_emitted_ms) + rr;
            const float off_pending = std::fabs(static_cast<float>(m_pending->t_ms) - due);
            const float off_new = std::fabs(static_cast<float>(beat.t_ms) - due);
            const QrsBeat& drop = off_new < off_pending ? *m_pending : beat;
            // A beat twice the usual size is not taken for noise (a premature ventricular beat
            // in a couplet, say).
            if (drop.amplitude < keep_amplitude * median_of(m_out_amp, m_out_amp_count)) {
                if (off_new < off_pending) {
                    m_pending = beat;
                }
                return;
            }
        }
    }
    emit(*m_pending);
    m_pending = beat;
}

void QrsDetector::finish() {
    if (m_held) {
        const Candidate held = *m_held;
        m_held.reset();
        classify(held);
    }
    if (m_pending) {
        emit(*m_pending);
        m_pending.reset();
    }
}

void QrsDetector::flush_pending(TimeMs now_ms) {
    if (!m_pending) {
        return;
    }
    // Once no beat can arrive that would close a short span, the pending one is final.
    float rr = 2000.0F;
    if (m_out_rr_count >= history / 2) {
        rr = static_cast<float>(median_of(m_out_rr, m_out_rr_count));
    }
    const TimeMs reference = m_last_emitted_ms ? *m_last_emitted_ms : m_pending->t_ms;
    if (static_cast<float>(now_ms - reference) > split_rr * rr + detection_latency_ms) {
        emit(*m_pending);
        m_pending.reset();
    }
}

} // namespace hearth::engine::health
