#include "health/swim_tracker.h"

#include <algorithm>
#include <cmath>

#include "health/swim_style_model.h"

namespace hearth::engine::health {
namespace {

constexpr float gravity_m_s2 = 9.80665F;
// Time constant of the running mean the stroke cycles are counted around: longer than one
// stroke cycle (0.8-2 s) so that it follows posture, not strokes.
constexpr float stroke_mean_tau_s = 2.0F;
// The gyro is low-passed first (about 1 Hz) so that the harmonics of a stroke do not count as
// strokes, and two cycles closer than the refractory time count once: no swimmer's watch arm
// cycles faster than about 1 Hz.
constexpr float stroke_lowpass_tau_s = 0.15F;
constexpr TimeMs stroke_refractory_ms = 900;
// Attitude filter (Mahony, Hamel, Pflimlin, "Nonlinear complementary filters on the special
// orthogonal group", IEEE TAC 2008), proportional term only: the tilt follows the accelerometer
// with a time constant of about 1 / gain = 2 s, short enough to undo integration error and long
// enough that stroke accelerations average out. Steps longer than 0.1 s (gaps) are shortened.
constexpr float attitude_gain_per_s = 0.5F;
constexpr float attitude_max_step_s = 0.1F;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) {
        --q;
    }
    return q;
}

bool finite3(const std::array<float, 3>& v) {
    return std::isfinite(v[0]) && std::isfinite(v[1]) && std::isfinite(v[2]);
}

} // namespace

bool SwimTrackerConfig::validate() const {
    return active_gyro_rad_s > 0.0F && rest_s >= 1 && turn_window_s >= 1 && turn_threshold > 0.0F &&
           min_active_fraction >= 0.0F && min_active_fraction <= 1.0F && min_length_s >= 1 &&
           turn_glide_ratio > 0.0F && min_stroke_gyro_rad_s >= 0.0F &&
           kick_min_periodicity > 0.0F && stroke_hysteresis_rad_s >= 0.0F &&
           static_cast<std::size_t>(min_length_s + 2 * turn_window_s + 2) <
               SwimTracker::max_length_seconds;
}

std::array<float, 12> swim_length_features(const SwimMoments& m) {
    std::array<float, 12> f{};
    if (m.n <= 0.0) {
        return f;
    }
    for (std::size_t k = 0; k < 3; ++k) {
        const double mean_a = m.accel_sum[k] / m.n;
        const double var_a = std::max(0.0, m.accel_sq[k] / m.n - mean_a * mean_a);
        const double mean_g = m.gyro_sum[k] / m.n;
        const double var_g = std::max(0.0, m.gyro_sq[k] / m.n - mean_g * mean_g);
        const auto mean_a_g = static_cast<float>(mean_a) / gravity_m_s2;
        // Sign-invariant where the sign depends on the wrist the watch is worn on; z (out of the
        // watch face) keeps its sign because it does not.
        f[k] = k == 2 ? mean_a_g : std::fabs(mean_a_g);
        f[3 + k] = static_cast<float>(std::sqrt(var_a)) / gravity_m_s2;
        f[6 + k] = static_cast<float>(std::sqrt(var_g));
        f[9 + k] = std::fabs(static_cast<float>(mean_g));
    }
    return f;
}

StyleDecision classify_swim_style(std::span<const float, 12> features) {
    static_assert(swim_model::feature_count == 12);
    std::array<float, 4> logit{};
    for (std::size_t c = 0; c < 4; ++c) {
        float z = swim_model::bias[c];
        for (std::size_t k = 0; k < 12; ++k) {
            const float x =
                (features[k] - swim_model::feature_mean[k]) / swim_model::feature_scale[k];
            z += swim_model::weights[c][k] * x;
        }
        logit[c] = z;
    }
    const auto best =
        static_cast<std::size_t>(std::max_element(logit.begin(), logit.end()) - logit.begin());
    float total = 0.0F;
    for (const float z : logit) {
        total += std::exp(z - logit[best]);
    }
    return {static_cast<SwimStyle>(best), 1.0F / total};
}

SwimTracker::SwimTracker(const SwimTrackerConfig& config) : m_config(config) {}

