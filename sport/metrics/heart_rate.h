#pragma once

// Heart-rate metrics: time in zones, Banister TRIMP, and energy from heart rate (Keytel et al.
// 2005). Conventions for times, NaN and active intervals are those of metrics/series.h.

#include <array>
#include <optional>
#include <span>

#include "metrics/athlete.h"
#include "metrics/series.h"

namespace hearth::sport::metrics {

enum class ZoneMethod : unsigned char {
    PercentMax,     // % of maximum HR
    PercentReserve, // % of HR reserve above resting (Karvonen et al. 1957)
    PercentLthr,    // % of lactate-threshold HR (Friel, "The Triathlete's Training Bible")
};

inline constexpr std::size_t zone_count = 5;

struct ZoneConfig {
    ZoneMethod method = ZoneMethod::PercentMax;
    // Lower bound of zones 1..5 in percent of the method's reference, increasing. Empty means
    // the method's default (see default_zone_bounds_pct).
    std::optional<std::array<double, zone_count>> lower_bounds_pct;
};

// Defaults: % max and % reserve use the common 50/60/70/80/90 % five-zone split; Friel's
// running zones (% LTHR) are Z1 < 85, Z2 85-89, Z3 90-94, Z4 95-99, Z5 >= 100 (his Z5a-c
// merged).
std::array<double, zone_count> default_zone_bounds_pct(ZoneMethod method);

// Zone lower bounds in bpm for an athlete; nullopt when the method needs an LTHR the profile
// lacks.
std::optional<std::array<double, zone_count>> zone_bounds_bpm(const ZoneConfig& config,
                                                              const AthleteProfile& profile);

struct ZoneTimes {
    std::array<double, zone_count> lower_bpm{};
    std::array<double, zone_count> time_s{}; // zone k: [lower_bpm[k], lower_bpm[k+1])
    double below_s = 0.0;                    // under zone 1
};

// Time-weighted seconds in each zone (hold convention of series.h).
ZoneTimes time_in_zones(std::span<const double> t_s, std::span<const double> hr_bpm,
                        std::span<const Interval> active,
                        const std::array<double, zone_count>& lower_bpm, HoldOptions options = {});

// Banister TRIMP (Banister 1991; Morton, Fitz-Clarke & Banister 1990): sum over time of
// minutes * HRr * a * exp(b * HRr), HRr = (HR - rest) / (max - rest) clamped to [0, 1];
// a = 0.64, b = 1.92 for men; a = 0.86, b = 1.67 for women.
double banister_trimp(std::span<const double> t_s, std::span<const double> hr_bpm,
                      std::span<const Interval> active, const AthleteProfile& profile,
                      HoldOptions options = {});

// Energy expenditure from heart rate, kcal per minute, Keytel et al. 2005 (J Sports Sci 23:289)
// equation without VO2max; clamped at 0.
double keytel_kcal_per_min(double hr_bpm, const AthleteProfile& profile);

// Keytel energy integrated over the active time, kcal.
double energy_from_heart_rate_kcal(std::span<const double> t_s, std::span<const double> hr_bpm,
                                   std::span<const Interval> active, const AthleteProfile& profile,
                                   HoldOptions options = {});

} // namespace hearth::sport::metrics
