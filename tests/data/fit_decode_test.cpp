// FIT decoding over the shared activity files: expected outcomes from python-fitparse's tests
// (EXPECTED_fitparse-tests.tsv), record-by-record CSV decodes, and the oracles of the
// fit-file-parser and tormoder/fit test suites (see each folder's SOURCE.txt).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/file.h"
#include "fit/fit_profile.h"
#include "fit/fit_reader.h"

namespace hearth::formats::fit {
namespace {

namespace fs = std::filesystem;

const fs::path activities = fs::path(HEARTH_DATA_DIR) / "activities";

#define REQUIRE_DATA()                                                                             \
    if (!fs::exists(activities)) {                                                                 \
        GTEST_SKIP() << "shared data not found at " << activities;                                 \
    }

Result<FitFile> decode_path(const fs::path& path, DecodeOptions options = {}) {
    auto bytes = read_file_bytes(path);
    if (!bytes) {
        return tl::unexpected<Error>(bytes.error());
    }
    return decode_fit(*bytes, options);
}

std::vector<std::string> split(const std::string& line, char sep) {
    std::vector<std::string> out;
    std::string cell;
    std::istringstream in(line);
    while (std::getline(in, cell, sep)) {
        out.push_back(cell);
    }
    if (!line.empty() && line.back() == sep) {
        out.emplace_back();
    }
    return out;
}

std::vector<std::vector<std::string>> read_table(const fs::path& path, char sep) {
    std::ifstream in(path);
    std::vector<std::vector<std::string>> rows;
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (!line.empty()) {
            rows.push_back(split(line, sep));
        }
    }
    return rows;
}

std::vector<const Message*> records_of(const FitFile& file) {
    return file.messages_of(mesg::record);
}

TEST(FitDecodeData, ExpectedOutcomesOfFitparseTests) {
    REQUIRE_DATA();
    const fs::path dir = activities / "fitparse-files";
    const auto rows = read_table(dir / "EXPECTED_fitparse-tests.tsv", '\t');
    ASSERT_GT(rows.size(), 10U);
    int checked = 0;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        const std::string& name = rows[i].at(0);
        const std::string& outcome = rows[i].at(1);
        if (!fs::exists(dir / name)) {
            continue; // FIT SDK example files were left out of the shared copy
        }
        SCOPED_TRACE(name);
        const auto result = decode_path(dir / name);
        if (outcome == "ok") {
            EXPECT_TRUE(result.has_value()) << result.error().describe();
        } else if (outcome.starts_with("error:")) {
            ASSERT_FALSE(result.has_value());
            const std::map<std::string, ErrorCode> codes{{"error:CRC", ErrorCode::BadCrc},
                                                         {"error:EOF", ErrorCode::Truncated},
                                                         {"error:header", ErrorCode::BadHeader}};
            EXPECT_EQ(result.error().code, codes.at(outcome)) << result.error().describe();
            EXPECT_TRUE(result.error().offset.has_value());
        }
        ++checked;
    }
    EXPECT_GE(checked, 25);
}

TEST(FitDecodeData, EveryFitFileDecodesOrFailsCleanly) {
    REQUIRE_DATA();
    const std::set<std::string> broken{"activity-filecrc.fit",
                                       "activity-unexpected-eof.fit",
                                       "activity-activity-filecrc.fit",
                                       "activity-settings-corruptheader.fit",
                                       "activity-settings-nodata.fit",
                                       "nick.fit",
                                       "strava-android-app-201.10-b1218918.fit"};
    int files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(activities)) {
        std::string ext = entry.path().extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (!entry.is_regular_file() || ext != ".fit") {
            continue;
        }
        SCOPED_TRACE(entry.path().string());
        ++files;
        const auto strict = decode_path(entry.path());
        if (broken.contains(entry.path().filename().string())) {
            EXPECT_FALSE(strict.has_value());
            if (!strict) {
                EXPECT_TRUE(strict.error().describe().starts_with("fit: at byte "))
                    << strict.error().describe();
            }
        } else {
            ASSERT_TRUE(strict.has_value()) << strict.error().describe();
            EXPECT_FALSE(strict->messages.empty());
            ASSERT_FALSE(strict->files.empty());
            EXPECT_EQ(strict->messages.front().global_number, mesg::file_id);
        }
        // Lenient mode never fails on a file that starts with a good header.
        DecodeOptions lenient;
        lenient.crc = CrcCheck::Skip;
        lenient.on_error = ErrorMode::Lenient;
        const auto relaxed = decode_path(entry.path(), lenient);
        if (relaxed) {
            EXPECT_EQ(relaxed->error.has_value(),
                      !strict.has_value() && strict.error().code != ErrorCode::BadCrc);
        }
    }
    EXPECT_GE(files, 60);
}

