#pragma once

// One activity's summary as JSON: device totals first, computed values for what the file lacks,
// laps, km splits, best efforts, heart-rate zones and power. Shared by `hearth analyze --json`
// and the hub's importer, which stores it as the activity's summary, so both show the same
// document. Numbers are rounded to what the measurement supports (stable, short output).

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "metrics/activity_metrics.h"
#include "model/activity.h"

namespace hearth::sport {

// ISO 8601 UTC text of a timestamp, e.g. "2026-11-24T06:30:00Z".
std::string iso_time(UtcMs t_ms);

// `value` rounded to `decimals` decimal places.
double rounded(double value, int decimals);

// Keys in a fixed order; allocates.
nlohmann::ordered_json activity_json(const Activity& activity,
                                     const metrics::MetricsOptions& options = {});

} // namespace hearth::sport
