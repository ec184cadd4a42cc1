#pragma once

// Time-weighted statistics over irregularly sampled workout channels (1 s and "smart
// recording"), honouring pauses.
//
// Conventions shared by every function in sport/metrics/:
// - Times are seconds (double) on one clock, in non-decreasing order (e.g. seconds since the
//   activity start). Values are parallel to the times; NaN (any non-finite value) means "no
//   sample of this channel here" (channels recorded at different rates share one record list
//   that way).
// - A valid sample speaks for the time until the channel's next valid sample, but for at most
//   `max_hold_s` (a sample cannot vouch for a long recording gap), and only for the part of that
//   span that lies inside an active interval (timer running). The last sample has no weight.
// - `active` lists the intervals during which the timer ran, sorted and non-overlapping. An
//   empty span means "no pause information": all time counts as active.
// All functions run in linear time; the ones returning vectors allocate them.

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace hearth::sport::metrics {

struct Interval {
    double start_s = 0.0;
    double end_s = 0.0;
    [[nodiscard]] double duration_s() const { return end_s > start_s ? end_s - start_s : 0.0; }
};

// Longest span one sample may represent by default: longer than smart recording's usual gaps
// (up to ~8-10 s on Garmin devices), short enough that a lost sensor does not smear its last
// value over minutes.
inline constexpr double default_max_hold_s = 30.0;

struct HoldOptions {
    double max_hold_s = default_max_hold_s;
};

// Seconds of [start_s, end_s) that lie inside `active` (empty `active`: all of it). `cursor` is
// an index into `active` that the caller keeps between calls with non-decreasing `start_s`, so
// that a pass over all samples stays linear.
double active_overlap_s(std::span<const Interval> active, double start_s, double end_s,
                        std::size_t& cursor);

// Sum of the active intervals' lengths.
double total_active_s(std::span<const Interval> active);

// The weight (seconds) each sample carries under the hold convention above; 0 for invalid
// samples and for the last valid one.
std::vector<double> hold_weights(std::span<const double> t_s, std::span<const double> values,
                                 std::span<const Interval> active, HoldOptions options = {});

struct ChannelStats {
    double mean = 0.0;       // time-weighted
    double max = 0.0;        // largest valid sample taken while active
    double min = 0.0;        // smallest valid sample taken while active
    double weight_s = 0.0;   // seconds the mean is over
    double integral = 0.0;   // sum of value * seconds (e.g. joules for watts)
    std::size_t samples = 0; // valid samples taken while active
};

// How zero values are treated (cadence 0 while coasting, power 0 while freewheeling).
enum class Zeros : unsigned char { Include, Exclude };

// Time-weighted mean, max and min of one channel; nullopt when it has no weighted sample.
std::optional<ChannelStats> channel_stats(std::span<const double> t_s,
                                          std::span<const double> values,
                                          std::span<const Interval> active, Zeros zeros,
                                          HoldOptions options = {});

// Longest active time resample_1hz puts on a grid (~11.6 days, 8 MB; multi-day ultras are
// shorter): a corrupt file whose timestamps are years apart must not exhaust memory.
inline constexpr double max_resample_s = 1.0e6;

// The channel on a 1 s grid over the active time only (paused time is left out, so the grid
// is the "timer clock"). Grid second k holds the latest valid sample at or before it if that
// sample is at most `max_hold_s` old, else `fill_value` (0 W for a dropped power meter).
// Empty when the active time is not finite or exceeds max_resample_s.
std::vector<double> resample_1hz(std::span<const double> t_s, std::span<const double> values,
                                 std::span<const Interval> active, double fill_value,
                                 HoldOptions options = {});

// Running mean over `window` consecutive values, first output once the window is full; an
// empty result when there are fewer values than `window`. O(n).
std::vector<double> rolling_mean(std::span<const double> values, std::size_t window);

// The largest mean of any `window` consecutive values; nullopt when too few. O(n).
std::optional<double> best_window_mean(std::span<const double> values, std::size_t window);

// Median over a centred window of `window` valid samples (odd, small, e.g. 5); invalid (NaN)
// samples stay NaN. O(n * window log window): linear for a fixed window.
std::vector<double> rolling_median(std::span<const double> values, std::size_t window);

// For each sample, the seconds of active time since `t_s.front()` ("timer clock"). Used for
// splits and best efforts, which Garmin and Strava measure on timer time.
std::vector<double> active_clock(std::span<const double> t_s, std::span<const Interval> active);

} // namespace hearth::sport::metrics