void SwimTracker::reset() {
    m_ring = {};
    m_current = {};
    m_started = false;
    m_next_decision = 0;
    m_last_closed = -1;
    m_gyro_mean = {};
    m_gyro_lp = {};
    m_gyro_side = {};
    m_last_cycle_ms = {};
    m_last_t_ms = 0;
    m_in_segment = false;
    m_segment_start = 0;
    m_last_active = 0;
    m_inactive_run = 0;
    m_attitude = {1.0F, 0.0F, 0.0F, 0.0F};
    m_attitude_ready = false;
    m_bins = {};
    m_bin_head = 0;
    m_bins_filled = 0;
    m_bin_index = 0;
    m_bin_sum = 0.0F;
    m_bin_n = 0;
    m_bin_last = 0.0F;
    m_kick_armed = false;
    m_kick_in = false;
    m_prev_active = false;
    m_kick_start = 0;
    m_prev_decided = -1;
    m_kick_sum = 0.0F;
    m_kick_n = 0;
    m_results.clear();
}

void SwimTracker::push_kick_bins(std::int64_t up_to_bin) {
    // Closes the current bin and repeats the last value across empty ones (at most a window).
    std::int64_t pending = up_to_bin - m_bin_index;
    pending = std::min<std::int64_t>(pending, static_cast<std::int64_t>(kick_bins));
    for (std::int64_t k = 0; k < pending; ++k) {
        if (k == 0 && m_bin_n > 0) {
            m_bin_last = m_bin_sum / static_cast<float>(m_bin_n);
        }
        m_bins[m_bin_head] = m_bin_last;
        m_bin_head = (m_bin_head + 1) % kick_bins;
        m_bins_filled = std::min(m_bins_filled + 1, kick_bins);
    }
    m_bin_index = up_to_bin;
    m_bin_sum = 0.0F;
    m_bin_n = 0;
}

void SwimTracker::update_heading(const SwimImuSample& s, float dt_s) {
    const auto& a = s.accel;
    const float a_norm = std::sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
    auto& q = m_attitude;
    if (!m_attitude_ready) {
        if (a_norm < 1.0F) {
            return; // no gravity to start from (free fall or a broken sample)
        }
        // The rotation taking the measured "up" to world z; the heading origin is arbitrary.
        const std::array<float, 3> u{a[0] / a_norm, a[1] / a_norm, a[2] / a_norm};
        // Half-angle form (no trigonometry): w = cos(angle / 2), axis (u_y, -u_x, 0) scaled by
        // sin(angle / 2) / sin(angle) = 1 / sqrt(2 (1 + cos(angle))), cos(angle) = u_z.
        const float one_plus_cos = 1.0F + u[2];
        if (one_plus_cos < 1e-6F) {
            q = {0.0F, 1.0F, 0.0F, 0.0F}; // upside down: half a turn about x
        } else {
            const float k = 1.0F / std::sqrt(2.0F * one_plus_cos);
            q = {std::sqrt(0.5F * one_plus_cos), u[1] * k, -u[0] * k, 0.0F};
        }
        m_attitude_ready = true;
    } else {
        const float dt = std::min(dt_s, attitude_max_step_s);
        std::array<float, 3> w = s.gyro;
        if (a_norm > 1e-3F) {
            // Error between measured and estimated up (world z seen in the device frame).
            const float vx = 2.0F * (q[1] * q[3] - q[0] * q[2]);
            const float vy = 2.0F * (q[2] * q[3] + q[0] * q[1]);
            const float vz = 1.0F - 2.0F * (q[1] * q[1] + q[2] * q[2]);
            const float ax = a[0] / a_norm;
            const float ay = a[1] / a_norm;
            const float az = a[2] / a_norm;
            w[0] += attitude_gain_per_s * (ay * vz - az * vy);
            w[1] += attitude_gain_per_s * (az * vx - ax * vz);
            w[2] += attitude_gain_per_s * (ax * vy - ay * vx);
        }
        const std::array<float, 4> dq{
            -q[1] * w[0] - q[2] * w[1] - q[3] * w[2], q[0] * w[0] + q[2] * w[2] - q[3] * w[1],
            q[0] * w[1] - q[1] * w[2] + q[3] * w[0], q[0] * w[2] + q[1] * w[1] - q[2] * w[0]};
        float norm_sq = 0.0F;
        for (std::size_t k = 0; k < 4; ++k) {
            q[k] += 0.5F * dt * dq[k];
            norm_sq += q[k] * q[k];
        }
        if (!(norm_sq > 1e-12F) || !std::isfinite(norm_sq)) {
            q = {1.0F, 0.0F, 0.0F, 0.0F};
            m_attitude_ready = false;
            return;
        }
        const float inv = 1.0F / std::sqrt(norm_sq);
        for (float& c : q) {
            c *= inv;
        }
    }
    // World x (horizontal) in the device frame: the first row of the rotation matrix.
    m_current.heading_sum[0] += 1.0F - 2.0F * (q[2] * q[2] + q[3] * q[3]);
    m_current.heading_sum[1] += 2.0F * (q[1] * q[2] - q[0] * q[3]);
    m_current.heading_sum[2] += 2.0F * (q[1] * q[3] + q[0] * q[2]);
}

