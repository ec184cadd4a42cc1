#include "health/step_counter.h"

#include <algorithm>
#include <cmath>

namespace hearth::engine::health {

namespace {

constexpr float internal_rate_hz = static_cast<float>(StepCounter::rate_hz);

} // namespace

bool StepCounterConfig::validate() const {
    return low_hz > 0.0F && low_hz < high_hz && high_hz < internal_rate_hz / 2.0F &&
           min_peak_ms2 >= 0.0F && threshold_ratio >= 0.0F && min_step_interval_ms > 0 &&
           max_step_interval_ms > min_step_interval_ms && min_run_steps >= 1 &&
           min_run_steps <= max_run_steps && max_gap_ms >= StepCounter::period_ms;
}

StepCounter::StepCounter(const StepCounterConfig& config)
    : m_config(config.validate() ? config : StepCounterConfig{}),
      m_resampler(period_ms, m_config.max_gap_ms),
      m_filter(internal_rate_hz, m_config.low_hz, m_config.high_hz) {}

void StepCounter::push(std::span<const AccelSample> samples) {
    for (const AccelSample& s : samples) {
        const float mag = std::sqrt(s.x * s.x + s.y * s.y + s.z * s.z);
        if (!std::isfinite(mag)) {
            continue;
        }
        m_resampler.push(s.t_ms, std::array<float, 1>{mag},
                         [this](const UniformSample<1>& u) { on_uniform(u); });
    }
}

std::optional<StepEvent> StepCounter::pull() {
    return m_queue.pop();
}

std::optional<float> StepCounter::cadence_spm() const {
    if (!m_in_run || m_recent_count < 2) {
        return std::nullopt;
    }
    const TimeMs span_ms = m_recent[m_recent_count - 1] - m_recent[0];
    if (span_ms <= 0) {
        return std::nullopt;
    }
    return 60000.0F * static_cast<float>(m_recent_count - 1) / static_cast<float>(span_ms);
}

void StepCounter::reset() {
    m_resampler.reset();
    restart_detector();
    m_total_steps = 0;
    m_queue.clear();
}

void StepCounter::restart_detector() {
    m_filter.reset();
    m_has_offset = false;
    m_history_pos = 0;
    m_history_count = 0;
    m_seen = 0;
    m_has_last_peak = false;
    m_in_run = false;
    m_pending_count = 0;
    m_recent_count = 0;
}

void StepCounter::on_uniform(const UniformSample<1>& s) {
    if (s.continuity == Continuity::AfterGap) {
        restart_detector();
    }
    // Start the filter from the first value so that gravity does not ring through it.
    if (!m_has_offset) {
        m_offset = s.values[0];
        m_has_offset = true;
    }
    const float y = m_filter.step(s.values[0] - m_offset);
    m_history[m_history_pos] = y;
    m_history_pos = (m_history_pos + 1) % history_samples;
    m_history_count = std::min(m_history_count + 1, history_samples);

    if (m_seen >= 2 && m_prev1 > m_prev2 && m_prev1 >= y) {
        float sum = 0.0F;
        float sum_sq = 0.0F;
        for (std::size_t i = 0; i < m_history_count; ++i) {
            sum += m_history[i];
            sum_sq += m_history[i] * m_history[i];
        }
        const auto count = static_cast<float>(m_history_count);
        const float mean = sum / count;
        const float sd = std::sqrt(std::max(0.0F, sum_sq / count - mean * mean));
        const float threshold = std::max(m_config.min_peak_ms2, m_config.threshold_ratio * sd);
        if (m_prev1 > threshold) {
            on_peak(m_prev1_ms);
        }
    }
    m_prev2 = m_prev1;
    m_prev1 = y;
    // A step is dated at the middle of its averaging period.
    m_prev1_ms = s.t_ms + period_ms / 2;
    ++m_seen;
}

void StepCounter::on_peak(TimeMs t_ms) {
    if (m_has_last_peak && t_ms - m_last_peak_ms < m_config.min_step_interval_ms) {
        return;
    }
    const bool continues =
        m_has_last_peak && t_ms - m_last_peak_ms <= m_config.max_step_interval_ms;
    m_has_last_peak = true;
    m_last_peak_ms = t_ms;
    if (!continues) {
        m_in_run = false;
        m_pending_count = 0;
        m_recent_count = 0;
    }
    if (m_in_run) {
        emit(t_ms, std::nullopt);
        return;
    }
    m_pending[m_pending_count++] = t_ms;
    if (m_pending_count >= m_config.min_run_steps) {
        m_in_run = true;
        // The first steps of a walk get the cadence of the run that confirmed them.
        const TimeMs span_ms = m_pending[m_pending_count - 1] - m_pending[0];
        const float run_cadence = span_ms > 0 ? 60000.0F * static_cast<float>(m_pending_count - 1) /
                                                    static_cast<float>(span_ms)
                                              : 0.0F;
        for (std::size_t i = 0; i < m_pending_count; ++i) {
            emit(m_pending[i], run_cadence);
        }
        m_pending_count = 0;
    }
}

void StepCounter::emit(TimeMs t_ms, std::optional<float> cadence) {
    if (m_recent_count == m_recent.size()) {
        std::copy(m_recent.begin() + 1, m_recent.end(), m_recent.begin());
        --m_recent_count;
    }
    m_recent[m_recent_count++] = t_ms;
    ++m_total_steps;
    StepEvent event;
    event.t_ms = t_ms;
    event.cadence_spm = cadence ? *cadence : cadence_spm().value_or(0.0F);
    m_queue.push(event);
}

} // namespace hearth::engine::health
