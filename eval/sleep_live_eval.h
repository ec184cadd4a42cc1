#pragma once

// The live sleep/wake detector (engine/health/sleep_detector.h) over recordings in the Walch et
// al. 2019 layout (`t_s,hr,activity` inputs, `start_s,end_s,stage` per 30 s epoch), run
// causally epoch by epoch as the hub runs it. Per night: the error of the detected sleep onset
// against the first non-wake epoch of the reference, the error of the detected final awakening
// against the epoch after the last non-wake one (only for nights whose reference has at least
// 10 min of wake after the last sleep, the others end while asleep), sleep/wake accuracy and
// wake specificity of the per-epoch score, of the state as known live at each epoch, and of the
// night as reported (asleep from the reported onset to the reported awakening), and the number
// of state changes.

#include <filesystem>
#include <iosfwd>
#include <vector>

#include "common/error.h"
#include "health/sleep_detector.h"
#include "report.h"
#include "sensor_csv/sensor_table.h"

namespace hearth::eval {

// The movement scale for the per-epoch movement index of the Walch data (Apple Watch), chosen
// as a device constant (docs/swim-sleep.md, "Live sleep in the hub").
inline constexpr float walch_movement_scale = 8.0F;

// Every detection of the recording, from its `hr` and `activity` columns. Error MissingField
// when the table has no activity column.
formats::Result<std::vector<engine::health::SleepDetection>>
detect_sleep(const formats::SensorTable& table, const engine::health::SleepDetectorConfig& config);

Report evaluate_sleep_live(const std::filesystem::path& dir, std::ostream* progress = nullptr);

} // namespace hearth::eval
