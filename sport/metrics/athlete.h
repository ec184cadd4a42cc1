#pragma once

// What the metrics need to know about the athlete. Every field is optional; the functions that
// need one say what they assume when it is missing (documented in docs/metrics.md).

#include <optional>

namespace hearth::sport::metrics {

enum class Sex : unsigned char { Male, Female };

struct AthleteProfile {
    std::optional<double> max_heart_rate_bpm;
    std::optional<double> resting_heart_rate_bpm;
    std::optional<double> threshold_heart_rate_bpm; // lactate threshold HR (Friel LTHR)
    std::optional<double> ftp_w;                    // functional threshold power
    std::optional<double> weight_kg;
    std::optional<double> age_years;
    std::optional<Sex> sex;
};

// Defaults used when the profile is silent: a 35-year-old male of 70 kg (Keytel et al. 2005
// fitted both sexes; Banister's TRIMP was first fitted to men), resting HR 60 bpm, maximum HR
// by Tanaka et al. 2001 (208 - 0.7 * age), which is less biased than 220 - age.
inline constexpr double default_age_years = 35.0;
inline constexpr double default_weight_kg = 70.0;
inline constexpr double default_resting_heart_rate_bpm = 60.0;
inline constexpr Sex default_sex = Sex::Male;

double max_heart_rate_or_default(const AthleteProfile& profile);
double resting_heart_rate_or_default(const AthleteProfile& profile);

} // namespace hearth::sport::metrics