float SwimTracker::kick_periodicity() const {
    // Normalised autocorrelation, corrected for the shrinking overlap, at lags 0.3-2 s; the
    // highest value. 0 when the window is not full or flat.
    if (m_bins_filled < kick_bins) {
        return 0.0F;
    }
    std::array<float, kick_bins> x{};
    float mean = 0.0F;
    for (std::size_t i = 0; i < kick_bins; ++i) {
        x[i] = m_bins[(m_bin_head + i) % kick_bins];
        mean += x[i];
    }
    mean /= static_cast<float>(kick_bins);
    float energy = 0.0F;
    for (float& v : x) {
        v -= mean;
        energy += v * v;
    }
    // Kicks shake the wrist by tenths of m/s^2 (0.35-1.3 m/s^2 per-second spread in the
    // Brunner kick sets); below 0.1 m/s^2 RMS, about five times a phone-grade accelerometer's
    // noise, the rhythm is not kicking.
    constexpr float min_rms_m_s2 = 0.1F;
    if (energy <= min_rms_m_s2 * min_rms_m_s2 * static_cast<float>(kick_bins)) {
        return 0.0F;
    }
    constexpr std::size_t min_lag = 3;  // 0.3 s: 3.3 Hz
    constexpr std::size_t max_lag = 20; // 2 s: 0.5 Hz
    float best = 0.0F;
    for (std::size_t lag = min_lag; lag <= max_lag; ++lag) {
        float c = 0.0F;
        for (std::size_t i = 0; i + lag < kick_bins; ++i) {
            c += x[i] * x[i + lag];
        }
        const float r =
            c / energy * static_cast<float>(kick_bins) / static_cast<float>(kick_bins - lag);
        best = std::max(best, r);
    }
    return best;
}

