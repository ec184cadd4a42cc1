#pragma once

// Exporters: the workout model to FIT, GPX and TCX.
//
// - FIT: file_id, one event/record/lap/length stream per activity with its session, then the
//   activity message (local_timestamp from the time-zone offset). Activities without a device
//   summary get a session (and one lap) holding the totals computed from their records
//   (sport/summary), so that a converted GPX track reads back with the same values.
// - GPX: one <trk> per activity, one segment, the records that have a position (sensor values
//   in Garmin TrackPointExtension v2). GPX cannot hold laps, lengths or totals.
// - TCX: one <Activity> per activity, its laps with their totals and trackpoints (a single lap
//   holding the summary when the activity has none).
//
// FIT keeps whole seconds for times and the profile's resolution for values (1 cm distance,
// 1 mm/s speed, 0.2 m altitude); the other formats keep what they can write.
// Errors: Unsupported when a format cannot hold anything of the workout (GPX without any
// position), InvalidValue from the FIT writer.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/error.h"
#include "gpx/gpx.h"
#include "model/activity.h"
#include "tcx/tcx.h"

namespace hearth::sport {

formats::Result<std::vector<std::uint8_t>> export_fit(const Workout& workout);

formats::Result<formats::GpxDocument> to_gpx(const Workout& workout);
formats::Result<std::string> export_gpx(const Workout& workout);

formats::TcxDocument to_tcx(const Workout& workout);
formats::Result<std::string> export_tcx(const Workout& workout);

// Writes the workout in `format` to `path`. Errors: Io, and the exporter's.
formats::Result<void> export_file(const Workout& workout, FileFormat format,
                                  const std::filesystem::path& path);

} // namespace hearth::sport
