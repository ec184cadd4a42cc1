#pragma once

// Pool swimming over a recording, and its evaluation against the Brunner et al. 2019 layout
// (`start_s,end_s,style` one row per pool length): the share of files with exactly the right
// number of lengths, and the style accuracy per reference length of known style (matched to the
// detected length it overlaps most; a length with no overlap counts as wrong).

#include <filesystem>
#include <iosfwd>
#include <vector>

#include "common/error.h"
#include "health/swim_tracker.h"
#include "report.h"
#include "sensor_csv/sensor_table.h"

namespace hearth::eval {

// Runs the swim tracker over the table's IMU rows (ax..az, gx..gz required; mx..mz used when
// present). Error MissingField when accelerometer or gyroscope columns are absent.
formats::Result<std::vector<engine::health::SwimLength>>
track_swim(const formats::SensorTable& table, const engine::health::SwimTrackerConfig& config = {});

Report evaluate_swim(const std::filesystem::path& dir, std::ostream* progress = nullptr,
                     const engine::health::SwimTrackerConfig& config = {});

} // namespace hearth::eval