void SwimTracker::push(std::span<const SwimImuSample> samples) {
    const auto lookahead = static_cast<std::int64_t>(2 * m_config.turn_window_s);
    for (const SwimImuSample& s : samples) {
        if (!finite3(s.accel) || !finite3(s.gyro)) {
            continue;
        }
        const std::int64_t second = floor_div(s.t_ms, 1000);
        if (!m_started) {
            m_started = true;
            m_current = {};
            m_current.index = second;
            m_next_decision = second;
            m_last_closed = second - 1;
            m_gyro_mean = s.gyro;
            m_gyro_lp = s.gyro;
            m_gyro_side = {};
            m_last_cycle_ms.fill(s.t_ms - stroke_refractory_ms);
            m_last_t_ms = s.t_ms;
            m_attitude_ready = false;
            m_bin_index = floor_div(s.t_ms, kick_bin_ms);
            m_bin_sum = 0.0F;
            m_bin_n = 0;
        }
        if (second < m_current.index) {
            continue;
        }
        const std::int64_t bin = floor_div(s.t_ms, kick_bin_ms);
        if (bin > m_bin_index) {
            push_kick_bins(bin);
        }
        if (second > m_current.index) {
            if (m_current.n > 0) {
                m_current.kick_periodicity = kick_periodicity();
            }
            close_second();
            // Empty seconds across a gap, enough for any open length to end at a rest; beyond
            // that nothing can happen, so the clock jumps.
            const std::int64_t fill_limit = m_current.index + lookahead + m_config.rest_s + 2;
            std::int64_t next = m_current.index + 1;
            while (next < second && next <= fill_limit) {
                m_current = {};
                m_current.index = next;
                close_second();
                ++next;
            }
            if (next < second) {
                m_next_decision = std::max(m_next_decision, second);
                m_last_closed = second - 1;
            }
            m_current = {};
            m_current.index = second;
        }

        const float dt_s =
            std::clamp(static_cast<float>(s.t_ms - m_last_t_ms) / 1000.0F, 0.0F, 1.0F);
        m_last_t_ms = s.t_ms;
        const float alpha = dt_s / (stroke_mean_tau_s + dt_s);
        const float lp_alpha = dt_s / (stroke_lowpass_tau_s + dt_s);
        float gyro_norm_sq = 0.0F;
        for (std::size_t k = 0; k < 3; ++k) {
            m_current.accel_sum[k] += s.accel[k];
            m_current.accel_sq[k] += s.accel[k] * s.accel[k];
            m_current.gyro_sum[k] += s.gyro[k];
            m_current.gyro_sq[k] += s.gyro[k] * s.gyro[k];
            gyro_norm_sq += s.gyro[k] * s.gyro[k];
            m_gyro_lp[k] += lp_alpha * (s.gyro[k] - m_gyro_lp[k]);
            m_gyro_mean[k] += alpha * (m_gyro_lp[k] - m_gyro_mean[k]);
            const float h = m_config.stroke_hysteresis_rad_s;
            if (m_gyro_lp[k] > m_gyro_mean[k] + h) {
                if (m_gyro_side[k] < 0 && s.t_ms - m_last_cycle_ms[k] >= stroke_refractory_ms) {
                    ++m_current.cycles[k];
                    m_last_cycle_ms[k] = s.t_ms;
                }
                m_gyro_side[k] = 1;
            } else if (m_gyro_lp[k] < m_gyro_mean[k] - h) {
                m_gyro_side[k] = -1;
            }
        }
        m_current.gyro_norm_sum += std::sqrt(gyro_norm_sq);
        update_heading(s, dt_s);
        if (bin >= m_bin_index) {
            m_bin_sum += std::sqrt(s.accel[0] * s.accel[0] + s.accel[1] * s.accel[1] +
                                   s.accel[2] * s.accel[2]);
            ++m_bin_n;
        }
        if (finite3(s.mag)) {
            for (std::size_t k = 0; k < 3; ++k) {
                m_current.mag_sum[k] += s.mag[k];
            }
            m_current.mag_norm_sum +=
                std::sqrt(s.mag[0] * s.mag[0] + s.mag[1] * s.mag[1] + s.mag[2] * s.mag[2]);
            if (m_current.mag_n < UINT16_MAX) {
                ++m_current.mag_n;
            }
        }
        if (m_current.n < UINT16_MAX) {
            ++m_current.n;
        }
    }
}

void SwimTracker::close_second() {
    m_ring[static_cast<std::size_t>(m_current.index) % max_length_seconds] = m_current;
    m_last_closed = m_current.index;
    const auto lookahead = static_cast<std::int64_t>(2 * m_config.turn_window_s);
    while (m_next_decision + lookahead - 1 <= m_last_closed) {
        decide(m_next_decision++);
    }
}

void SwimTracker::finish() {
    if (!m_started) {
        return;
    }
    close_second();
    while (m_next_decision <= m_last_closed) {
        decide(m_next_decision++);
    }
    if (m_in_segment) {
        close_segment(m_last_active + 1);
        m_in_segment = false;
    }
    // A quiet stretch running into the end of the recording is the swimmer stopping.
    m_kick_in = false;
    m_kick_armed = false;
    m_prev_active = false;
    m_prev_decided = -1;
    m_started = false;
    m_inactive_run = 0;
}

const SwimTracker::Second* SwimTracker::second_at(std::int64_t index) const {
    if (index > m_last_closed || index < 0) {
        return nullptr;
    }
    const Second& s = m_ring[static_cast<std::size_t>(index) % max_length_seconds];
    return s.index == index ? &s : nullptr;
}

bool SwimTracker::active(std::int64_t index) const {
    const Second* s = second_at(index);
    return s != nullptr && s->n > 0 &&
           s->gyro_norm_sum / static_cast<float>(s->n) >= m_config.active_gyro_rad_s;
}

