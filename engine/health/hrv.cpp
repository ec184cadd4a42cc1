#include "health/hrv.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "dsp/fft.h"

namespace hearth::engine::health {

namespace {

constexpr float lf_low_hz = 0.04F;
constexpr float lf_high_hz = 0.15F;
constexpr float hf_high_hz = 0.40F;
constexpr float pnn_threshold_ms = 50.0F;

} // namespace

bool HrvConfig::validate() const {
    return min_nn_ms > 0.0F && max_nn_ms > min_nn_ms && max_change > 0.0F && max_change < 1.0F &&
           rejections_before_reset > 0 && segment_s >= 60.0F;
}

void NnStats::add_nn(float nn_ms) {
    ++n_nn;
    const float delta = nn_ms - mean_ms;
    mean_ms += delta / static_cast<float>(n_nn);
    m2_ms2 += delta * (nn_ms - mean_ms);
}

void NnStats::add_diff(float diff_ms) {
    ++n_diff;
    mean_sq_diff_ms2 += (diff_ms * diff_ms - mean_sq_diff_ms2) / static_cast<float>(n_diff);
    if (std::fabs(diff_ms) > pnn_threshold_ms) {
        ++n_diff_over_50;
    }
}

HrvResult NnStats::result() const {
    HrvResult r;
    r.start_ms = start_ms;
    r.end_ms = end_ms;
    r.n_beats = n_beats;
    r.n_nn = n_nn;
    r.mean_nn_ms = mean_ms;
    r.sdnn_ms = n_nn > 0 ? std::sqrt(std::max(0.0F, m2_ms2) / static_cast<float>(n_nn)) : 0.0F;
    r.rmssd_ms = std::sqrt(mean_sq_diff_ms2);
    r.pnn50_pct = n_diff > 0
                      ? 100.0F * static_cast<float>(n_diff_over_50) / static_cast<float>(n_diff)
                      : 0.0F;
    r.n_frames = n_frames;
    if (n_frames > 0) {
        r.lf_ms2 = sum_lf_ms2 / static_cast<float>(n_frames);
        r.hf_ms2 = sum_hf_ms2 / static_cast<float>(n_frames);
        r.lf_hf = r.hf_ms2 > 0.0F ? r.lf_ms2 / r.hf_ms2 : 0.0F;
    }
    r.quality = n_nn >= 2 ? Quality::Good : Quality::NoContact;
    return r;
}

BandPowers hrv_band_powers(std::span<float> frame, std::span<std::complex<float>> scratch,
                           float sample_rate_hz) {
    const std::size_t n = frame.size();
    BandPowers out;
    if (n < 4 || scratch.size() != n || !dsp::is_power_of_two(n)) {
        return out;
    }
    // Least-squares line, removed so that slow drifts do not leak into LF.
    const float mean_k = static_cast<float>(n - 1) / 2.0F;
    float mean_y = 0.0F;
    for (float y : frame) {
        mean_y += y;
    }
    mean_y /= static_cast<float>(n);
    float sxy = 0.0F;
    float sxx = 0.0F;
    for (std::size_t k = 0; k < n; ++k) {
        const float dk = static_cast<float>(k) - mean_k;
        sxy += dk * (frame[k] - mean_y);
        sxx += dk * dk;
    }
    const float slope = sxy / sxx;
    float sum_w2 = 0.0F;
    const float two_pi_over_n = 2.0F * std::numbers::pi_v<float> / static_cast<float>(n);
    for (std::size_t k = 0; k < n; ++k) {
        const float w = 0.5F - 0.5F * std::cos(two_pi_over_n * static_cast<float>(k));
        const float y = frame[k] - mean_y - slope * (static_cast<float>(k) - mean_k);
        frame[k] = y * w;
        scratch[k] = {frame[k], 0.0F};
        sum_w2 += w * w;
    }
    dsp::fft_inplace(scratch);
    // One-sided power spectral density (ms^2/Hz) integrated over each band.
    const float df = sample_rate_hz / static_cast<float>(n);
    const float scale = 2.0F / (sample_rate_hz * sum_w2) * df;
    for (std::size_t k = 1; k < n / 2; ++k) {
        const float f = static_cast<float>(k) * df;
        const float p = std::norm(scratch[k]) * scale;
        if (f >= lf_low_hz && f < lf_high_hz) {
            out.lf_ms2 += p;
        } else if (f >= lf_high_hz && f < hf_high_hz) {
            out.hf_ms2 += p;
        }
    }
    return out;
}

HrvAnalyzer::HrvAnalyzer(const HrvConfig& config) : m_config(config) {
    reset();
}

void HrvAnalyzer::reset() {
    m_prev.reset();
    m_last_nn_ms.reset();
    m_point_ms.reset();
    m_point_nn_ms = 0.0F;
    m_rejections = 0;
    m_total = {};
    m_segment = {};
    m_segment_start_ms.reset();
    m_frame_fill = 0;
    m_next_grid_ms = 0.0;
    m_out.clear();
}

void HrvAnalyzer::push(std::span<const BeatEvent> beats) {
    for (const BeatEvent& b : beats) {
        add_beat(b);
    }
}

std::optional<HrvResult> HrvAnalyzer::pull() {
    return m_out.pop();
}

HrvResult HrvAnalyzer::summary() const {
    return m_total.result();
}

void HrvAnalyzer::finish() {
    close_segment();
    m_segment_start_ms.reset();
}

void HrvAnalyzer::close_segment() {
    if (m_segment.n_beats > 0) {
        m_out.push(m_segment.result());
    }
    m_segment = {};
}

void HrvAnalyzer::add_beat(const BeatEvent& beat) {
    if (m_prev && beat.t_ms < m_prev->t_ms) {
        return;
    }
    const auto segment_ms = static_cast<TimeMs>(std::lround(m_config.segment_s * 1000.0F));
    if (!m_segment_start_ms) {
        m_segment_start_ms = beat.t_ms;
    } else if (beat.t_ms - *m_segment_start_ms >= segment_ms) {
        close_segment();
        // Segments stay on a fixed grid from the first beat, whatever gaps there are.
        *m_segment_start_ms += (beat.t_ms - *m_segment_start_ms) / segment_ms * segment_ms;
    }
    for (NnStats* s : {&m_total, &m_segment}) {
        if (s->n_beats == 0) {
            s->start_ms = beat.t_ms;
        }
        ++s->n_beats;
        s->end_ms = beat.t_ms;
    }
    if (m_prev && m_prev->kind == BeatKind::Normal && beat.kind == BeatKind::Normal) {
        const auto nn_ms = static_cast<float>(beat.t_ms - m_prev->t_ms);
        if (nn_ms >= m_config.min_nn_ms && nn_ms <= m_config.max_nn_ms) {
            if (!m_last_nn_ms ||
                std::fabs(nn_ms - *m_last_nn_ms) <= m_config.max_change * *m_last_nn_ms) {
                add_nn(beat.t_ms, nn_ms);
                m_last_nn_ms = nn_ms;
                m_rejections = 0;
            } else if (++m_rejections >= m_config.rejections_before_reset) {
                m_last_nn_ms.reset();
                m_rejections = 0;
            }
        }
    }
    m_prev = beat;
}

void HrvAnalyzer::add_nn(TimeMs end_ms, float nn_ms) {
    m_total.add_nn(nn_ms);
    m_segment.add_nn(nn_ms);
    const bool adjacent =
        m_point_ms && *m_point_ms == end_ms - static_cast<TimeMs>(std::lround(nn_ms));
    if (adjacent) {
        m_total.add_diff(nn_ms - m_point_nn_ms);
        m_segment.add_diff(nn_ms - m_point_nn_ms);
    }

    // Extend the 4 Hz series up to this point.
    const double step_ms = 1000.0 / static_cast<double>(resample_hz);
    const auto end = static_cast<double>(end_ms);
    if (!m_point_ms || static_cast<float>(end_ms - *m_point_ms) > max_interpolation_gap_ms) {
        m_frame_fill = 0; // a new stretch of data starts here
        m_next_grid_ms = end;
    }
    const double from_ms = m_point_ms ? static_cast<double>(*m_point_ms) : end;
    const double span_ms = end - from_ms;
    while (m_next_grid_ms <= end) {
        const double frac = span_ms > 0.0 ? (m_next_grid_ms - from_ms) / span_ms : 1.0;
        const float value = m_point_nn_ms + static_cast<float>(frac) * (nn_ms - m_point_nn_ms);
        m_frame[m_frame_fill++] = m_point_ms ? value : nn_ms;
        m_next_grid_ms += step_ms;
        if (m_frame_fill == frame_size) {
            m_work = m_frame;
            const BandPowers bp = hrv_band_powers(m_work, m_scratch, resample_hz);
            for (NnStats* s : {&m_total, &m_segment}) {
                ++s->n_frames;
                s->sum_lf_ms2 += bp.lf_ms2;
                s->sum_hf_ms2 += bp.hf_ms2;
            }
            std::copy(m_frame.begin() + frame_hop, m_frame.end(), m_frame.begin());
            m_frame_fill = frame_size - frame_hop;
        }
    }
    m_point_ms = end_ms;
    m_point_nn_ms = nn_ms;
}

} // namespace hearth::engine::health
