#pragma once

// Cycling (and running) power metrics after Coggan & Allen, "Training and Racing with a Power
// Meter": normalized power, intensity factor, training stress score, variability index, mean
// maximal power (best efforts). Conventions for times, NaN and active intervals are those of
// metrics/series.h. Allocation: a 1 Hz copy of the power channel (8 bytes per second).

#include <optional>
#include <span>
#include <vector>

#include "metrics/series.h"

namespace hearth::sport::metrics {

struct PowerBest {
    double duration_s = 0.0;
    double mean_w = 0.0;
};

struct PowerOptions {
    // Best-effort durations, seconds.
    std::vector<double> best_durations_s{5.0, 60.0, 300.0, 1200.0};
    // A dropped power meter reads as 0 W after this long (also the hold cap of series.h).
    double max_hold_s = 5.0;
};

struct PowerMetrics {
    double avg_w = 0.0; // time-weighted over active time, zeros included (coasting is work 0)
    double max_w = 0.0;
    double work_kj = 0.0;
    std::optional<double> normalized_w;          // needs >= 30 s of active data
    std::optional<double> variability_index;     // NP / average
    std::optional<double> intensity_factor;      // NP / FTP, needs an FTP
    std::optional<double> training_stress_score; // needs an FTP
    std::vector<PowerBest> bests;                // only durations the activity is long enough for
};

// Normalized power of a 1 Hz series: the fourth root of the mean fourth power of its 30 s
// rolling mean (Coggan). nullopt when shorter than 30 s.
std::optional<double> normalized_power_w(std::span<const double> power_1hz_w);

// TSS = seconds * NP * IF / (FTP * 3600) * 100.
double training_stress_score(double duration_s, double normalized_w, double ftp_w);

PowerMetrics power_metrics(std::span<const double> t_s, std::span<const double> power_w,
                           std::span<const Interval> active, std::optional<double> ftp_w,
                           const PowerOptions& options = {});

} // namespace hearth::sport::metrics