std::optional<float> SwimTracker::turn_score(std::int64_t index) const {
    const std::int64_t w = m_config.turn_window_s;
    std::array<std::array<float, 3>, 2> side_sum{};
    std::array<float, 2> side_n{};
    float norm_sum = 0.0F;
    // The gyro heading, used when the magnetometer is missing on either side.
    std::array<std::array<float, 3>, 2> head_sum{};
    std::array<float, 2> head_n{};
    for (std::int64_t k = index - w; k < index + w; ++k) {
        const Second* s = second_at(k);
        if (s == nullptr) {
            continue;
        }
        const std::size_t side = k < index ? 0 : 1;
        for (std::size_t c = 0; c < 3; ++c) {
            head_sum[side][c] += s->heading_sum[c];
        }
        head_n[side] += static_cast<float>(s->n);
        if (s->mag_n == 0) {
            continue;
        }
        for (std::size_t c = 0; c < 3; ++c) {
            side_sum[side][c] += s->mag_sum[c];
        }
        side_n[side] += static_cast<float>(s->mag_n);
        norm_sum += s->mag_norm_sum;
    }
    const auto change = [](const std::array<std::array<float, 3>, 2>& sum,
                           const std::array<float, 2>& n) {
        float diff_sq = 0.0F;
        for (std::size_t c = 0; c < 3; ++c) {
            const float d = sum[0][c] / n[0] - sum[1][c] / n[1];
            diff_sq += d * d;
        }
        return std::sqrt(diff_sq);
    };
    if (side_n[0] > 0.0F && side_n[1] > 0.0F && norm_sum > 0.0F) {
        return change(side_sum, side_n) / (norm_sum / (side_n[0] + side_n[1]));
    }
    if (head_n[0] > 0.0F && head_n[1] > 0.0F) {
        return change(head_sum, head_n); // unit vectors
    }
    return std::nullopt;
}

bool SwimTracker::is_turn(std::int64_t index) const {
    const std::int64_t w = m_config.turn_window_s;
    const auto score = turn_score(index);
    if (!score || *score < m_config.turn_threshold) {
        return false;
    }
    int active_before = 0;
    int active_after = 0;
    for (std::int64_t k = 1; k <= w; ++k) {
        active_before += active(index - k) ? 1 : 0;
        active_after += active(index + k - 1) ? 1 : 0;
    }
    const float need = m_config.min_active_fraction * static_cast<float>(w);
    if (static_cast<float>(active_before) < need || static_cast<float>(active_after) < need) {
        return false;
    }
    // The glide: the strokes pause at the wall and during the push-off. Compared with the
    // length so far, so that slow and fast swimmers are treated alike.
    float length_sum = 0.0F;
    float length_n = 0.0F;
    for (std::int64_t k = m_segment_start; k < index; ++k) {
        if (const Second* s = second_at(k)) {
            length_sum += s->gyro_norm_sum;
            length_n += static_cast<float>(s->n);
        }
    }
    if (length_n <= 0.0F) {
        return false;
    }
    const float glide_limit = m_config.turn_glide_ratio * length_sum / length_n;
    bool glide = false;
    for (std::int64_t k = index - w; k + 1 < index + w && !glide; ++k) {
        const Second* a = second_at(k);
        const Second* b = second_at(k + 1);
        if (a == nullptr || b == nullptr || a->n + b->n == 0) {
            glide = true; // no samples: nothing moved the wrist
            continue;
        }
        const float rate = (a->gyro_norm_sum + b->gyro_norm_sum) / static_cast<float>(a->n + b->n);
        glide = rate <= glide_limit;
    }
    if (!glide) {
        return false;
    }
    // The peak of the change, so that one turn is one boundary (first of equal maxima).
    for (std::int64_t k = index - w; k <= index + w; ++k) {
        if (k == index) {
            continue;
        }
        const auto other = turn_score(k);
        if (other && (k < index ? *other >= *score : *other > *score)) {
            return false;
        }
    }
    return true;
}

void SwimTracker::decide_kick(std::int64_t index, bool is_active) {
    if (index != m_prev_decided + 1) {
        // A gap in the recording: whatever was happening is over.
        m_kick_armed = false;
        m_kick_in = false;
        m_prev_active = false;
    }
    m_prev_decided = index;
    const bool moving = is_active && m_prev_active;
    m_prev_active = is_active;
    if (m_kick_in) {
        if (moving) {
            // Movement at the wall ends the stretch; the first of the two active seconds.
            const std::int64_t end = index - 1;
            m_kick_in = false;
            if (end - m_kick_start >= m_config.min_length_s && m_kick_n > 0 &&
                m_kick_sum / static_cast<float>(m_kick_n) >= m_config.kick_min_periodicity) {
                SwimLength length;
                length.start_ms = m_kick_start * 1000;
                length.end_ms = end * 1000;
                length.style = SwimStyle::Kick;
                length.style_probability = 1.0F;
                length.quality = Quality::Good;
                m_results.push(length);
            }
            return;
        }
        // Only windows lying inside the stretch describe it.
        const auto window_s = static_cast<std::int64_t>(kick_bins) * kick_bin_ms / 1000;
        const Second* s = second_at(index);
        if (s != nullptr && index >= m_kick_start + window_s - 1) {
            m_kick_sum += s->kick_periodicity;
            ++m_kick_n;
        }
        return;
    }
    if (moving) {
        m_kick_armed = true;
    } else if (m_kick_armed && !is_active) {
        m_kick_in = true;
        m_kick_start = index;
        m_kick_sum = 0.0F;
        m_kick_n = 0;
    }
}

