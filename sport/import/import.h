#pragma once

// Importers: FIT, GPX and TCX files to the workout model (model/activity.h).
//
// - FIT: file_id and device_info give the device; each session message becomes one Activity
//   (a multisport file gives several) with the session totals as its device summary; records,
//   laps, lengths and timer events are assigned to the session whose time span holds them;
//   the activity message gives the time-zone offset (local_timestamp - timestamp).
// - GPX: one Activity per track (GpxGrouping::PerTrack) or one for the whole file; the sport
//   comes from the track's <type> when present. GPX carries no device summary.
// - TCX: one Activity per <Activity>, its laps with their totals; the lap totals summed are
//   the device summary.
//
// Errors are the format readers' (formats::Error with offset or line); an importer adds only
// Empty (a file with nothing to analyse is still a valid Workout with no activities, so this
// is reserved for unreadable input) and never throws on input.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string_view>

#include "common/error.h"
#include "fit/fit_reader.h"
#include "gpx/gpx.h"
#include "model/activity.h"
#include "tcx/tcx.h"

namespace hearth::sport {

enum class Leniency : std::uint8_t {
    Strict,  // any decoding error (bad CRC, truncation) fails the import
    Lenient, // keep what decoded before the error and report it in Workout::warnings
};

enum class GpxGrouping : std::uint8_t {
    PerTrack, // one Activity per <trk> (tracks without points are skipped)
    Merged,   // one Activity from all tracks' points in time order
};

struct ImportOptions {
    Leniency leniency = Leniency::Strict;
    GpxGrouping gpx_grouping = GpxGrouping::PerTrack;
};

// By content: FIT header signature ".FIT" at byte 8, or the XML root element <gpx> /
// <TrainingCenterDatabase>. The extension (".fit", ".gpx", ".tcx", any case) decides only when
// the content is neither. nullopt when nothing matches.
std::optional<FileFormat> detect_format(std::span<const std::uint8_t> bytes,
                                        std::string_view extension_hint = {});
// From an extension alone (for output files); nullopt when unknown.
std::optional<FileFormat> format_from_extension(std::string_view extension);

formats::Result<Workout> import_fit(std::span<const std::uint8_t> bytes,
                                    const ImportOptions& options = {});
Workout workout_from_fit(const formats::fit::FitFile& file);

formats::Result<Workout> import_gpx(std::string_view xml, const ImportOptions& options = {});
Workout workout_from_gpx(const formats::GpxDocument& document,
                         GpxGrouping grouping = GpxGrouping::PerTrack);

formats::Result<Workout> import_tcx(std::string_view xml, const ImportOptions& options = {});
Workout workout_from_tcx(const formats::TcxDocument& document);

// Reads a file and imports it by detected format. Errors: Io, Unsupported (unknown format),
// and the format's own errors.
formats::Result<Workout> import_file(const std::filesystem::path& path,
                                     const ImportOptions& options = {});
formats::Result<Workout> import_bytes(std::span<const std::uint8_t> bytes,
                                      std::string_view extension_hint,
                                      const ImportOptions& options = {});

} // namespace hearth::sport