TEST(FitDecodeData, MessageCountsOfFitparseTests) {
    REQUIRE_DATA();
    const fs::path dir = activities / "fitparse-files";
    const auto multi = decode_path(dir / "sample_mulitple_header.fit");
    ASSERT_TRUE(multi.has_value());
    EXPECT_EQ(multi->messages.size(), 3023U);
    EXPECT_EQ(multi->files.size(), 4U);
    // Fields whose size is not a multiple of their base type fall back to bytes.
    const auto coros = decode_path(dir / "coros-pace-2-cycling-misaligned-fields.fit");
    ASSERT_TRUE(coros.has_value());
    EXPECT_EQ(coros->messages.size(), 11293U);
}

TEST(FitDecodeData, ChainedFiles) {
    REQUIRE_DATA();
    const auto both = decode_path(activities / "fitparse-files" / "activity-settings.fit");
    ASSERT_TRUE(both.has_value());
    ASSERT_EQ(both->files.size(), 2U);
    EXPECT_GT(both->files[1].offset, 0U);
    // The second file is a settings file: its file_id says so.
    std::vector<std::string_view> types;
    for (const Message* m : both->messages_of(mesg::file_id)) {
        types.push_back(m->field("type")->enum_name);
    }
    EXPECT_EQ(types, (std::vector<std::string_view>{"activity", "settings"}));
}

TEST(FitDecodeData, SessionAverageSpeedOfElemnt) {
    REQUIRE_DATA();
    const auto file =
        decode_path(activities / "fitparse-files" / "2019-02-17-062644-ELEMNT-297E-195-0.fit");
    ASSERT_TRUE(file.has_value());
    const auto sessions = file->messages_of(mesg::session);
    ASSERT_FALSE(sessions.empty());
    EXPECT_DOUBLE_EQ(sessions.front()->value("avg_speed").value_or(0), 5.86);
    EXPECT_EQ(sessions.front()->field("sport")->enum_name, "cycling");
}

TEST(FitDecodeData, ActivityLocalTimeGivesUtcOffset) {
    REQUIRE_DATA();
    // The pool swim in event_timestamp.fit was recorded at UTC-4 (local_timestamp 866285919,
    // timestamp 866300319).
    const auto file = decode_path(activities / "fitparse-files" / "event_timestamp.fit");
    ASSERT_TRUE(file.has_value());
    const auto activities_found = file->messages_of(mesg::activity);
    ASSERT_EQ(activities_found.size(), 1U);
    EXPECT_EQ(utc_offset_s(*activities_found[0]), -4 * 3600);
}

TEST(FitDecodeData, EventTimestampComponentsAccumulate) {
    REQUIRE_DATA();
    const auto file = decode_path(activities / "fitparse-files" / "event_timestamp.fit");
    ASSERT_TRUE(file.has_value());
    const Message& last = file->messages.back();
    ASSERT_EQ(last.name, "hr");
    const Field* times = last.field("event_timestamp");
    ASSERT_NE(times, nullptr);
    ASSERT_EQ(times->values.size(), 8U);
    // fitparse accumulates the 12-bit event times from zero and reads 863.486328125 s; Hearth
    // (as the FIT SDK) seeds the accumulator with the last full 32-bit event_timestamp, so the
    // two agree modulo the 12-bit rollover (4096 / 1024 = 4 s).
    EXPECT_DOUBLE_EQ(std::fmod(times->values[0], 4.0), std::fmod(863.486328125, 4.0));
    for (std::size_t i = 1; i < times->values.size(); ++i) {
        EXPECT_GE(times->values[i], times->values[i - 1]);
    }
}

TEST(FitDecodeData, CompressedSpeedDistanceMatchesCsv) {
    REQUIRE_DATA();
    const fs::path dir = activities / "fitparse-files";
    const auto file = decode_path(dir / "compressed-speed-distance.fit");
    ASSERT_TRUE(file.has_value());
    const auto records = records_of(*file);
    ASSERT_FALSE(records.empty());
    EXPECT_EQ(records.front()->timestamp(), 17217864U);
    const auto rows = read_table(dir / "compressed-speed-distance-records.csv", ',');
    std::size_t compared = 0;
    for (std::size_t i = 1; i < rows.size() && i < records.size(); ++i) {
        const Message& r = *records[i];
        const auto& row = rows[i];
        SCOPED_TRACE("row " + std::to_string(i));
        EXPECT_EQ(r.timestamp(), std::stoul(row[0]));
        EXPECT_EQ(r.value("heart_rate"), std::stod(row[1]));
        EXPECT_NEAR(r.value("speed").value_or(-1), std::stod(row[2]), 1e-9);
        EXPECT_NEAR(r.value("distance").value_or(-1), std::stod(row[3]), 1e-9);
        if (row[4] == "null") {
            EXPECT_FALSE(r.value("cadence").has_value());
        } else {
            EXPECT_EQ(r.value("cadence"), std::stod(row[4]));
        }
        ++compared;
    }
    EXPECT_EQ(compared, 754U);
}

