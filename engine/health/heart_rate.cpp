#include "health/heart_rate.h"

#include <algorithm>
#include <cmath>

namespace hearth::engine::health {

namespace {

// Gaps up to this long are bridged by interpolation (and read as no contact); longer ones restart
// the stream, so that a clock jump in the input cannot make the estimator loop for long.
constexpr std::int64_t max_bridged_gap_bins = 750; // 30 s

constexpr float band_low_hz = 0.5F;
constexpr float band_high_hz = 4.0F;
// Accelerometer line strength (relative to its strongest) that halves the PPG power there.
constexpr float suppression_level = 0.5F;
// An accelerometer axis counts fully only if its strongest line has at least this share of the
// strongest line of all axes.
constexpr float min_axis_share = 0.05F;
// Below this share of the strongest PPG line surviving suppression, a window is held. The
// suppression gain never drops below 0.2 (a line exactly on the strongest accelerometer line),
// so this triggers only when the strongest PPG line is the motion line and nothing else is
// strong.
constexpr float hold_share = 0.2F;
// An accelerometer line at least this strong (relative) at f and at 2f marks f as the arm swing;
// the PPG there is further multiplied by arm_swing_gain.
constexpr float arm_swing_line = 0.6F;
constexpr float arm_swing_gain = 0.2F;

bool finite(float v) {
    return std::isfinite(v);
}

// Band-passed values beyond this would overflow float in the power spectra (200 samples,
// squared); no sensor reports anything near it.
constexpr float max_filtered = 1.0e15F;

} // namespace

bool HeartRateConfig::validate() const {
    const float lowest = hr_band_index_to_bpm(1.0F);
    const float highest = hr_band_index_to_bpm(static_cast<float>(hr_band_bins) - 2.0F);
    return finite(min_bpm) && finite(max_bpm) && min_bpm >= lowest && max_bpm <= highest &&
           min_bpm < max_bpm && max_step_bpm > 0.0F && max_step_bpm <= 60.0F &&
           motion_rms_ms2 >= 0.0F && no_contact_peakiness >= 0.0F && reacquire_after_ms >= 0;
}

HeartRateEstimator::HeartRateEstimator(const HeartRateConfig& config)
    : m_config(config.validate() ? config : HeartRateConfig{}),
      m_high(dsp::design_highpass(hr_sample_rate_hz, band_low_hz)),
      m_low(dsp::design_lowpass(hr_sample_rate_hz, band_high_hz)) {}

void HeartRateEstimator::reset() {
    const HeartRateConfig config = m_config;
    m_origin_ms.reset();
    for (auto& r : m_ppg_resampler) {
        r.reset();
    }
    m_accel_resampler.reset();
    for (auto& ch : m_ppg) {
        ch = Channel{};
    }
    for (auto& ch : m_accel) {
        ch = Channel{};
    }
    m_ppg_next_bin = {0, 0};
    m_accel_next_bin = 0;
    m_next_window_end_bin = static_cast<std::int64_t>(hr_window_bins);
    m_tracker.reset();
    m_last_contact_ms = 0;
    m_out.clear();
    m_config = config;
}

std::optional<std::int64_t> HeartRateEstimator::bin_of(TimeMs t_ms) {
    if (!m_origin_ms) {
        m_origin_ms = t_ms;
    }
    const TimeMs since = t_ms - *m_origin_ms;
    if (since < 0) {
        return std::nullopt;
    }
    return since / hr_bin_ms;
}

void HeartRateEstimator::store(Channel& ch, std::int64_t bin, float value) {
    if (!ch.has_offset) {
        ch.offset = value;
        ch.has_offset = true;
    }
    float y = dsp::biquad_step(m_low, ch.low, dsp::biquad_step(m_high, ch.high, value - ch.offset));
    if (!finite(y) || std::fabs(y) > max_filtered) {
        // Absurd input (a sensor glitch near float's range): restart the filter from here
        // rather than let infinities reach the spectra.
        ch.high = {};
        ch.low = {};
        ch.offset = value;
        y = 0.0F;
    }
    ch.ring[static_cast<std::size_t>(bin) % ring_bins] = y;
}

void HeartRateEstimator::push_ppg(std::span<const PpgSample> samples, PpgChannel channel) {
    const std::size_t index = channel == PpgChannel::First ? 0 : 1;
    HrResampler<1>& resampler = m_ppg_resampler[index];
    Channel& ch = m_ppg[index];
    for (const PpgSample& s : samples) {
        if (!finite(s.value)) {
            continue;
        }
        const auto bin = bin_of(s.t_ms);
        if (!bin) {
            continue;
        }
        if (resampler.started() && *bin - m_ppg_next_bin[index] > max_bridged_gap_bins) {
            resampler.reset();
            ch = Channel{};
            m_ppg_next_bin[index] = *bin;
            if (index == 0) {
                // Resume on the same 2 s grid once a full window of new data is in.
                const auto step = static_cast<std::int64_t>(hr_step_bins);
                const std::int64_t earliest = *bin + static_cast<std::int64_t>(hr_window_bins);
                m_next_window_end_bin +=
                    (earliest - m_next_window_end_bin + step - 1) / step * step;
            }
        }
        resampler.push(*bin, {s.value}, [&](std::int64_t b, const std::array<float, 1>& v) {
            store(ch, b, v[0]);
            m_ppg_next_bin[index] = b + 1;
            process_ready_windows();
        });
    }
}

void HeartRateEstimator::push_accel(std::span<const AccelSample> samples) {
    for (const AccelSample& s : samples) {
        if (!finite(s.x) || !finite(s.y) || !finite(s.z)) {
            continue;
        }
        const auto bin = bin_of(s.t_ms);
        if (!bin) {
            continue;
        }
        if (m_accel_resampler.started() && *bin - m_accel_next_bin > max_bridged_gap_bins) {
            m_accel_resampler.reset();
            for (auto& ch : m_accel) {
                ch = Channel{};
            }
            m_accel_next_bin = *bin;
        }
        m_accel_resampler.push(*bin, {s.x, s.y, s.z},
                               [&](std::int64_t b, const std::array<float, accel_axes>& v) {
                                   for (std::size_t i = 0; i < accel_axes; ++i) {
                                       store(m_accel[i], b, v[i]);
                                   }
                                   m_accel_next_bin = b + 1;
                                   process_ready_windows();
                               });
    }
}

void HeartRateEstimator::flush() {
    m_accel_resampler.flush([&](std::int64_t b, const std::array<float, accel_axes>& v) {
        for (std::size_t i = 0; i < accel_axes; ++i) {
            store(m_accel[i], b, v[i]);
        }
        m_accel_next_bin = b + 1;
    });
    m_ppg_resampler[1].flush([&](std::int64_t b, const std::array<float, 1>& v) {
        store(m_ppg[1], b, v[0]);
        m_ppg_next_bin[1] = b + 1;
    });
    m_ppg_resampler[0].flush([&](std::int64_t b, const std::array<float, 1>& v) {
        store(m_ppg[0], b, v[0]);
        m_ppg_next_bin[0] = b + 1;
    });
    process_ready_windows(true);
}

void HeartRateEstimator::process_ready_windows(bool final) {
    constexpr auto spare_bins = static_cast<std::int64_t>(ring_bins - hr_window_bins);
    while (m_ppg_next_bin[0] >= m_next_window_end_bin) {
        const std::int64_t end = m_next_window_end_bin;
        const bool accel_in = m_accel_resampler.started() && m_accel_next_bin >= end &&
                              m_accel_next_bin - end <= spare_bins;
        const bool second_in = m_ppg_resampler[1].started() && m_ppg_next_bin[1] >= end &&
                               m_ppg_next_bin[1] - end <= spare_bins;
        const bool accel_behind = !accel_in && m_accel_next_bin < end;
        const bool second_behind = m_ppg_resampler[1].started() && m_ppg_next_bin[1] < end;
        if (!final && (accel_behind || second_behind) &&
            m_ppg_next_bin[0] - end < max_accel_lag_bins) {
            return; // wait for the other streams to catch up
        }
        process_window(end, accel_in, second_in);
        m_next_window_end_bin += static_cast<std::int64_t>(hr_step_bins);
    }
}

void HeartRateEstimator::load_pair(const Channel& a, const Channel* b, std::int64_t end_bin) {
    const std::int64_t first = end_bin - static_cast<std::int64_t>(hr_window_bins);
    for (std::size_t i = 0; i < hr_window_bins; ++i) {
        const auto slot =
            static_cast<std::size_t>(first + static_cast<std::int64_t>(i)) % ring_bins;
        m_fft[i] = {a.ring[slot], b != nullptr ? b->ring[slot] : 0.0F};
    }
    hr_taper_pair(m_fft, hr_window_bins);
}

void HeartRateEstimator::process_window(std::int64_t end_bin, bool with_accel, bool second) {
    const TimeMs t_ms = *m_origin_ms + end_bin * hr_bin_ms;
    load_pair(m_ppg[0], second ? &m_ppg[1] : nullptr, end_bin);
    hr_band_spectra(m_fft, m_ppg_power, m_ppg2_power);
    // Either channel showing a pulse line means contact.
    const float peakiness =
        std::max(hr_peakiness(m_ppg_power), second ? hr_peakiness(m_ppg2_power) : 0.0F);
    hr_normalise(m_ppg_power);
    if (second && hr_normalise(m_ppg2_power) > 0.0F) {
        for (std::size_t k = 0; k < hr_band_bins; ++k) {
            m_ppg_power[k] += m_ppg2_power[k];
        }
        hr_normalise(m_ppg_power);
    }

    float accel_rms = 0.0F;
    if (with_accel) {
        const std::int64_t first = end_bin - static_cast<std::int64_t>(hr_window_bins);
        float sum_sq = 0.0F;
        for (std::size_t i = 0; i < hr_window_bins; ++i) {
            const auto slot =
                static_cast<std::size_t>(first + static_cast<std::int64_t>(i)) % ring_bins;
            for (const Channel& axis : m_accel) {
                sum_sq += axis.ring[slot] * axis.ring[slot];
            }
        }
        accel_rms = std::sqrt(sum_sq / static_cast<float>(hr_window_bins));
        with_accel = finite(accel_rms);
        // Each axis is normalised on its own, so that the arm swing seen mostly on one axis is
        // not hidden by the stronger stride line of another; but an axis is not amplified more
        // than 1 / min_axis_share, so that the noise of a still axis cannot mask the pulse.
        load_pair(m_accel[0], &m_accel[1], end_bin);
        hr_band_spectra(m_fft, m_accel_power, m_work_power);
        load_pair(m_accel[2], nullptr, end_bin);
        hr_band_spectra(m_fft, m_ppg2_power, m_raw_power); // m_raw_power: zero signal, unused
        const float peak_x = hr_normalise(m_accel_power);
        const float peak_y = hr_normalise(m_work_power);
        const float peak_z = hr_normalise(m_ppg2_power);
        const float strongest = std::max({peak_x, peak_y, peak_z});
        const auto share = [&](float peak) {
            return strongest > 0.0F ? std::min(1.0F, peak / (min_axis_share * strongest)) : 0.0F;
        };
        const float share_x = share(peak_x);
        const float share_y = share(peak_y);
        const float share_z = share(peak_z);
        for (std::size_t k = 0; k < hr_band_bins; ++k) {
            m_accel_power[k] = std::max(
                {share_x * m_accel_power[k], share_y * m_work_power[k], share_z * m_ppg2_power[k]});
        }
        hr_normalise(m_accel_power);
    }

    HeartRateEstimate estimate{t_ms, m_tracker.bpm(), Quality::Good};
    const bool moving = with_accel && accel_rms > m_config.motion_rms_ms2;
    // A flat signal has no contact whatever the motion; a line-less spectrum means no contact
    // only at rest, as motion artefacts also spread the power of a good signal.
    if (!finite(peakiness) || peakiness == 0.0F ||
        (!moving && peakiness < m_config.no_contact_peakiness)) {
        estimate.quality = Quality::NoContact;
        if (t_ms - m_last_contact_ms > m_config.reacquire_after_ms) {
            m_tracker.unlock();
        }
        m_out.push(estimate);
        return;
    }
    m_last_contact_ms = t_ms;
    m_raw_power = m_ppg_power;
    if (moving) {
        estimate.quality = Quality::Motion;
        // Wiener-like gain: PPG lines that the accelerometer also shows are attenuated. The
        // accelerometer spectrum is widened by one bin either side, as the two lines rarely
        // fall on exactly the same bin.
        const auto widened = [&](std::size_t k) {
            float n = m_accel_power[k];
            if (k > 0) {
                n = std::max(n, m_accel_power[k - 1]);
            }
            if (k + 1 < hr_band_bins) {
                n = std::max(n, m_accel_power[k + 1]);
            }
            return n;
        };
        for (std::size_t k = 0; k < hr_band_bins; ++k) {
            const float n = widened(k);
            const float r = n / suppression_level;
            m_ppg_power[k] /= 1.0F + r * r;
            // A motion line whose second harmonic is also a motion line is the arm swing (half
            // the step cadence), at which the heart rarely beats while walking or running
            // (arm swing 50-95/min); it is suppressed further. The cadence itself is not: the
            // heart often beats at the step rate while running.
            // The whole main lobe of the line (a Hann window spreads it over +-2 bins) is
            // treated so, which is why the nearby accelerometer peak is the one doubled.
            std::size_t line = k;
            for (std::size_t j = k > 2 ? k - 2 : 0; j <= k + 2 && j < hr_band_bins; ++j) {
                line = m_accel_power[j] > m_accel_power[line] ? j : line;
            }
            const std::size_t twice = 2 * line + hr_band_first;
            if (twice < hr_band_bins && m_accel_power[line] >= arm_swing_line &&
                widened(twice) >= arm_swing_line) {
                m_ppg_power[k] *= arm_swing_gain;
            }
        }
        // The raw spectrum's maximum is 1, so this is the share of the strongest line that
        // survives. When every strong line was a motion line (the pulse hidden under the
        // cadence), the window says nothing about the pulse: hold rather than follow leftovers.
        if (hr_normalise(m_ppg_power) < hold_share && m_tracker.locked()) {
            m_out.push(estimate);
            return;
        }
    }
    const HrTracker::Limits limits{m_config.min_bpm, m_config.max_bpm, m_config.max_step_bpm};
    estimate.bpm = m_tracker.update(m_ppg_power, m_raw_power, limits);
    m_out.push(estimate);
}

std::optional<HeartRateEstimate> HeartRateEstimator::pull() {
    return m_out.pop();
}

} // namespace hearth::engine::health
