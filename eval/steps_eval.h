#pragma once

// Step counting over a recording and its evaluation against the Oxford Step Counter layout
// (`t_s,steps` cumulative true steps; the last row is the total): absolute percentage error of
// the total per recording and its mean overall (MAPE).

#include <filesystem>
#include <iosfwd>
#include <vector>

#include "common/error.h"
#include "health/step_counter.h"
#include "report.h"
#include "sensor_csv/sensor_table.h"

namespace hearth::eval {

// Runs the step counter over the table's accelerometer. Error MissingField when the table lacks
// ax, ay or az.
formats::Result<std::vector<engine::health::StepEvent>>
detect_steps(const formats::SensorTable& table,
             const engine::health::StepCounterConfig& config = {});

// The total true steps of a reference file. Errors: Io, InvalidSyntax, MissingField (no steps
// column), Empty (no rows).
formats::Result<double> read_step_total(const std::filesystem::path& reference);

// Evaluates every recording in `dir`, writing one progress line per recording to `progress`
// when it is not null.
Report evaluate_steps(const std::filesystem::path& dir, std::ostream* progress = nullptr);

} // namespace hearth::eval