// "Sun Sep 25 06:00:22 PDT 2011" -> FIT seconds (PDT = UTC-7).
std::int64_t pdt_to_fit_s(const std::string& text) {
    std::istringstream in(text);
    std::string weekday, month_name, clock, zone;
    int day = 0, year = 0;
    in >> weekday >> month_name >> day >> clock >> zone >> year;
    const std::string months = "JanFebMarAprMayJunJulAugSepOctNovDec";
    const int month = static_cast<int>(months.find(month_name) / 3) + 1;
    const int hh = std::stoi(clock.substr(0, 2));
    const int mm = std::stoi(clock.substr(3, 2));
    const int ss = std::stoi(clock.substr(6, 2));
    // Days from 1970-01-01 of a civil date (proleptic Gregorian), by the usual era arithmetic.
    const int y = month <= 2 ? year - 1 : year;
    const int era = y / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const std::int64_t days = static_cast<std::int64_t>(era) * 146097 + doe - 719468;
    const std::int64_t unix_s = days * 86400 + hh * 3600 + mm * 60 + ss + 7 * 3600;
    return unix_s - fit_epoch_unix_s;
}

void expect_records_match_csv(const std::string& fit_name, const std::string& csv_name) {
    const fs::path dir = activities / "fitparse-files";
    const auto file = decode_path(dir / fit_name);
    ASSERT_TRUE(file.has_value()) << file.error().describe();
    const auto records = records_of(*file);
    const auto rows = read_table(dir / csv_name, ',');
    ASSERT_GT(rows.size(), 1U);
    ASSERT_EQ(records.size(), rows.size() - 1);
    const auto& header = rows[0];
    std::optional<double> last_lat;
    std::optional<double> last_long;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        const Message& r = *records[i - 1];
        SCOPED_TRACE(fit_name + " row " + std::to_string(i));
        for (std::size_t c = 0; c < header.size(); ++c) {
            const std::string& name = header[c];
            const std::string cell = c < rows[i].size() ? rows[i][c] : std::string();
            if (name == "timestamp") {
                EXPECT_EQ(static_cast<std::int64_t>(r.timestamp().value_or(0)), pdt_to_fit_s(cell));
                continue;
            }
            std::optional<double> v = r.value(name);
            if (name == "position_lat") {
                v = v ? v : last_lat; // the exporter repeats the last valid position
                last_lat = v;
            } else if (name == "position_long") {
                v = v ? v : last_long;
                last_long = v;
            } else if (name == "cadence" && !v && !cell.empty()) {
                v = 0.0; // the exporter writes invalid cadence as 0
            }
            if (cell.empty()) {
                EXPECT_FALSE(v.has_value()) << name;
            } else {
                ASSERT_TRUE(v.has_value()) << name;
                EXPECT_NEAR(*v, std::stod(cell), 1e-9) << name;
            }
        }
    }
}

TEST(FitDecodeData, RecordsMatchCsvEdge500) {
    REQUIRE_DATA();
    expect_records_match_csv("garmin-edge-500-activity.fit",
                             "garmin-edge-500-activity-records.csv");
}
TEST(FitDecodeData, RecordsMatchCsvEdge820) {
    REQUIRE_DATA();
    expect_records_match_csv("garmin-edge-820-bike.fit", "garmin-edge-820-bike-records.csv");
}
TEST(FitDecodeData, RecordsMatchCsvFenix5) {
    REQUIRE_DATA();
    expect_records_match_csv("garmin-fenix-5-bike.fit", "garmin-fenix-5-bike-records.csv");
    expect_records_match_csv("garmin-fenix-5-run.fit", "garmin-fenix-5-run-records.csv");
    expect_records_match_csv("garmin-fenix-5-walk.fit", "garmin-fenix-5-walk-records.csv");
}

