// The assertions the open-source parsers make on their own test files (EXPECTED_*.tsv and the
// *-records.csv decodes in ../shared/data/activities), checked through Hearth's importers and
// metrics; and every activity file there must import (or fail cleanly) and analyse.

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/iso8601.h"
#include "import/import.h"
#include "metrics/activity_metrics.h"

namespace hearth::sport {
namespace {

namespace fs = std::filesystem;

const fs::path activities_dir = fs::path(HEARTH_DATA_DIR) / "activities";

#define SKIP_WITHOUT_DATA()                                                                        \
    do {                                                                                           \
        if (!fs::exists(activities_dir)) {                                                         \
            GTEST_SKIP() << "no shared data at " << activities_dir;                                \
        }                                                                                          \
    } while (false)

std::vector<std::string> split(const std::string& line, char sep) {
    std::vector<std::string> out;
    std::string cell;
    std::istringstream in(line);
    while (std::getline(in, cell, sep)) {
        out.push_back(cell);
    }
    return out;
}

std::vector<Record> all_records(const Workout& w) {
    std::vector<Record> out;
    for (const auto& a : w.activities) {
        out.insert(out.end(), a.records.begin(), a.records.end());
    }
    return out;
}

formats::Result<Workout> load(const fs::path& path, Leniency leniency = Leniency::Strict) {
    ImportOptions options;
    options.leniency = leniency;
    return import_file(path, options);
}

// --- fitparse -------------------------------------------------------------------------------

TEST(WorkoutExpected, FitparseOutcomes) {
    SKIP_WITHOUT_DATA();
    const fs::path dir = activities_dir / "fitparse-files";
    std::ifstream tsv(dir / "EXPECTED_fitparse-tests.tsv");
    ASSERT_TRUE(tsv);
    std::string line;
    std::getline(tsv, line); // header
    int checked = 0;
    while (std::getline(tsv, line)) {
        const auto cells = split(line, '\t');
        if (cells.size() < 2 || !fs::exists(dir / cells[0])) {
            continue; // the FIT SDK example files were left out of the data copy
        }
        const std::string& outcome = cells[1];
        SCOPED_TRACE(cells[0] + " expected " + outcome);
        auto strict = load(dir / cells[0]);
        if (outcome == "ok") {
            EXPECT_TRUE(strict) << strict.error().describe();
        } else if (outcome.starts_with("error:")) {
            ASSERT_FALSE(strict);
            const std::string kind = outcome.substr(6);
            const auto code = strict.error().code;
            if (kind == "CRC") {
                EXPECT_EQ(code, formats::ErrorCode::BadCrc);
            } else if (kind == "EOF") {
                EXPECT_EQ(code, formats::ErrorCode::Truncated);
            } else if (kind == "header") {
                EXPECT_EQ(code, formats::ErrorCode::BadHeader);
            }
            EXPECT_FALSE(strict.error().message.empty());
        } else if (outcome == "warn") {
            // Decoded leniently (fitparse: check_crc=False), with what decoded kept.
            auto lenient = load(dir / cells[0], Leniency::Lenient);
            ASSERT_TRUE(lenient) << lenient.error().describe();
            EXPECT_FALSE(all_records(*lenient).empty());
        } else {
            (void)load(dir / cells[0], Leniency::Lenient); // untested upstream: must not crash
        }
        ++checked;
    }
    EXPECT_GT(checked, 20);
}

TEST(WorkoutExpected, ElemntFirstSessionAverageSpeed) {
    SKIP_WITHOUT_DATA();
    auto w = load(activities_dir / "fitparse-files" / "2019-02-17-062644-ELEMNT-297E-195-0.fit");
    ASSERT_TRUE(w) << w.error().describe();
    ASSERT_FALSE(w->activities.empty());
    const Activity& a = w->activities.front();
    ASSERT_TRUE(a.device_summary);
    EXPECT_NEAR(*a.device_summary->avg_speed_mps, 5.86, 0.005);
    const auto m = metrics::activity_metrics(a);
    EXPECT_NEAR(*m.totals.avg_speed_mps, 5.86, 0.005); // the device's value is reported
    EXPECT_EQ(a.sport, Sport::Cycling);
    EXPECT_TRUE(m.totals.avg_power_w);
    EXPECT_TRUE(m.totals.avg_heart_rate_bpm);
}

// "Sun Jun 11 07:34:09 PDT 2017" (PDT = UTC-7) to UTC milliseconds.
std::optional<UtcMs> parse_pdt(const std::string& text) {
    static const std::map<std::string, unsigned> months{
        {"Jan", 1}, {"Feb", 2}, {"Mar", 3}, {"Apr", 4},  {"May", 5},  {"Jun", 6},
        {"Jul", 7}, {"Aug", 8}, {"Sep", 9}, {"Oct", 10}, {"Nov", 11}, {"Dec", 12}};
    std::istringstream in(text);
    std::string weekday, month, hms, zone;
    unsigned day = 0;
    int year = 0;
    in >> weekday >> month >> day >> hms >> zone >> year;
    if (!in || !months.contains(month) || zone != "PDT") {
        return std::nullopt;
    }
    const auto parts = split(hms, ':');
    if (parts.size() != 3) {
        return std::nullopt;
    }
    const std::int64_t days = formats::days_from_civil(year, months.at(month), day);
    const std::int64_t s = days * 86400 + std::stoll(parts[0]) * 3600 + std::stoll(parts[1]) * 60 +
                           std::stoll(parts[2]) + 7 * 3600;
    return s * 1000;
}

TEST(WorkoutExpected, FitparseRecordDecodesMatchRowByRow) {
    SKIP_WITHOUT_DATA();
    const fs::path dir = activities_dir / "fitparse-files";
    for (const char* name : {"garmin-edge-500-activity", "garmin-fenix-5-bike",
                             "garmin-fenix-5-run", "garmin-fenix-5-walk", "garmin-edge-820-bike"}) {
        SCOPED_TRACE(name);
        auto w = load(dir / (std::string(name) + ".fit"));
        ASSERT_TRUE(w) << w.error().describe();
        const auto records = all_records(*w);
        std::ifstream csv(dir / (std::string(name) + "-records.csv"));
        ASSERT_TRUE(csv);
        std::string line;
        std::getline(csv, line);
        std::size_t row = 0;
        int mismatches = 0;
        while (std::getline(csv, line)) {
            const auto c = split(line, ',');
            ASSERT_GE(c.size(), 9U);
            ASSERT_LT(row, records.size()) << "fewer records than the reference";
            const Record& r = records[row];
            const auto t = parse_pdt(c[0]);
            ASSERT_TRUE(t) << c[0];
            bool ok = r.t_ms == *t;
            if (!c[1].empty()) {
                ok = ok && r.heart_rate_bpm && *r.heart_rate_bpm == std::stod(c[1]);
            }
            if (!c[3].empty()) {
                ok = ok && r.speed_mps && std::abs(*r.speed_mps - std::stod(c[3])) < 1e-3;
            }
            if (!c[4].empty()) {
                ok = ok && r.distance_m && std::abs(*r.distance_m - std::stod(c[4])) < 1e-2;
            }
            if (!c[7].empty() && r.altitude_m) {
                ok = ok && std::abs(*r.altitude_m - std::stod(c[7])) < 0.21;
            }
            if (!c[8].empty()) {
                ok = ok && r.temperature_c && *r.temperature_c == std::stod(c[8]);
            }
            // The exporter repeats the last valid position; compare only where we have one.
            if (!c[5].empty() && r.lat_deg) {
                ok = ok && std::abs(*r.lat_deg - std::stod(c[5]) * 180.0 / 2147483648.0) < 1e-6;
            }
            if (!ok) {
                ++mismatches;
                ADD_FAILURE() << "row " << row + 1 << ": " << line;
                if (mismatches > 5) {
                    return;
                }
            }
            ++row;
        }
        EXPECT_EQ(row, records.size()) << "record count";
    }
}

TEST(WorkoutExpected, CompressedSpeedDistanceRecords) {
    SKIP_WITHOUT_DATA();
    const fs::path dir = activities_dir / "fitparse-files";
    auto w = load(dir / "compressed-speed-distance.fit");
    ASSERT_TRUE(w) << w.error().describe();
    const auto records = all_records(*w);
    std::ifstream csv(dir / "compressed-speed-distance-records.csv");
    std::string line;
    std::getline(csv, line);
    std::vector<std::vector<std::string>> rows;
    while (std::getline(csv, line)) {
        rows.push_back(split(line, ','));
    }
    ASSERT_GE(records.size(), rows.size());
    // The reference starts at the first record with a timestamp; align on it.
    std::size_t compared = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& c = rows[i];
        const UtcMs t = (std::stoll(c[0]) + 631065600) * 1000;
        auto it = std::find_if(records.begin(), records.end(),
                               [t](const Record& r) { return r.t_ms == t; });
        ASSERT_NE(it, records.end()) << "no record at FIT time " << c[0];
        if (c[1] != "null") {
            EXPECT_EQ(it->heart_rate_bpm, std::stod(c[1])) << "row " << i;
        }
        if (c[2] != "null") {
            ASSERT_TRUE(it->speed_mps);
            EXPECT_NEAR(*it->speed_mps, std::stod(c[2]), 0.006) << "row " << i;
        }
        if (c[3] != "null") {
            ASSERT_TRUE(it->distance_m);
            EXPECT_NEAR(*it->distance_m, std::stod(c[3]), 0.07) << "row " << i;
        }
        ++compared;
    }
    EXPECT_GE(compared, 753U);
}

TEST(WorkoutExpected, PoolSwimLengths) {
    SKIP_WITHOUT_DATA();
    auto w = load(activities_dir / "fitparse-files" / "event_timestamp.fit");
    ASSERT_TRUE(w) << w.error().describe();
    ASSERT_EQ(w->activities.size(), 1U);
    const Activity& a = w->activities[0];
    EXPECT_EQ(a.sport, Sport::Swimming);
    EXPECT_EQ(a.sub_sport, "lap_swimming");
    ASSERT_TRUE(a.device_summary);
    EXPECT_NEAR(*a.device_summary->pool_length_m, 22.86, 0.005);
    EXPECT_EQ(a.lengths.size(), 166U);
    const auto m = metrics::activity_metrics(a);
    ASSERT_TRUE(m.swim);
    EXPECT_GT(m.swim->active_lengths, 0U);
    EXPECT_LE(m.swim->active_lengths, 166U);
}

TEST(WorkoutExpected, MultisportFilesGiveOneActivityPerSession) {
    SKIP_WITHOUT_DATA();
    for (const char* name :
         {"activity-large-fenxi2-multisport.fit", "sample_mulitple_header.fit"}) {
        SCOPED_TRACE(name);
        auto w = load(activities_dir / "fitparse-files" / name);
        ASSERT_TRUE(w) << w.error().describe();
        ASSERT_GE(w->activities.size(), 2U);
        for (std::size_t i = 1; i < w->activities.size(); ++i) {
            EXPECT_LE(*w->activities[i - 1].start_time_ms, *w->activities[i].start_time_ms);
        }
        // Every record sits inside its own session's span.
        for (const auto& a : w->activities) {
            if (!a.records.empty() && a.start_time_ms) {
                EXPECT_GE(a.records.front().t_ms, *a.start_time_ms);
            }
        }
    }
}

// --- other FIT collections ------------------------------------------------------------------

TEST(WorkoutExpected, JimmykaneAndFitdecodeFacts) {
    SKIP_WITHOUT_DATA();
    auto jumps = load(activities_dir / "fit-file-parser-jimmykane" / "examples" / "jumps-mtb.fit");
    ASSERT_TRUE(jumps) << jumps.error().describe();
    EXPECT_EQ(all_records(*jumps).size(), 7251U);

    auto ski = load(activities_dir / "fit-file-parser-jimmykane" / "test" / "test2.fit");
    ASSERT_TRUE(ski) << ski.error().describe();
    for (const auto& r : all_records(*ski)) {
        if (r.lon_deg) {
            EXPECT_GE(*r.lon_deg, -180.0);
            EXPECT_LE(*r.lon_deg, 180.0);
        }
    }

    auto swim = load(activities_dir / "fitdecode-files" / "garmin-fr935-cr.fit");
    ASSERT_TRUE(swim) << swim.error().describe();
    ASSERT_EQ(swim->activities.size(), 1U);
    EXPECT_EQ(swim->activities[0].sport, Sport::Swimming);
    EXPECT_EQ(swim->activities[0].laps.size(), 89U);
    const auto records = all_records(*swim);
    EXPECT_EQ(records.size(), 7515U);
    // Heart rate from the wrist: most records carry it (gaps while under water).
    const auto with_hr = std::count_if(records.begin(), records.end(), [](const Record& r) {
        return r.heart_rate_bpm.has_value();
    });
    EXPECT_GT(with_hr, 5000);
}

TEST(WorkoutExpected, TormoderCorruptFilesFailOthersDecode) {
    SKIP_WITHOUT_DATA();
    const fs::path dir = activities_dir / "tormoder-fit-testdata";
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (entry.path().extension() != ".fit") {
            continue;
        }
        const std::string rel = fs::relative(entry.path(), dir).string();
        SCOPED_TRACE(rel);
        auto w = load(entry.path());
        const bool must_fail = rel.starts_with("corrupt/") ||
                               rel == "chained/activity-activity-filecrc.fit" ||
                               rel == "chained/activity-settings-corruptheader.fit" ||
                               rel == "chained/activity-settings-nodata.fit";
        if (must_fail) {
            EXPECT_FALSE(w);
        } else {
            EXPECT_TRUE(w) << w.error().describe();
        }
    }
}

