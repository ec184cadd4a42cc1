#pragma once

// Distance, speed, moving time, pace and elevation gain from recorded tracks. Conventions for
// times, NaN and active intervals are those of metrics/series.h. Allocation: returned vectors.

#include <optional>
#include <span>
#include <vector>

#include "metrics/series.h"

namespace hearth::sport::metrics {

// Mean Earth radius (IUGG R1), metres; what the haversine formula assumes for a sphere.
inline constexpr double earth_radius_m = 6371008.8;

// Great-circle distance between two points (degrees), haversine formula (Sinnott 1984).
double haversine_m(double lat1_deg, double lon1_deg, double lat2_deg, double lon2_deg);

// Cumulative distance along positions (NaN where a fix is missing), counting each segment
// between consecutive fixes in proportion to the part of it that is active (no distance
// while paused, as a watch does). The result is NaN before the first fix, then non-decreasing.
std::vector<double> distance_from_positions(std::span<const double> t_s,
                                            std::span<const double> lat_deg,
                                            std::span<const double> lon_deg,
                                            std::span<const Interval> active);

// A device's cumulative distance made usable: gaps are filled with the last value, and small
// backward steps (rounding, resets after a sensor drop) are held flat so the result never
// decreases. NaN before the first valid value.
std::vector<double> monotonic_distance(std::span<const double> distance_m);

// Speed per sample from cumulative distance, over a window of at least `window_s` seconds
// around each sample (clipped at the ends). Averaging over a few seconds keeps GPS position
// jitter while standing from looking like movement.
std::vector<double> speed_from_distance(std::span<const double> t_s,
                                        std::span<const double> distance_m, double window_s);

struct MovingOptions {
    double threshold_mps = 0.5; // below this speed the athlete is standing
    double window_s = 5.0;      // speed window when the speed comes from distance
};

// Seconds during which the athlete moved: each active interval between consecutive samples
// counts when the speed at its start and end is above the threshold (a single slow sample
// between two fast ones is GPS jitter, not a stop).
double moving_time_s(std::span<const double> t_s, std::span<const double> speed_mps,
                     std::span<const Interval> active, MovingOptions options = {});

// Maximum speed robust to GPS spikes: the largest value of a 5-sample rolling median of the
// speed, so that up to two outlying samples in a row cannot set it.
std::optional<double> robust_max_speed_mps(std::span<const double> speed_mps);

// Pace (seconds per km) for a speed; nullopt for speeds at or below 0.
std::optional<double> pace_s_per_km(double speed_mps);

enum class AltitudeSource : unsigned char { Barometric, Gps, Auto };

struct ElevationOptions {
    AltitudeSource source = AltitudeSource::Auto;
    // Hysteresis: a change counts only once the altitude has moved this far from the last
    // turning point, after a centred moving average over the smoothing window. Barometric
    // altimeters are smooth to ~0.2-0.5 m but still drift with wind and temperature; GPS
    // altitude wanders by several metres. The barometric values were chosen on the shared
    // FIT files against the devices' own totals (docs/metrics.md), the GPS ones are
    // conservative defaults: no GPS file there carries a device total to check them against.
    double barometric_smoothing_s = 10.0;
    double barometric_threshold_m = 2.0;
    double gps_smoothing_s = 20.0;
    double gps_threshold_m = 5.0;
};

struct Elevation {
    double ascent_m = 0.0;
    double descent_m = 0.0;
    double min_m = 0.0;
    double max_m = 0.0;
    AltitudeSource source_used = AltitudeSource::Barometric;
};

// Guess whether an altitude trace comes from GPS: the median absolute second difference of the
// trace; GPS altitude is rough from sample to sample (> 0.45 m), a barometer is not.
AltitudeSource classify_altitude(std::span<const double> altitude_m);

// Centred moving average over `window_s` seconds (NaN stays NaN). O(n).
std::vector<double> smooth_over_time(std::span<const double> t_s, std::span<const double> values,
                                     double window_s);

// Total ascent and descent: centred moving average, then a hysteresis (threshold) filter.
std::optional<Elevation> elevation_gain(std::span<const double> t_s,
                                        std::span<const double> altitude_m,
                                        ElevationOptions options = {});

// Hysteresis only: sums rises and falls that exceed `threshold_m` from the last turning point.
Elevation hysteresis_gain(std::span<const double> altitude_m, double threshold_m);

} // namespace hearth::sport::metrics