TEST(FitDecodeData, JumpsMtbOracle) {
    REQUIRE_DATA();
    const auto file =
        decode_path(activities / "fit-file-parser-jimmykane" / "examples" / "jumps-mtb.fit");
    ASSERT_TRUE(file.has_value());
    const auto records = records_of(*file);
    EXPECT_EQ(records.size(), 7251U);
    for (const Message* r : records) {
        ASSERT_TRUE(r->value("flow").has_value());
        ASSERT_TRUE(r->value("grit").has_value());
    }
    const auto sessions = file->messages_of(mesg::session);
    ASSERT_EQ(sessions.size(), 1U);
    EXPECT_EQ(sessions[0]->value("jump_count"), 11.0);
    const auto jumps = file->messages_of(285);
    ASSERT_EQ(jumps.size(), 11U);
    const Message& jump = *jumps.front();
    EXPECT_NEAR(jump.value("distance").value_or(0), 2.069, 5e-4);
    EXPECT_NEAR(jump.value("hang_time").value_or(0), 0.36, 1e-6);
    EXPECT_NEAR(jump.value("score").value_or(0), 62.44, 5e-3);
    EXPECT_NEAR(semicircles_to_deg(jump.value("position_lat").value_or(0)), 39.6679, 5e-5);
    EXPECT_NEAR(semicircles_to_deg(jump.value("position_long").value_or(0)), 20.8382, 5e-5);
    EXPECT_NEAR(jump.value("speed").value_or(0), 5.748, 1e-9);
}

TEST(FitDecodeData, DeveloperFieldsKeepNamesAndUnits) {
    REQUIRE_DATA();
    const auto file = decode_path(activities / "fit-file-parser-jimmykane" / "test" /
                                  "running-with-developer-data.fit");
    ASSERT_TRUE(file.has_value());
    std::set<std::string> names;
    for (const auto& d : file->developer_fields) {
        names.insert(d.name);
    }
    for (const char* expected : {"Ground Time", "Vertical Oscillation", "Elevation"}) {
        EXPECT_TRUE(names.contains(expected)) << expected;
    }
    const auto records = records_of(*file);
    ASSERT_FALSE(records.empty());
    int with_dev = 0;
    for (const Message* r : records) {
        for (const Field& f : r->fields) {
            if (f.source == FieldSource::Developer && f.name == "Elevation") {
                EXPECT_EQ(f.units, "Meters");
                ++with_dev;
            }
        }
    }
    EXPECT_GT(with_dev, 100);
}

TEST(FitDecodeData, Test2LongitudesInRange) {
    REQUIRE_DATA();
    const auto file = decode_path(activities / "fit-file-parser-jimmykane" / "test" / "test2.fit");
    ASSERT_TRUE(file.has_value());
    int positions = 0;
    for (const Message* r : records_of(*file)) {
        if (auto lon = r->value("position_long")) {
            const double deg = semicircles_to_deg(*lon);
            EXPECT_GE(deg, -180.0);
            EXPECT_LE(deg, 180.0);
            ++positions;
        }
    }
    EXPECT_GT(positions, 100);
}

TEST(FitDecodeData, TimeInZoneOfFileWithZones) {
    REQUIRE_DATA();
    const auto file =
        decode_path(activities / "fit-file-parser-jimmykane" / "examples" / "file-with-zones.fit");
    ASSERT_TRUE(file.has_value());
    bool found = false;
    for (const Message* m : file->messages_of(mesg::time_in_zone)) {
        const Field* power = m->field("time_in_power_zone");
        const Field* bounds = m->field("power_zone_high_boundary");
        if (power == nullptr || bounds == nullptr || !power->valid) {
            continue;
        }
        EXPECT_GE(power->values.size(), 7U);
        double sum = 0;
        for (double v : power->values) {
            sum += std::isnan(v) ? 0 : v;
        }
        EXPECT_GT(sum, 0);
        found = true;
    }
    EXPECT_TRUE(found);
}

TEST(FitDecodeData, LenientModeKeepsUnterminatedFile) {
    REQUIRE_DATA();
    DecodeOptions lenient;
    lenient.crc = CrcCheck::Skip;
    lenient.on_error = ErrorMode::Lenient;
    const auto file = decode_path(activities / "fitparse-files" / "nick.fit", lenient);
    ASSERT_TRUE(file.has_value());
    ASSERT_TRUE(file->error.has_value());
    EXPECT_GT(records_of(*file).size(), 1000U);
}

TEST(FitDecodeData, UnterminatedStrings) {
    REQUIRE_DATA();
    const auto file =
        decode_path(activities / "tormoder-fit-testdata" / "misc" / "unterminated-strings.fit");
    ASSERT_TRUE(file.has_value()) << file.error().describe();
    int strings = 0;
    for (const auto& m : file->messages) {
        for (const auto& f : m.fields) {
            if (f.base_type == BaseType::String && f.valid) {
                EXPECT_EQ(f.text.find('\0'), std::string::npos);
                ++strings;
            }
        }
    }
    EXPECT_GT(strings, 0);
}

} // namespace
} // namespace hearth::formats::fit
