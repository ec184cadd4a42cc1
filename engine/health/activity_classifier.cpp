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

// Soft vote of a forest whose leaves hold class shares quantised to 0..255. Thresholds are
// int16 bins of feature * feature_scale (a power of two, so the product is exact).
std::array<float, activity_class_count> forest_vote(const ForestView& forest,
                                                    const ActivityFeatures& features) {
    constexpr std::uint8_t left_is_leaf = 1U;
    constexpr std::uint8_t right_is_leaf = 2U;
    std::array<float, activity_class_count> votes{};
    for (const std::uint16_t root : forest.roots) {
        std::size_t i = root;
        // Bounded walk: a tree is never deeper than its node count.
        for (std::size_t guard = 0; guard < forest.nodes.size() && i < forest.nodes.size();
             ++guard) {
            const activity_model::Node& node = forest.nodes[i];
            const std::size_t f = node.feature;
            const bool go_left = features.values[f] * activity_model::feature_scale[f] <=
                                 static_cast<float>(node.threshold);
            const std::uint8_t leaf_flag = go_left ? left_is_leaf : right_is_leaf;
            const std::size_t next = go_left ? node.left : node.right;
            if ((node.flags & leaf_flag) != 0U) {
                if (next < forest.leaves.size()) {
                    const auto& leaf = forest.leaves[next];
                    for (std::size_t c = 0; c < activity_class_count; ++c) {
                        votes[c] += static_cast<float>(leaf[c]);
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
        float gyro = 0.0F;
        float gyro_share = 0.0F;
        if (s.has_gyro && std::isfinite(s.gx) && std::isfinite(s.gy) && std::isfinite(s.gz)) {
            gyro = std::sqrt(s.gx * s.gx + s.gy * s.gy + s.gz * s.gz);
            gyro_share = 1.0F;
        }
        m_resampler.push(s.t_ms, {s.ax, s.ay, s.az, gyro, gyro_share},
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
    m_ring[m_ring_pos] = s.values;
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
    std::array<float, activity_window_samples> gyro{};
    float gyro_share = 0.0F;
    for (std::size_t i = 0; i < activity_window_samples; ++i) {
        // Oldest first: the ring position is the oldest sample once the ring is full.
        const auto& v = m_ring[(m_ring_pos + i) % activity_window_samples];
        ax[i] = v[0];
        ay[i] = v[1];
        az[i] = v[2];
        gyro[i] = v[4] > 0.0F ? v[3] / v[4] : 0.0F;
        gyro_share += v[4];
    }
    ActivityWindow window;
    window.end_ms = s.t_ms + activity_period_ms;
    window.start_ms =
        window.end_ms - static_cast<TimeMs>(activity_window_samples) * activity_period_ms;
    window.has_gyro = gyro_share >= 0.9F * static_cast<float>(activity_window_samples);
    window.features = compute_activity_features(
        ax, ay, az, window.has_gyro ? std::span<const float>(gyro) : std::span<const float>());
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