void SwimTracker::decide(std::int64_t index) {
    const bool is_active = active(index);
    decide_kick(index, is_active);
    if (!m_in_segment) {
        if (is_active) {
            m_in_segment = true;
            m_segment_start = index;
            m_last_active = index;
            m_inactive_run = 0;
        }
        return;
    }
    const auto span_limit =
        static_cast<std::int64_t>(max_length_seconds) - 2 * m_config.turn_window_s - 1;
    if (index - m_segment_start >= span_limit) {
        // Longer than any pool length the ring can hold: not a length; start over.
        m_segment_start = index;
        m_last_active = index;
        m_inactive_run = 0;
        m_in_segment = is_active;
        return;
    }
    if (is_turn(index)) {
        close_segment(index);
        m_segment_start = index;
        m_last_active = index;
        m_inactive_run = 0;
        return;
    }
    if (is_active) {
        m_last_active = index;
        m_inactive_run = 0;
        return;
    }
    if (++m_inactive_run >= m_config.rest_s) {
        close_segment(m_last_active + 1);
        m_in_segment = false;
        m_inactive_run = 0;
    }
}

void SwimTracker::close_segment(std::int64_t end_index) {
    if (end_index - m_segment_start < m_config.min_length_s) {
        return;
    }
    SwimMoments moments;
    std::array<double, 3> cycles{};
    double mag_n = 0.0;
    double gyro_norm_sum = 0.0;
    for (std::int64_t k = m_segment_start; k < end_index; ++k) {
        const Second* s = second_at(k);
        if (s == nullptr) {
            continue;
        }
        moments.n += s->n;
        mag_n += s->mag_n;
        gyro_norm_sum += s->gyro_norm_sum;
        for (std::size_t c = 0; c < 3; ++c) {
            moments.accel_sum[c] += s->accel_sum[c];
            moments.accel_sq[c] += s->accel_sq[c];
            moments.gyro_sum[c] += s->gyro_sum[c];
            moments.gyro_sq[c] += s->gyro_sq[c];
            cycles[c] += s->cycles[c];
        }
    }
    if (moments.n <= 0.0 || gyro_norm_sum / moments.n < m_config.min_stroke_gyro_rad_s) {
        return;
    }
    const auto features = swim_length_features(moments);
    const StyleDecision decision = classify_swim_style(features);
    // The axis the stroke turns the wrist about most carries the clearest cycles.
    std::size_t axis = 0;
    for (std::size_t c = 1; c < 3; ++c) {
        if (features[6 + c] > features[6 + axis]) {
            axis = c;
        }
    }
    SwimLength length;
    length.start_ms = m_segment_start * 1000;
    length.end_ms = end_index * 1000;
    length.style = decision.style;
    length.style_probability = decision.probability;
    length.strokes = static_cast<int>(cycles[axis]);
    length.quality = mag_n < 0.5 * moments.n ? Quality::Motion : Quality::Good;
    m_results.push(length);
}

SwimSummary summarize_swim(std::span<const SwimLength> lengths, float pool_length_m) {
    SwimSummary summary;
    summary.lengths = static_cast<int>(lengths.size());
    summary.distance_m = pool_length_m * static_cast<float>(lengths.size());
    float swolf_sum = 0.0F;
    for (const SwimLength& l : lengths) {
        const float seconds = static_cast<float>(l.end_ms - l.start_ms) / 1000.0F;
        summary.swim_time_s += seconds;
        summary.strokes += l.strokes;
        swolf_sum += seconds + static_cast<float>(l.strokes);
    }
    if (!lengths.empty()) {
        summary.mean_swolf = swolf_sum / static_cast<float>(lengths.size());
    }
    if (summary.distance_m > 0.0F) {
        summary.pace_s_per_100m = summary.swim_time_s / summary.distance_m * 100.0F;
    }
    return summary;
}

} // namespace hearth::engine::health