// --- tcxparser ------------------------------------------------------------------------------

TEST(WorkoutExpected, TcxparserTestTcx) {
    SKIP_WITHOUT_DATA();
    auto w = load(activities_dir / "tcxparser-files" / "test.tcx");
    ASSERT_TRUE(w) << w.error().describe();
    ASSERT_EQ(w->activities.size(), 1U);
    const Activity& a = w->activities[0];
    EXPECT_EQ(a.sport, Sport::Running);
    EXPECT_EQ(a.name, "Aerobics");
    ASSERT_FALSE(a.records.empty());
    EXPECT_EQ(formats::format_iso8601(formats::UtcTime::from_unix_ms(a.records.front().t_ms)),
              "2012-12-26T21:29:53Z");
    EXPECT_EQ(formats::format_iso8601(formats::UtcTime::from_unix_ms(a.records.back().t_ms)),
              "2012-12-26T22:03:05Z");

    const auto m = metrics::activity_metrics(a);
    EXPECT_NEAR(*m.totals.timer_time_s, 1992.78, 1e-6); // duration: sum of lap times
    EXPECT_NEAR(*m.totals.energy_kcal, 379.0, 1e-9);
    EXPECT_NEAR(*m.totals.max_heart_rate_bpm, 189.0, 1e-9);
    EXPECT_NEAR(*m.computed.distance_m, 4686.31103516, 1e-3); // last DistanceMeters
    // Pace 07:05 per km = duration / distance (tcxparser uses the last DistanceMeters).
    EXPECT_NEAR(1992.78 / (*m.computed.distance_m / 1000.0), 7 * 60 + 5, 1.0);

    std::vector<double> hr, altitude;
    for (const auto& r : a.records) {
        if (r.heart_rate_bpm) {
            hr.push_back(*r.heart_rate_bpm);
        }
        if (r.altitude_m) {
            altitude.push_back(*r.altitude_m);
        }
    }
    ASSERT_FALSE(hr.empty());
    EXPECT_EQ(hr.front(), 62.0);
    EXPECT_EQ(hr.back(), 180.0);
    EXPECT_EQ(*std::min_element(hr.begin(), hr.end()), 60.0);
    EXPECT_EQ(*std::max_element(hr.begin(), hr.end()), 189.0);
    // tcxparser's hr_avg is the integer mean of the samples; ours is time-weighted, close to it.
    EXPECT_EQ(
        std::floor(std::accumulate(hr.begin(), hr.end(), 0.0) / static_cast<double>(hr.size())),
        156.0);
    // Hearth's mean is time-weighted (samples are irregular), so it differs by a few bpm.
    EXPECT_NEAR(*m.computed.avg_heart_rate_bpm, 156.0, 5.0);

    ASSERT_FALSE(altitude.empty());
    EXPECT_NEAR(altitude.front(), 178.942626953, 1e-6);
    EXPECT_NEAR(altitude.back(), 166.4453125, 1e-6);
    EXPECT_NEAR(*std::max_element(altitude.begin(), altitude.end()), 215.95324707, 1e-6);
    EXPECT_NEAR(*std::min_element(altitude.begin(), altitude.end()), 157.793579102, 1e-6);
    EXPECT_NEAR(std::accumulate(altitude.begin(), altitude.end(), 0.0) /
                    static_cast<double>(altitude.size()),
                172.020056184, 1e-6);
    // tcxparser's ascent/descent are raw sums of altitude steps.
    double ascent = 0.0, descent = 0.0;
    for (std::size_t i = 1; i < altitude.size(); ++i) {
        const double d = altitude[i] - altitude[i - 1];
        (d > 0.0 ? ascent : descent) += std::abs(d);
    }
    EXPECT_NEAR(ascent, 153.80981445, 1e-4);
    EXPECT_NEAR(descent, 166.307128903, 1e-4);
    // Hearth's reported ascent filters GPS noise, so it is at most the raw sum.
    ASSERT_TRUE(m.totals.ascent_m);
    EXPECT_LE(*m.totals.ascent_m, ascent);

    EXPECT_NEAR(*a.records.front().lat_deg, 35.951880198, 1e-8);
    EXPECT_NEAR(*a.records.front().lon_deg, -79.0931872185, 1e-8);
    const auto last_fix = std::find_if(a.records.rbegin(), a.records.rend(),
                                       [](const Record& r) { return r.lat_deg.has_value(); });
    ASSERT_NE(last_fix, a.records.rend());
    EXPECT_NEAR(*last_fix->lat_deg, 35.9519544616, 1e-8);
    EXPECT_NEAR(*last_fix->lon_deg, -79.0930143837, 1e-8);
    EXPECT_EQ(a.records.front().distance_m, 0.0);

    // Heart-rate time in zones (tcxparser zones Z0 <100, Z1 100-129, Z2 130-149, Z3 150-169,
    // Z4 170-184, Z5 185-199, Z6 200+): the sample weighting differs by half a sample
    // (tcxparser splits each gap between both ends, Hearth gives it to the earlier sample), so
    // allow a few seconds per zone.
    std::vector<double> t_s, bpm;
    for (const auto& r : a.records) {
        t_s.push_back(static_cast<double>(r.t_ms - a.records.front().t_ms) / 1000.0);
        bpm.push_back(r.heart_rate_bpm ? *r.heart_rate_bpm : NAN);
    }
    const auto zones = metrics::time_in_zones(t_s, bpm, {}, {100.0, 130.0, 150.0, 170.0, 185.0});
    EXPECT_NEAR(zones.below_s, 217.5, 6.0);
    EXPECT_NEAR(zones.time_s[0], 3.5, 3.0);
    EXPECT_NEAR(zones.time_s[1], 4.5, 3.0);
    EXPECT_NEAR(zones.time_s[2], 969.0, 8.0);
    EXPECT_NEAR(zones.time_s[3], 676.5, 8.0);
    EXPECT_NEAR(zones.time_s[4], 120.5 + 0.0, 6.0);
}

