#include "health/sleep_stager.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "health/sleep_model.h"

namespace hearth::engine::health {
namespace {

static_assert(sleep_model::feature_count == sleep_feature_count);

// Gaussian smoothing with the kernel cut at 3 sigma and the ends held (edge padding), as
// tools/train_sleep.py does.
void gaussian_smooth(std::span<const float> in, std::span<float> out, float sigma_epochs) {
    const auto half = static_cast<std::ptrdiff_t>(3.0F * sigma_epochs);
    float norm = 0.0F;
    for (std::ptrdiff_t j = -half; j <= half; ++j) {
        const float u = static_cast<float>(j) / sigma_epochs;
        norm += std::exp(-0.5F * u * u);
    }
    const auto n = static_cast<std::ptrdiff_t>(in.size());
    for (std::ptrdiff_t i = 0; i < n; ++i) {
        float acc = 0.0F;
        for (std::ptrdiff_t j = -half; j <= half; ++j) {
            const float u = static_cast<float>(j) / sigma_epochs;
            const std::ptrdiff_t k = std::clamp<std::ptrdiff_t>(i + j, 0, n - 1);
            acc += std::exp(-0.5F * u * u) * in[static_cast<std::size_t>(k)];
        }
        out[static_cast<std::size_t>(i)] = acc / norm;
    }
}

// Linear-interpolated percentile of sorted values (numpy's default).
float sorted_percentile(std::span<const float> sorted, float q) {
    if (sorted.empty()) {
        return 0.0F;
    }
    const float pos = q / 100.0F * static_cast<float>(sorted.size() - 1);
    const auto lo = static_cast<std::size_t>(pos);
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    const float frac = pos - static_cast<float>(lo);
    return sorted[lo] + frac * (sorted[hi] - sorted[lo]);
}

} // namespace

void sleep_epoch_features(std::span<const float> hr_bpm, std::span<const float> movement,
                          std::span<float> scratch_a, std::span<float> scratch_b,
                          const std::array<std::span<float>, sleep_feature_count>& f) {
    const std::size_t n = hr_bpm.size();
    if (n == 0) {
        return;
    }
    // Movement, normalised by the night's 90th percentile so that any device scale works.
    std::size_t measured = 0;
    for (std::size_t k = 0; k < n; ++k) {
        if (std::isfinite(movement[k])) {
            scratch_a[measured++] = movement[k];
        }
    }
    std::sort(scratch_a.begin(), scratch_a.begin() + static_cast<std::ptrdiff_t>(measured));
    float scale = sorted_percentile(scratch_a.first(measured), 90.0F);
    if (scale <= 0.0F && measured > 0) {
        scale = scratch_a[measured - 1];
    }
    if (scale <= 0.0F) {
        scale = 1.0F;
    }
    for (std::size_t k = 0; k < n; ++k) {
        const float m = std::isfinite(movement[k]) ? std::max(0.0F, movement[k]) : 0.0F;
        f[0][k] = std::log1p(10.0F * m / scale);
    }
    gaussian_smooth(f[0], f[1], 2.0F);
    gaussian_smooth(f[0], f[2], 10.0F);
    gaussian_smooth(f[0], f[3], 30.0F);

    // Heart rate: gaps interpolated between the neighbouring epochs, ends held.
    std::span<float> hr = f[4];
    std::ptrdiff_t prev = -1;
    for (std::size_t k = 0; k < n; ++k) {
        if (!std::isfinite(hr_bpm[k])) {
            continue;
        }
        hr[k] = hr_bpm[k];
        if (prev < 0) {
            std::fill(hr.begin(), hr.begin() + static_cast<std::ptrdiff_t>(k), hr_bpm[k]);
        } else {
            const auto p = static_cast<std::size_t>(prev);
            for (std::size_t j = p + 1; j < k; ++j) {
                const float w = static_cast<float>(j - p) / static_cast<float>(k - p);
                hr[j] = hr_bpm[p] + w * (hr_bpm[k] - hr_bpm[p]);
            }
        }
        prev = static_cast<std::ptrdiff_t>(k);
    }
    if (prev < 0) {
        std::fill(hr.begin(), hr.begin() + static_cast<std::ptrdiff_t>(n), 0.0F);
    } else {
        std::fill(hr.begin() + prev + 1, hr.begin() + static_cast<std::ptrdiff_t>(n),
                  hr_bpm[static_cast<std::size_t>(prev)]);
    }
    std::copy(hr.begin(), hr.begin() + static_cast<std::ptrdiff_t>(n), scratch_a.begin());
    std::sort(scratch_a.begin(), scratch_a.begin() + static_cast<std::ptrdiff_t>(n));
    const float median =
        n % 2 == 1 ? scratch_a[n / 2] : 0.5F * (scratch_a[n / 2 - 1] + scratch_a[n / 2]);
    double sum = 0.0;
    for (std::size_t k = 0; k < n; ++k) {
        sum += hr[k];
    }
    const double mean = sum / static_cast<double>(n);
    double var = 0.0;
    for (std::size_t k = 0; k < n; ++k) {
        var += (hr[k] - mean) * (hr[k] - mean);
    }
    const float sd = static_cast<float>(std::sqrt(var / static_cast<double>(n))) + 1e-3F;
    for (std::size_t k = 0; k < n; ++k) {
        hr[k] = (hr[k] - median) / sd;
    }
    gaussian_smooth(f[4].first(n), f[5], 5.0F);
    gaussian_smooth(f[4].first(n), f[6], 20.0F);
    // The slow course of the rate over the night (sigma 30 min): lower in deep-sleep-rich
    // stretches, higher towards REM-rich morning and wake (added leave-one-night-out: +1.0 point
    // of wake/NREM/REM accuracy, +0.009 kappa).
    gaussian_smooth(f[4].first(n), f[13], 60.0F);
    // Variability around a 5-minute trend (Walch's HR feature, on the z-scored rate).
    gaussian_smooth(f[4].first(n), scratch_a, 10.0F);
    for (std::size_t k = 0; k < n; ++k) {
        const float hp = f[4][k] - scratch_a[k];
        scratch_b[k] = hp * hp;
    }
    gaussian_smooth(scratch_b.first(n), f[7], 5.0F);
    gaussian_smooth(scratch_b.first(n), f[8], 20.0F);
    for (std::size_t k = 0; k < n; ++k) {
        f[7][k] = std::sqrt(std::max(0.0F, f[7][k]));
        f[8][k] = std::sqrt(std::max(0.0F, f[8][k]));
        // Time of night: where in the recording the epoch is, and a cosine "clock" of it.
        const float frac = static_cast<float>(k) / static_cast<float>(n);
        f[9][k] = frac;
        f[10][k] = std::cos(2.0F * std::numbers::pi_v<float> * frac);
        // Hours from the start and to the end of the recording, capped: people are awake when
        // they put the watch on and when they take it off.
        constexpr float epoch_h = 30.0F / 3600.0F;
        f[11][k] = std::min(static_cast<float>(k) * epoch_h, 2.0F);
        f[12][k] = std::min(static_cast<float>(n - 1 - k) * epoch_h, 2.0F);
    }
}

SleepStager::SleepStager(const SleepStagerConfig& config) : m_config(config) {
    reset();
}

void SleepStager::reset() {
    m_hr_sum.fill(0.0F);
    m_hr_n.fill(0);
    m_activity.fill(std::numeric_limits<float>::quiet_NaN());
    m_motion_sum.fill(0.0F);
    m_motion_n.fill(0);
    m_epochs = 0;
    m_next_pull = 0;
    m_finished = false;
    m_last_accel_norm = -1.0F;
}

std::optional<std::size_t> SleepStager::epoch_of(TimeMs t_ms) const {
    if (t_ms < 0) {
        return std::nullopt;
    }
    const auto k = static_cast<std::size_t>(t_ms / m_config.epoch_ms);
    if (k >= max_epochs) {
        return std::nullopt;
    }
    return k;
}

void SleepStager::see(std::size_t epoch) {
    m_epochs = std::max(m_epochs, epoch + 1);
}

void SleepStager::push(std::span<const HeartRateSample> samples) {
    if (m_finished) {
        return;
    }
    for (const auto& s : samples) {
        const auto k = epoch_of(s.t_ms);
        // Plausible human rates only; a 0 or a glitch would drag the epoch mean.
        if (!k || !std::isfinite(s.bpm) || s.bpm < 25.0F || s.bpm > 240.0F) {
            continue;
        }
        see(*k);
        if (m_hr_n[*k] < UINT16_MAX) {
            m_hr_sum[*k] += s.bpm;
            ++m_hr_n[*k];
        }
    }
}

void SleepStager::push(std::span<const ActivityCountSample> samples) {
    if (m_finished) {
        return;
    }
    for (const auto& s : samples) {
        const auto k = epoch_of(s.t_ms + m_config.epoch_ms / 2);
        if (!k || !std::isfinite(s.count) || s.count < 0.0F) {
            continue;
        }
        see(*k);
        m_activity[*k] = s.count;
    }
}

void SleepStager::push(std::span<const AccelSample> samples) {
    if (m_finished) {
        return;
    }
    for (const auto& s : samples) {
        const auto k = epoch_of(s.t_ms);
        if (!k || !std::isfinite(s.x) || !std::isfinite(s.y) || !std::isfinite(s.z)) {
            continue;
        }
        see(*k);
        // Change of the acceleration magnitude between samples: zero for a still wrist in any
        // orientation, independent of the accelerometer's offset.
        const float norm = std::sqrt(s.x * s.x + s.y * s.y + s.z * s.z);
        if (m_last_accel_norm >= 0.0F && m_motion_n[*k] < UINT16_MAX) {
            m_motion_sum[*k] += std::fabs(norm - m_last_accel_norm);
            ++m_motion_n[*k];
        }
        m_last_accel_norm = norm;
    }
}

void SleepStager::finish() {
    if (m_finished) {
        return;
    }
    m_finished = true;
    const std::size_t n = m_epochs;
    if (n == 0) {
        return;
    }
    std::span<float> hr(m_work[0].data(), n);
    std::span<float> movement(m_work[1].data(), n);
    constexpr float nan = std::numeric_limits<float>::quiet_NaN();
    for (std::size_t k = 0; k < n; ++k) {
        hr[k] = m_hr_n[k] > 0 ? m_hr_sum[k] / static_cast<float>(m_hr_n[k]) : nan;
        movement[k] = std::isfinite(m_activity[k]) ? m_activity[k]
                      : m_motion_n[k] > 0 ? m_motion_sum[k] / static_cast<float>(m_motion_n[k])
                                          : nan;
        m_quality[k] =
            std::isfinite(hr[k]) || std::isfinite(movement[k]) ? Quality::Good : Quality::NoContact;
    }
    std::array<std::span<float>, sleep_feature_count> features;
    for (std::size_t i = 0; i < sleep_feature_count; ++i) {
        features[i] = std::span<float>(m_work[4 + i].data(), n);
    }
    sleep_epoch_features(hr, movement, std::span<float>(m_work[2].data(), n),
                         std::span<float>(m_work[3].data(), n), features);
    for (std::size_t k = 0; k < n; ++k) {
        std::array<float, sleep_feature_count> z{};
        for (std::size_t i = 0; i < sleep_feature_count; ++i) {
            z[i] = (features[i][k] - sleep_model::feature_mean[i]) / sleep_model::feature_scale[i];
        }
        std::array<float, 3> logit{};
        for (std::size_t c = 0; c < 3; ++c) {
            logit[c] = sleep_model::stage_bias[c];
            for (std::size_t i = 0; i < sleep_feature_count; ++i) {
                logit[c] += sleep_model::stage_weights[c][i] * z[i];
            }
        }
        const auto best =
            static_cast<std::size_t>(std::max_element(logit.begin(), logit.end()) - logit.begin());
        if (best == 0) {
            m_stage[k] = SleepStage::Wake;
        } else if (best == 2) {
            m_stage[k] = SleepStage::Rem;
        } else {
            float deep = sleep_model::deep_bias;
            for (std::size_t i = 0; i < sleep_feature_count; ++i) {
                deep += sleep_model::deep_weights[i] * z[i];
            }
            m_stage[k] = deep > 0.0F ? SleepStage::Deep : SleepStage::Light;
        }
    }
}

std::optional<SleepEpoch> SleepStager::pull() {
    if (!m_finished || m_next_pull >= m_epochs) {
        return std::nullopt;
    }
    const std::size_t k = m_next_pull++;
    SleepEpoch e;
    e.start_ms = static_cast<TimeMs>(k) * m_config.epoch_ms;
    e.end_ms = e.start_ms + m_config.epoch_ms;
    e.stage = m_stage[k];
    e.quality = m_quality[k];
    return e;
}

SleepSummary summarize_sleep(std::span<const SleepEpoch> epochs) {
    SleepSummary s;
    std::ptrdiff_t first_sleep = -1;
    std::ptrdiff_t last_sleep = -1;
    for (std::size_t i = 0; i < epochs.size(); ++i) {
        const SleepEpoch& e = epochs[i];
        const float seconds = static_cast<float>(e.end_ms - e.start_ms) / 1000.0F;
        s.time_in_bed_s += seconds;
        switch (e.stage) {
        case SleepStage::Wake:
            s.wake_s += seconds;
            break;
        case SleepStage::Light:
            s.light_s += seconds;
            break;
        case SleepStage::Deep:
            s.deep_s += seconds;
            break;
        case SleepStage::Rem:
            s.rem_s += seconds;
            break;
        }
        if (e.stage != SleepStage::Wake) {
            if (first_sleep < 0) {
                first_sleep = static_cast<std::ptrdiff_t>(i);
            }
            last_sleep = static_cast<std::ptrdiff_t>(i);
        }
    }
    s.time_asleep_s = s.light_s + s.deep_s + s.rem_s;
    if (s.time_in_bed_s > 0.0F) {
        s.efficiency = s.time_asleep_s / s.time_in_bed_s;
    }
    if (first_sleep < 0) {
        return s;
    }
    const auto first = static_cast<std::size_t>(first_sleep);
    const auto last = static_cast<std::size_t>(last_sleep);
    s.sleep_onset_latency_s =
        static_cast<float>(epochs[first].start_ms - epochs.front().start_ms) / 1000.0F;
    std::size_t run = 0;
    for (std::size_t i = first; i <= last; ++i) {
        if (epochs[i].stage == SleepStage::Wake) {
            s.wake_after_sleep_onset_s +=
                static_cast<float>(epochs[i].end_ms - epochs[i].start_ms) / 1000.0F;
            if (++run == 2) {
                ++s.awakenings;
            }
        } else {
            run = 0;
        }
    }
    return s;
}

} // namespace hearth::engine::health
