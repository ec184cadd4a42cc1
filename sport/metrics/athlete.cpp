#include "metrics/athlete.h"

namespace hearth::sport::metrics {

double max_heart_rate_or_default(const AthleteProfile& profile) {
    if (profile.max_heart_rate_bpm) {
        return *profile.max_heart_rate_bpm;
    }
    // Tanaka, Monahan & Seals 2001, J Am Coll Cardiol 37:153.
    return 208.0 - 0.7 * profile.age_years.value_or(default_age_years);
}

double resting_heart_rate_or_default(const AthleteProfile& profile) {
    return profile.resting_heart_rate_bpm.value_or(default_resting_heart_rate_bpm);
}

} // namespace hearth::sport::metrics
