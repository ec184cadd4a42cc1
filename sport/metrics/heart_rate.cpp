#include "metrics/heart_rate.h"

#include <algorithm>
#include <cmath>

namespace hearth::sport::metrics {

std::array<double, zone_count> default_zone_bounds_pct(ZoneMethod method) {
    switch (method) {
    case ZoneMethod::PercentMax:
    case ZoneMethod::PercentReserve:
        return {50.0, 60.0, 70.0, 80.0, 90.0};
    case ZoneMethod::PercentLthr:
        return {0.0, 85.0, 90.0, 95.0, 100.0};
    }
    return {50.0, 60.0, 70.0, 80.0, 90.0};
}

std::optional<std::array<double, zone_count>> zone_bounds_bpm(const ZoneConfig& config,
                                                              const AthleteProfile& profile) {
    const std::array<double, zone_count> pct =
        config.lower_bounds_pct.value_or(default_zone_bounds_pct(config.method));
    std::array<double, zone_count> bpm{};
    const double max_bpm = max_heart_rate_or_default(profile);
    const double rest_bpm = resting_heart_rate_or_default(profile);
    for (std::size_t k = 0; k < zone_count; ++k) {
        switch (config.method) {
        case ZoneMethod::PercentMax:
            bpm[k] = max_bpm * pct[k] / 100.0;
            break;
        case ZoneMethod::PercentReserve:
            bpm[k] = rest_bpm + (max_bpm - rest_bpm) * pct[k] / 100.0;
            break;
        case ZoneMethod::PercentLthr:
            if (!profile.threshold_heart_rate_bpm) {
                return std::nullopt;
            }
            bpm[k] = *profile.threshold_heart_rate_bpm * pct[k] / 100.0;
            break;
        }
    }
    return bpm;
}

ZoneTimes time_in_zones(std::span<const double> t_s, std::span<const double> hr_bpm,
                        std::span<const Interval> active,
                        const std::array<double, zone_count>& lower_bpm, HoldOptions options) {
    ZoneTimes zones;
    zones.lower_bpm = lower_bpm;
    const std::vector<double> weights = hold_weights(t_s, hr_bpm, active, options);
    for (std::size_t i = 0; i < weights.size(); ++i) {
        if (weights[i] <= 0.0) {
            continue;
        }
        // Highest zone whose lower bound the sample reaches; zones are few, a scan is fine.
        std::optional<std::size_t> zone;
        for (std::size_t k = 0; k < zone_count; ++k) {
            if (hr_bpm[i] >= lower_bpm[k]) {
                zone = k;
            }
        }
        if (zone) {
            zones.time_s[*zone] += weights[i];
        } else {
            zones.below_s += weights[i];
        }
    }
    return zones;
}

double banister_trimp(std::span<const double> t_s, std::span<const double> hr_bpm,
                      std::span<const Interval> active, const AthleteProfile& profile,
                      HoldOptions options) {
    const double max_bpm = max_heart_rate_or_default(profile);
    const double rest_bpm = resting_heart_rate_or_default(profile);
    if (!(max_bpm > rest_bpm)) {
        return 0.0;
    }
    const bool female = profile.sex.value_or(default_sex) == Sex::Female;
    const double a = female ? 0.86 : 0.64;
    const double b = female ? 1.67 : 1.92;
    const std::vector<double> weights = hold_weights(t_s, hr_bpm, active, options);
    double trimp = 0.0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        if (weights[i] <= 0.0) {
            continue;
        }
        const double reserve = std::clamp((hr_bpm[i] - rest_bpm) / (max_bpm - rest_bpm), 0.0, 1.0);
        trimp += weights[i] / 60.0 * reserve * a * std::exp(b * reserve);
    }
    return trimp;
}

double keytel_kcal_per_min(double hr_bpm, const AthleteProfile& profile) {
    const double weight_kg = profile.weight_kg.value_or(default_weight_kg);
    const double age_years = profile.age_years.value_or(default_age_years);
    double kj_per_min = 0.0;
    if (profile.sex.value_or(default_sex) == Sex::Female) {
        kj_per_min = -20.4022 + 0.4472 * hr_bpm - 0.1263 * weight_kg + 0.074 * age_years;
    } else {
        kj_per_min = -55.0969 + 0.6309 * hr_bpm + 0.1988 * weight_kg + 0.2017 * age_years;
    }
    return std::max(0.0, kj_per_min / 4.184);
}

double energy_from_heart_rate_kcal(std::span<const double> t_s, std::span<const double> hr_bpm,
                                   std::span<const Interval> active, const AthleteProfile& profile,
                                   HoldOptions options) {
    const std::vector<double> weights = hold_weights(t_s, hr_bpm, active, options);
    double kcal = 0.0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        if (weights[i] > 0.0) {
            kcal += keytel_kcal_per_min(hr_bpm[i], profile) * weights[i] / 60.0;
        }
    }
    return kcal;
}

} // namespace hearth::sport::metrics
