#pragma once

// Pool and open-water swimming metrics from the lengths a watch records (FIT `length`
// messages): active lengths, strokes, stroke type per length, SWOLF, pace per 100 m.

#include <optional>
#include <span>
#include <vector>

#include "metrics/series.h"
#include "model/activity.h"

namespace hearth::sport::metrics {

struct LengthMetrics {
    std::size_t index = 0; // among all lengths, 0-based
    double duration_s = 0.0;
    std::optional<double> strokes;
    SwimStroke stroke = SwimStroke::Unknown;
    std::optional<double> swolf; // seconds + strokes for the length
};

struct SwimMetrics {
    double pool_length_m = 0.0;
    std::size_t active_lengths = 0;
    double distance_m = 0.0;  // active lengths * pool length
    double swim_time_s = 0.0; // time in active lengths (rest at the wall excluded)
    double rest_time_s = 0.0; // idle lengths
    std::optional<double> total_strokes;
    std::optional<double> avg_swolf;       // mean over active lengths that have strokes
    std::optional<double> pace_s_per_100m; // swim time per 100 m
    std::optional<double> avg_strokes_per_length;
    std::vector<LengthMetrics> lengths; // active lengths only
};

// SWOLF ("swim golf") of one length: its time in whole seconds plus its strokes, as Garmin and
// most watches define it.
double swolf(double duration_s, double strokes);

// Metrics over pool lengths; a length's time is its timer time, else its elapsed time.
SwimMetrics pool_swim_metrics(std::span<const Length> lengths, double pool_length_m);

// Open-water distance from a GPS trace. A wrist above water gets fixes only between strokes
// and they scatter, so fixes implying more than `max_speed_mps` (well above elite swimming
// speed, ~2.4 m/s) from the last accepted fix are dropped before summing haversine steps.
double open_water_distance_m(std::span<const double> t_s, std::span<const double> lat_deg,
                             std::span<const double> lon_deg, std::span<const Interval> active,
                             double max_speed_mps = 3.0);

} // namespace hearth::sport::metrics
