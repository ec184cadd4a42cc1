#pragma once

// Sleep staging over a recording, and its evaluation against the Walch et al. 2019 layout
// (`start_s,end_s,stage` per 30 s epoch, stage wake, n1, n2, n3 or rem). Scores only the epochs
// present in the reference: sleep/wake accuracy and wake specificity (the share of true wake
// epochs called wake), wake/NREM/REM accuracy and Cohen's kappa (n1, n2, n3 -> NREM), per night
// and pooled over all nights.

#include <filesystem>
#include <iosfwd>
#include <vector>

#include "common/error.h"
#include "health/sleep_stager.h"
#include "report.h"
#include "sensor_csv/sensor_table.h"

namespace hearth::eval {

// Stages every 30 s epoch of the recording from its `hr` column and either an `activity`
// column (a movement index per epoch) or raw `ax, ay, az`. Error MissingField when the table
// has no hr column or neither kind of movement.
formats::Result<std::vector<engine::health::SleepEpoch>>
stage_sleep(const formats::SensorTable& table);

Report evaluate_sleep(const std::filesystem::path& dir, std::ostream* progress = nullptr);

} // namespace hearth::eval
