#include "health/sleep_detector.h"

#include <algorithm>
#include <cmath>

namespace hearth::engine::health {

namespace {

// Cole-Kripke 1992, 1-minute epochs: the relative weights of A(-4) ... A(0) ... A(+2).
constexpr std::array<float, 7> cole_kripke_weights{404.0F,  598.0F, 326.0F, 441.0F,
                                                   1408.0F, 508.0F, 350.0F};
constexpr std::size_t current_weight = 4;
constexpr float min_bpm = 25.0F;
constexpr float max_bpm = 240.0F;
// The heart rate of this sleep follows sleep-scored epochs with a 30 min time constant.
constexpr float sleep_hr_tau_ms = 30.0F * 60'000.0F;

std::int64_t floor_div(TimeMs t, TimeMs d) {
    std::int64_t q = t / d;
    if (t % d != 0 && (t < 0) != (d < 0)) {
        --q;
    }
    return q;
}

// Unknown epochs (no movement index) never count towards an awakening.
template <class E> bool is_wake(const E& e) {
    return e.has_movement && e.score == SleepWake::Wake;
}

std::size_t slot(std::int64_t k, std::size_t n) {
    // n is a power of two, so this is k mod n for negative k as well.
    return static_cast<std::size_t>(static_cast<std::uint64_t>(k) % n);
}

} // namespace

bool SleepDetectorConfig::validate() const {
    return epoch_ms > 0 && movement_floor >= 0.0F && std::isfinite(movement_floor) &&
           movement_scale > 0.0F && std::isfinite(movement_scale) && onset_epochs >= 1 &&
           onset_epochs <= max_window_epochs && wake_epochs >= 1 &&
           wake_no_hr_epochs >= wake_epochs && wake_no_hr_epochs <= max_window_epochs &&
           wake_fraction > 0.0F && wake_fraction <= 1.0F && hr_rise_bpm >= 0.0F &&
           std::isfinite(hr_rise_bpm) && max_gap_ms >= epoch_ms &&
           max_gap_ms <= static_cast<TimeMs>(max_gap_epochs) * epoch_ms;
}

SleepDetector::SleepDetector(const SleepDetectorConfig& config)
    : m_config(config.validate() ? config : SleepDetectorConfig{}) {
    static_assert((ring_size & (ring_size - 1)) == 0);
    static_assert((hr_ahead_epochs & (hr_ahead_epochs - 1)) == 0);
    static_assert(queue_capacity >= SleepDetectorConfig::max_gap_epochs + 2 * look_ahead_epochs);
    static_assert(ring_size >= SleepDetectorConfig::max_window_epochs + look_ahead_epochs + 1);
}

void SleepDetector::reset() {
    m_started = false;
    m_finished = false;
    m_state = SleepWake::Wake;
    m_queue.clear();
}

void SleepDetector::start_at(std::int64_t epoch) {
    m_started = true;
    m_first = epoch;
    m_next = epoch;
    m_scored = epoch;
    m_hr_sum.fill(0.0F);
    m_hr_n.fill(0);
    m_raw_wake_run = 0;
    m_rescore_left = 0;
    m_sleep_run = 0;
    m_onset = epoch;
    m_run_start = epoch;
    m_state = SleepWake::Wake;
    m_sleep_hr_bpm.reset();
}

void SleepDetector::restart_after_gap(std::int64_t epoch) {
    const SleepWake state = m_state;
    const std::optional<float> sleep_hr = m_sleep_hr_bpm;
    start_at(epoch);
    m_state = state;
    m_sleep_hr_bpm = sleep_hr;
    m_onset = epoch - 1; // awakening windows lie after the gap
}

void SleepDetector::push(std::span<const HeartRateSample> samples) {
    if (m_finished) {
        return;
    }
    for (const HeartRateSample& s : samples) {
        if (!(s.bpm >= min_bpm && s.bpm <= max_bpm)) {
            continue;
        }
        const std::int64_t k = floor_div(s.t_ms, m_config.epoch_ms);
        if (!m_started) {
            start_at(k);
        }
        if (k < m_next || k >= m_next + static_cast<std::int64_t>(hr_ahead_epochs)) {
            continue;
        }
        const std::size_t i = slot(k, hr_ahead_epochs);
        if (m_hr_n[i] < UINT16_MAX) {
            m_hr_sum[i] += s.bpm;
            ++m_hr_n[i];
        }
    }
}

void SleepDetector::push(std::span<const ActivityCountSample> samples) {
    if (m_finished) {
        return;
    }
    for (const ActivityCountSample& s : samples) {
        if (!(s.count >= 0.0F) || !std::isfinite(s.count)) {
            continue;
        }
        const std::int64_t k = floor_div(s.t_ms + m_config.epoch_ms / 2, m_config.epoch_ms);
        if (!m_started) {
            start_at(k);
        }
        if (k < m_next) {
            continue;
        }
        if ((k - m_next) * m_config.epoch_ms > m_config.max_gap_ms) {
            // Too long without data to call it still or to decide anything: score what is
            // there and start scoring again after the gap, in the same state.
            while (m_scored < m_next) {
                score(m_scored, static_cast<std::size_t>(m_next - 1 - m_scored));
                ++m_scored;
            }
            restart_after_gap(k);
        }
        while (m_next < k) {
            complete(std::nullopt);
        }
        complete(s.count);
    }
}

void SleepDetector::finish() {
    if (m_started && !m_finished) {
        while (m_scored < m_next) {
            score(m_scored, static_cast<std::size_t>(m_next - 1 - m_scored));
            ++m_scored;
        }
    }
    m_finished = true;
}

std::optional<SleepDetection> SleepDetector::pull() {
    return m_queue.pop();
}

void SleepDetector::complete(std::optional<float> movement) {
    Epoch& e = at(m_next);
    e = Epoch{};
    const std::size_t i = slot(m_next, hr_ahead_epochs);
    if (m_hr_n[i] > 0) {
        e.has_hr = true;
        e.hr_bpm = m_hr_sum[i] / static_cast<float>(m_hr_n[i]);
    }
    m_hr_sum[i] = 0.0F;
    m_hr_n[i] = 0;
    if (movement) {
        e.has_movement = true;
        e.activity = std::max(0.0F, *movement - m_config.movement_floor) / m_config.movement_scale;
    }
    ++m_next;
    while (m_scored + static_cast<std::int64_t>(look_ahead_epochs) < m_next) {
        score(m_scored, look_ahead_epochs);
        ++m_scored;
    }
}

void SleepDetector::score(std::int64_t k, std::size_t available_ahead) {
    float sum = 0.0F;
    for (std::size_t j = 0; j < cole_kripke_weights.size(); ++j) {
        const std::int64_t i =
            k + static_cast<std::int64_t>(j) - static_cast<std::int64_t>(current_weight);
        if (i < m_first || (j > current_weight && j - current_weight > available_ahead)) {
            continue;
        }
        sum += cole_kripke_weights[j] * at(i).activity;
    }
    const bool raw_wake = sum >= cole_kripke_weights[current_weight];

    // Webster 1982 rescoring, the causal rules, in minutes converted to epochs.
    const auto epochs = [this](std::int64_t minutes) {
        return static_cast<std::uint32_t>((minutes * 60'000 + m_config.epoch_ms - 1) /
                                          m_config.epoch_ms);
    };
    SleepWake final_score = SleepWake::Sleep;
    if (raw_wake) {
        ++m_raw_wake_run;
        m_rescore_left = m_raw_wake_run >= epochs(15)   ? epochs(4)
                         : m_raw_wake_run >= epochs(10) ? epochs(3)
                         : m_raw_wake_run >= epochs(4)  ? epochs(1)
                                                        : 0;
        final_score = SleepWake::Wake;
    } else if (m_rescore_left > 0) {
        --m_rescore_left;
        final_score = SleepWake::Wake;
    } else {
        m_raw_wake_run = 0;
    }
    at(k).score = final_score;
    decide(k);
}

std::optional<std::int64_t> SleepDetector::final_awakening(std::int64_t k) {
    for (const bool with_hr : {true, false}) {
        const std::int64_t n = with_hr ? m_config.wake_epochs : m_config.wake_no_hr_epochs;
        const std::int64_t first = k - n + 1;
        if (first <= m_onset || !is_wake(at(first)) || !is_wake(at(k))) {
            continue;
        }
        std::int64_t wake = 0;
        std::int64_t hr_n = 0;
        float hr_sum = 0.0F;
        for (std::int64_t i = first; i <= k; ++i) {
            const Epoch& e = at(i);
            wake += is_wake(e) ? 1 : 0;
            if (e.has_hr) {
                hr_sum += e.hr_bpm;
                ++hr_n;
            }
        }
        if (static_cast<float>(wake) < m_config.wake_fraction * static_cast<float>(n)) {
            continue;
        }
        if (with_hr &&
            (2 * hr_n < n || !m_sleep_hr_bpm ||
             hr_sum / static_cast<float>(hr_n) < *m_sleep_hr_bpm + m_config.hr_rise_bpm)) {
            continue;
        }
        return first;
    }
    return std::nullopt;
}

void SleepDetector::decide(std::int64_t k) {
    const Epoch& e = at(k);
    SleepDetection d;
    d.start_ms = start_of(k);
    d.end_ms = start_of(k + 1);
    d.epoch = e.score;
    d.quality = e.has_movement ? Quality::Good : Quality::NoContact;
    if (m_state == SleepWake::Wake) {
        if (e.has_movement) {
            m_sleep_run = e.score == SleepWake::Sleep ? m_sleep_run + 1 : 0;
            if (m_sleep_run == 1) {
                m_run_start = k;
            }
        }
        if (m_sleep_run >= m_config.onset_epochs) {
            m_state = SleepWake::Sleep;
            m_onset = m_run_start;
            d.transition_ms = start_of(m_onset);
            float hr_sum = 0.0F;
            int hr_n = 0;
            for (std::int64_t i = std::max(
                     m_onset,
                     k - static_cast<std::int64_t>(SleepDetectorConfig::max_window_epochs));
                 i <= k; ++i) {
                if (at(i).has_hr) {
                    hr_sum += at(i).hr_bpm;
                    ++hr_n;
                }
            }
            m_sleep_hr_bpm.reset();
            if (hr_n > 0) {
                m_sleep_hr_bpm = hr_sum / static_cast<float>(hr_n);
            }
        }
    } else if (const auto awake_from = final_awakening(k)) {
        m_state = SleepWake::Wake;
        m_sleep_run = 0;
        d.transition_ms = start_of(*awake_from);
    } else if (e.score == SleepWake::Sleep && e.has_hr) {
        const float alpha = static_cast<float>(m_config.epoch_ms) / sleep_hr_tau_ms;
        m_sleep_hr_bpm =
            m_sleep_hr_bpm ? *m_sleep_hr_bpm + alpha * (e.hr_bpm - *m_sleep_hr_bpm) : e.hr_bpm;
    }
    d.state = m_state;
    m_queue.push(d);
}

} // namespace hearth::engine::health