TEST(WorkoutExpected, TcxparserNoHeartRateAndSteps) {
    SKIP_WITHOUT_DATA();
    auto no_hr = load(activities_dir / "tcxparser-files" / "no_hr.tcx");
    ASSERT_TRUE(no_hr) << no_hr.error().describe();
    for (const auto& a : no_hr->activities) {
        const auto m = metrics::activity_metrics(a);
        EXPECT_FALSE(m.heart_rate_zones); // NoHeartRateDataError upstream
        EXPECT_FALSE(m.totals.avg_heart_rate_bpm);
    }
    auto sup = load(activities_dir / "tcxparser-files" / "sup_activity_1.tcx");
    ASSERT_TRUE(sup) << sup.error().describe();
    ASSERT_EQ(sup->activities.size(), 1U);
    ASSERT_TRUE(sup->activities[0].device_summary);
    EXPECT_EQ(sup->activities[0].device_summary->steps, 491.0);
}

// --- gpxpy ----------------------------------------------------------------------------------

TEST(WorkoutExpected, GpxpyFacts) {
    SKIP_WITHOUT_DATA();
    const fs::path dir = activities_dir / "gpxpy-test-files";
    auto korita = load(dir / "korita-zbevnica.gpx");
    ASSERT_TRUE(korita) << korita.error().describe();
    // 4 tracks: track 0 has no points and track 1 no times, so two timed activities.
    EXPECT_EQ(korita->activities.size(), 2U);
    EXPECT_FALSE(korita->warnings.empty()); // the untimed points are reported

    auto speed = load(dir / "track_with_speed.gpx");
    ASSERT_TRUE(speed) << speed.error().describe();
    const auto records = all_records(*speed);
    ASSERT_GE(records.size(), 2U);
    EXPECT_EQ(records[0].speed_mps, 1.2);
    EXPECT_EQ(records[1].speed_mps, 2.2);

    auto moj = load(dir / "Mojstrovka.gpx");
    ASSERT_TRUE(moj) << moj.error().describe();
    ASSERT_FALSE(moj->activities.empty());
    EXPECT_NEAR(*moj->activities[0].records.front().altitude_m, 1614.678, 1e-6);
}

// --- everything -----------------------------------------------------------------------------

TEST(WorkoutExpected, EveryActivityFileImportsOrFailsCleanlyAndAnalyses) {
    SKIP_WITHOUT_DATA();
    int files = 0;
    int analysed = 0;
    for (const auto& entry : fs::recursive_directory_iterator(activities_dir)) {
        std::string ext = entry.path().extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (ext != ".fit" && ext != ".gpx" && ext != ".tcx") {
            continue;
        }
        SCOPED_TRACE(entry.path().string());
        ++files;
        for (Leniency leniency : {Leniency::Strict, Leniency::Lenient}) {
            auto w = load(entry.path(), leniency);
            if (!w) {
                EXPECT_FALSE(w.error().describe().empty());
                continue;
            }
            for (const auto& a : w->activities) {
                const auto m = metrics::activity_metrics(a);
                const auto laps = metrics::lap_metrics(a);
                EXPECT_EQ(laps.size(), a.laps.size());
                if (m.totals.distance_m) {
                    EXPECT_GE(*m.totals.distance_m, 0.0);
                }
                ++analysed;
            }
        }
    }
    EXPECT_GT(files, 80);
    EXPECT_GT(analysed, 80);
}

} // namespace
} // namespace hearth::sport
