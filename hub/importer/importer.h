#pragma once

// Imports files into the hub's store (issue 4, "Import"):
//
// - Activities (FIT, GPX, TCX, detected by content): one StoredActivity per activity in the
//   file, its summary the analyzer's JSON (sport/export/activity_json.h). Deduplicated by a
//   SHA-256 of the file's bytes; a multisport file's later activities get "<hash>#<index>", so
//   each is unique and a second import of the same bytes adds nothing.
// - Sensor CSV recordings (t_s + named columns, formats/sensor_csv): the engine's health
//   results per UTC day, each written with Store::put_health_day:
//     steps      {total, cadence_spm}              from ax, ay, az
//     heart_rate {mean, min, max, resting, samples} from an hr column, else ppg + accel
//     activity   {minutes: {still: .., walking: ..}} from ax, ay, az (gx, gy, gz optional)
//     sleep      the night's summary (as `hearth sleep --summary`), from hr + activity or
//                accel, for recordings of at least 3 h; filed under the day the night ends
//   A day's document keeps each recording's part under "recordings" keyed by the recording's
//   content hash and the totals are recomputed from the parts: importing the same recording
//   again changes nothing, and two recordings of one day add up. A night (sleep) is one
//   recording: a different recording of the same night replaces it.
//   A CSV holds only relative time, so the caller anchors it (RecordingTime).
//
// Never throws on input; bad input and store failures come back as ImportError.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <tl/expected.hpp>

#include "core/clock.h"
#include "import/import.h"
#include "store/store.h"

namespace hearth::hub {

// Where a CSV recording sits in wall-clock time. Start: `ms` is the time of t_s = 0.
// End: `ms` is the time of the last row (a file's modification time, or the upload time).
struct RecordingTime {
    enum class Anchor : std::uint8_t { Start, End };
    Anchor anchor = Anchor::End;
    TimestampMs ms = 0;
};

struct ImporterOptions {
    sport::ImportOptions activity; // strict by default: a corrupt file is an error
    RecordingTime recording;
};

enum class ImportedKind : std::uint8_t { Activity, HealthDay };

struct ImportedItem {
    ImportedKind kind = ImportedKind::Activity;
    bool added = false;           // false: the store already held it
    std::int64_t activity_id = 0; // Activity
    std::string sport;            // Activity
    TimestampMs start_ms = 0;     // Activity
    std::string day;              // HealthDay: "YYYY-MM-DD" (UTC)
    std::string health_kind;      // HealthDay: steps, heart_rate, activity, sleep
};

struct FileImport {
    std::string format; // fit, gpx, tcx, csv
    std::string content_hash;
    std::vector<ImportedItem> items;
    std::vector<std::string> warnings;

    [[nodiscard]] std::size_t added() const;
};

struct ImportError {
    enum class Code : std::uint8_t {
        BadInput, // unreadable, unknown format, nothing to import
        Store,    // the store failed; the file may be partly imported, retrying is safe
    };
    Code code = Code::BadInput;
    std::string message;
};

// A file analysed and ready to store: the slow part (decoding, metrics, the engine), done
// without the store so that the hub's store lock is held only for the writes.
struct PreparedImport {
    struct HealthPart {
        std::string day;
        std::string kind;
        nlohmann::json part; // this recording's part of the day's document
    };
    std::string file_name;
    std::string format;
    std::string content_hash;
    std::vector<std::string> warnings;
    std::vector<StoredActivity> activities;
    std::vector<HealthPart> health_parts;                        // steps, heart_rate, activity
    std::optional<std::pair<std::string, nlohmann::json>> night; // day, sleep document
};

// Errors: BadInput only.
tl::expected<PreparedImport, ImportError> prepare_import(std::span<const std::uint8_t> bytes,
                                                         const std::string& file_name,
                                                         const ImporterOptions& options);
// Writes a prepared file (deduplicating). Errors: Store only.
tl::expected<FileImport, ImportError> store_import(Store& store, const PreparedImport& prepared);

// Imports one file's bytes: prepare_import then store_import. `file_name` is kept with activities
// and its extension helps only when the content is not recognised.
tl::expected<FileImport, ImportError> import_bytes(Store& store,
                                                   std::span<const std::uint8_t> bytes,
                                                   const std::string& file_name,
                                                   const ImporterOptions& options);

// "YYYY-MM-DD" of a UTC timestamp.
std::string utc_day(TimestampMs t_ms);

} // namespace hearth::hub
