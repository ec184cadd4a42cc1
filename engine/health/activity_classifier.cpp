#include "health/activity_classifier.h"

#include <algorithm>
#include <cmath>

#include "health/activity_model.h"

namespace hearth::engine::health {

namespace {

struct ForestView {
    std::span<const activity_model::Node> nodes;
    std::span<const std::uint16_t> roots;
    std::span<const std::array<std::uint8_t, activity_class_count>> leaves;
};

static_assert(activity_model::feature_scale.size() == activity_feature_count,
              "activity_model.h is out of step with the features: rerun tools/train_activity.py");

// Soft vote of a forest whose leaves hold class shares quantised to 0..255. Thresholds are
// int16 bins of feature * feature_scale (a power of two, so the product is exact).
std::array<float, activity_class_count> forest_vote(const ForestView& forest,
                                                    const ActivityFeatures& features) {
    std::array<float, activity_class_count> votes{};
    for (const std::uint16_t root : forest.roots) {
        std::size_t i = root;
        // Bounded walk: a tree is never deeper than its node count.
        for (std::size_t guard = 0; guard < forest.nodes.size() && i < forest.nodes.size();
             ++guard) {
            const activity_model::Node& node = forest.nodes[i];
            const std::size_t f = activity_model::feature(node);
            if (f >= activity_feature_count) {
                break; // not produced by the generator
            }
            const bool go_left = features.values[f] * activity_model::feature_scale[f] <=
                                 static_cast<float>(node.threshold);
            const bool leaf =
                go_left ? activity_model::left_is_leaf(node) : activity_model::right_is_leaf(node);
            const std::size_t next =
                go_left ? activity_model::left_child(node) : activity_model::right_child(node);
            if (leaf) {
                if (next < forest.leaves.size()) {
                    const auto& shares = forest.leaves[next];
                    for (std::size_t c = 0; c < activity_class_count; ++c) {
                        votes[c] += static_cast<float>(shares[c]);
                    }
                }
                break;
            }
            i = next;
        }
    }
    float total = 0.0F;
    for (const float v : votes) {
        total += v;
    }
    if (total > 0.0F) {
        for (float& v : votes) {
            v /= total;
        }
    }
    return votes;
}

// HMM constants (tools/train_activity.py uses the same): probability of staying in a class
// from one 2.5 s window to the next, and the floor added to the forest's probabilities so that
// a class the forest rules out can still be reached when the following windows support it.
constexpr float hmm_stay = 0.98F;
constexpr float hmm_move = (1.0F - hmm_stay) / static_cast<float>(activity_class_count - 1);
constexpr float hmm_floor = 0.02F;

// Rounds to the nearest int16, saturating (also for NaN, which gives 0).
std::int16_t to_int16(float v) {
    if (!(v == v)) {
        return 0;
    }
    const float clamped = std::clamp(v, -32768.0F, 32767.0F);
    return static_cast<std::int16_t>(std::lround(clamped));
}

using Probabilities = std::array<float, activity_class_count>;

void normalise(Probabilities& p) {
    float total = 0.0F;
    for (const float v : p) {
        total += v;
    }
    if (total <= 0.0F || !std::isfinite(total)) {
        p.fill(1.0F / static_cast<float>(activity_class_count));
        return;
    }
    for (float& v : p) {
        v /= total;
    }
}

// p times the transition matrix (symmetric): stay on the diagonal, move elsewhere. For a
// normalised p, sum_j p_j T_jk = stay p_k + move (1 - p_k).
Probabilities transition(const Probabilities& p) {
    float total = 0.0F;
    for (const float v : p) {
        total += v;
    }
    Probabilities out{};
    for (std::size_t k = 0; k < activity_class_count; ++k) {
        out[k] = hmm_stay * p[k] + hmm_move * (total - p[k]);
    }
    return out;
}

} // namespace

std::optional<Activity> activity_from_string(std::string_view name) {
    for (std::size_t i = 0; i < activity_class_count; ++i) {
        const auto a = static_cast<Activity>(i);
        if (to_string(a) == name) {
            return a;
        }
    }
    return std::nullopt;
}

bool ActivityClassifierConfig::validate() const {
    return smoothing_lag_windows <= max_smoothing_lag && max_gap_ms >= activity_period_ms &&
           max_gap_ms <= max_gap_limit_ms;
}

std::array<float, activity_class_count> classify_window(const ActivityFeatures& features,
                                                        ModelVariant variant) {
    if (variant == ModelVariant::WithGyro) {
        return forest_vote(
            {activity_model::gyro_nodes, activity_model::gyro_roots, activity_model::gyro_leaves},
            features);
    }
    return forest_vote(
        {activity_model::accel_nodes, activity_model::accel_roots, activity_model::accel_leaves},
        features);
}

ActivityWindower::ActivityWindower(TimeMs max_gap_ms)
    : m_resampler(activity_period_ms, max_gap_ms) {}

void ActivityWindower::push(std::span<const ImuSample> samples) {
    for (const ImuSample& s : samples) {
        if (!std::isfinite(s.ax) || !std::isfinite(s.ay) || !std::isfinite(s.az)) {
            continue;
        }
        std::array<float, channels> values = {s.ax, s.ay, s.az, 0.0F, 0.0F, 0.0F, 0.0F};
        if (s.has_gyro && std::isfinite(s.gx) && std::isfinite(s.gy) && std::isfinite(s.gz)) {
            values[3] = s.gx;
            values[4] = s.gy;
            values[5] = s.gz;
            values[6] = 1.0F;
        }
        m_resampler.push(s.t_ms, values,
                         [this](const UniformSample<channels>& u) { on_uniform(u); });
    }
}

std::optional<ActivityWindow> ActivityWindower::pull() {
    return m_queue.pop();
}

void ActivityWindower::reset() {
    m_resampler.reset();
    m_ring_pos = 0;
    m_filled = 0;
    m_since_window = 0;
    m_next_continuity = Continuity::AfterGap;
    m_queue.clear();
}

void ActivityWindower::on_uniform(const UniformSample<channels>& s) {
    if (s.continuity == Continuity::AfterGap) {
        m_filled = 0;
        m_since_window = 0;
        m_next_continuity = Continuity::AfterGap;
    }
    StoredSample& stored = m_ring[m_ring_pos];
    // The resampler averaged the gyro over all samples; rescale to those that had it.
    const float share = std::clamp(s.values[6], 0.0F, 1.0F);
    const float inv_share = share > 0.0F ? 1.0F / share : 0.0F;
    for (std::size_t k = 0; k < 3; ++k) {
        stored.accel[k] = to_int16(s.values[k] * accel_lsb_per_mps2);
        stored.gyro[k] = to_int16(s.values[3 + k] * inv_share * gyro_lsb_per_radps);
    }
    stored.gyro_share = static_cast<std::uint8_t>(std::lround(share * 255.0F));
    m_ring_pos = (m_ring_pos + 1) % activity_window_samples;
    m_filled = std::min(m_filled + 1, activity_window_samples);
    ++m_since_window;
    if (m_filled < activity_window_samples || m_since_window < hop_samples) {
        return;
    }
    m_since_window = 0;

    std::array<float, activity_window_samples> ax{};
    std::array<float, activity_window_samples> ay{};
    std::array<float, activity_window_samples> az{};
    std::array<float, activity_window_samples> gx{};
    std::array<float, activity_window_samples> gy{};
    std::array<float, activity_window_samples> gz{};
    float gyro_share = 0.0F;
    for (std::size_t i = 0; i < activity_window_samples; ++i) {
        // Oldest first: the ring position is the oldest sample once the ring is full.
        const StoredSample& v = m_ring[(m_ring_pos + i) % activity_window_samples];
        constexpr float accel_unit = 1.0F / accel_lsb_per_mps2;
        constexpr float gyro_unit = 1.0F / gyro_lsb_per_radps;
        ax[i] = static_cast<float>(v.accel[0]) * accel_unit;
        ay[i] = static_cast<float>(v.accel[1]) * accel_unit;
        az[i] = static_cast<float>(v.accel[2]) * accel_unit;
        gx[i] = static_cast<float>(v.gyro[0]) * gyro_unit;
        gy[i] = static_cast<float>(v.gyro[1]) * gyro_unit;
        gz[i] = static_cast<float>(v.gyro[2]) * gyro_unit;
        gyro_share += static_cast<float>(v.gyro_share) * (1.0F / 255.0F);
    }
    ActivityWindow window;
    window.end_ms = s.t_ms + activity_period_ms;
    window.start_ms =
        window.end_ms - static_cast<TimeMs>(activity_window_samples) * activity_period_ms;
    window.has_gyro = gyro_share >= 0.9F * static_cast<float>(activity_window_samples);
    if (window.has_gyro) {
        window.features = compute_activity_features(ax, ay, az, gx, gy, gz);
    } else {
        window.features = compute_activity_features(ax, ay, az, {}, {}, {});
    }
    window.continuity = m_next_continuity;
    m_next_continuity = Continuity::Continuous;
    m_queue.push(window);
}

ActivityClassifier::ActivityClassifier(const ActivityClassifierConfig& config)
    : m_config(config.validate() ? config : ActivityClassifierConfig{}),
      m_windower(m_config.max_gap_ms) {}

void ActivityClassifier::push(std::span<const ImuSample> samples) {
    // One input sample yields at most max_gap / period resampled periods, no more than a hop
    // (validate()), so feeding samples one by one keeps the windower's small queue from
    // overflowing whatever the block length.
    for (const ImuSample& s : samples) {
        m_windower.push({&s, 1});
        while (auto window = m_windower.pull()) {
            on_window(*window);
        }
    }
}

std::optional<ActivityDecision> ActivityClassifier::pull() {
    return m_queue.pop();
}

void ActivityClassifier::finish() {
    while (m_undecided > 0) {
        decide_oldest();
    }
    m_started = false;
}

void ActivityClassifier::reset() {
    m_windower.reset();
    m_undecided = 0;
    m_started = false;
    m_queue.clear();
}

void ActivityClassifier::on_window(const ActivityWindow& window) {
    if (window.continuity == Continuity::AfterGap) {
        // The windows before the gap get no more look-ahead.
        finish();
    }
    const ModelVariant variant = window.has_gyro && m_config.gyro == GyroUse::WhenPresent
                                     ? ModelVariant::WithGyro
                                     : ModelVariant::AccelOnly;
    Probabilities emission = classify_window(window.features, variant);
    for (float& v : emission) {
        v += hmm_floor;
    }
    m_newest = (m_newest + 1) % ring_size;
    m_emission[m_newest] = emission;
    m_newest_end_ms = window.end_ms;
    ++m_undecided;
    if (m_undecided == 1) {
        advance_forward(m_newest);
    }
    if (m_undecided > m_config.smoothing_lag_windows) {
        decide_oldest();
    }
}

void ActivityClassifier::advance_forward(std::size_t index) {
    Probabilities forward{};
    if (m_started) {
        forward = transition(m_forward);
    } else {
        forward.fill(1.0F / static_cast<float>(activity_class_count));
        m_started = true;
    }
    for (std::size_t k = 0; k < activity_class_count; ++k) {
        forward[k] *= m_emission[index][k];
    }
    normalise(forward);
    m_forward = forward;
}

void ActivityClassifier::decide_oldest() {
    // Backward pass over the windows after the one decided (Rabiner 1989, eq. 24-25).
    const std::size_t ahead = m_undecided - 1;
    Probabilities backward{};
    backward.fill(1.0F);
    for (std::size_t j = 0; j < ahead; ++j) {
        const std::size_t idx = (m_newest + ring_size - j) % ring_size;
        Probabilities weighted{};
        for (std::size_t k = 0; k < activity_class_count; ++k) {
            weighted[k] = m_emission[idx][k] * backward[k];
        }
        backward = transition(weighted);
        normalise(backward);
    }
    Probabilities posterior{};
    for (std::size_t k = 0; k < activity_class_count; ++k) {
        posterior[k] = m_forward[k] * backward[k];
    }
    normalise(posterior);
    const auto best = static_cast<std::size_t>(
        std::max_element(posterior.begin(), posterior.end()) - posterior.begin());

    // The window decided ended `ahead` hops before the newest; the decision describes its
    // middle hop.
    constexpr TimeMs hop_ms =
        static_cast<TimeMs>(ActivityWindower::hop_samples) * activity_period_ms;
    constexpr TimeMs window_ms = static_cast<TimeMs>(activity_window_samples) * activity_period_ms;
    const TimeMs end_ms = m_newest_end_ms - static_cast<TimeMs>(ahead) * hop_ms;
    const TimeMs middle_ms = end_ms - window_ms / 2;
    ActivityDecision decision;
    decision.start_ms = middle_ms - hop_ms / 2;
    decision.end_ms = middle_ms + hop_ms / 2;
    decision.activity = static_cast<Activity>(best);
    decision.confidence = posterior[best];
    m_queue.push(decision);
    --m_undecided;
    if (m_undecided > 0) {
        advance_forward((m_newest + ring_size - (m_undecided - 1)) % ring_size);
    }
}

} // namespace hearth::engine::health
