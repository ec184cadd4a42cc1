// `hearth analyze` and `hearth convert` run as a user runs them, on the bundled samples.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e/run_hearth.h"

namespace hearth::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path samples = fs::path(HEARTH_SOURCE_DIR) / "data" / "samples";

std::string sample(const char* name) {
    return (samples / name).string();
}

std::vector<json> json_lines(const std::string& out) {
    std::vector<json> lines;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty()) {
            lines.push_back(json::parse(line));
        }
    }
    return lines;
}

TEST(AnalyzeE2E, TextSummaryOfEveryKindOfSample) {
    auto r = run_hearth({"analyze", sample("run-fenix2.fit"), sample("ride-power.fit"),
                         sample("pool-swim.fit"), sample("run-forerunner410.tcx"),
                         sample("walk-cerknica.gpx")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("running"), std::string::npos);
    EXPECT_NE(r.out.find("cycling"), std::string::npos);
    EXPECT_NE(r.out.find("swimming (lap_swimming)"), std::string::npos);
    EXPECT_NE(r.out.find("power avg / max / NP"), std::string::npos);
    EXPECT_NE(r.out.find("heart-rate zones"), std::string::npos);
    EXPECT_NE(r.out.find("lap"), std::string::npos);
    EXPECT_NE(r.out.find("split"), std::string::npos);
}

TEST(AnalyzeE2E, JsonOneObjectPerFileWithDeviceValues) {
    auto r = run_hearth({"analyze", "--json", sample("run-forerunner410.tcx"),
                         sample("pool-swim.fit"), sample("walk-cerknica.gpx")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto lines = json_lines(r.out);
    ASSERT_EQ(lines.size(), 3U);

    const json& tcx = lines[0];
    EXPECT_EQ(tcx["format"], "tcx");
    EXPECT_EQ(tcx["file"], sample("run-forerunner410.tcx"));
    ASSERT_EQ(tcx["activities"].size(), 1U);
    const json& run = tcx["activities"][0];
    EXPECT_EQ(run["sport"], "running");
    EXPECT_EQ(run["start_time"], "2012-12-26T21:29:53Z");
    EXPECT_NEAR(run["timer_time_s"].get<double>(), 1992.78, 0.01); // lap totals, not records
    EXPECT_EQ(run["energy_kcal"], 379.0);
    EXPECT_EQ(run["max_heart_rate_bpm"], 189.0);
    EXPECT_EQ(run["laps"].size(), 3U);
    EXPECT_GT(run["records"].get<int>(), 300);
    EXPECT_TRUE(run.contains("ascent_m"));
    EXPECT_TRUE(run.contains("heart_rate_zones"));
    EXPECT_TRUE(run.contains("splits"));

    const json& swim = lines[1]["activities"][0];
    EXPECT_EQ(lines[1]["format"], "fit");
    EXPECT_EQ(swim["sport"], "swimming");
    EXPECT_EQ(swim["sub_sport"], "lap_swimming");
    EXPECT_NEAR(swim["pool_length_m"].get<double>(), 22.86, 0.01);
    EXPECT_TRUE(swim.contains("active_lengths"));
    EXPECT_TRUE(swim.contains("total_strokes"));
    EXPECT_TRUE(swim.contains("swolf"));
    EXPECT_TRUE(swim.contains("timezone_offset_s"));
    EXPECT_EQ(swim["device"]["manufacturer"], "garmin");

    const json& walk = lines[2]["activities"][0];
    EXPECT_EQ(lines[2]["format"], "gpx");
    EXPECT_EQ(walk["summary_source"], "computed"); // GPX never has a device summary
    EXPECT_GT(walk["distance_m"].get<double>(), 1000.0);
    EXPECT_FALSE(walk.contains("avg_heart_rate_bpm")); // no sensor data: key absent
}

TEST(AnalyzeE2E, FtpGivesIntensityAndTss) {
    auto r = run_hearth({"analyze", "--json", "--ftp", "250", sample("ride-power.fit")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto lines = json_lines(r.out);
    ASSERT_EQ(lines.size(), 1U);
    const json& ride = lines[0]["activities"][0];
    EXPECT_EQ(ride["sport"], "cycling");
    ASSERT_TRUE(ride.contains("power"));
    EXPECT_TRUE(ride["power"].contains("intensity_factor"));
    EXPECT_TRUE(ride["power"].contains("training_stress_score"));
}

TEST(AnalyzeE2E, BadFileGivesErrorJsonAndExit2WhileOthersAreAnalysed) {
    const std::string dir = make_temp_dir();
    const std::string bad = dir + "/broken.fit";
    {
        std::ifstream in(sample("run-fenix2.fit"), std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), {});
        std::ofstream out(bad, std::ios::binary);
        out << bytes.substr(0, bytes.size() / 2); // truncated
    }
    auto r = run_hearth({"analyze", "--json", bad, sample("run-forerunner410.tcx")});
    EXPECT_EQ(r.exit_code, 2);
    const auto lines = json_lines(r.out);
    ASSERT_EQ(lines.size(), 2U);
    EXPECT_EQ(lines[0]["file"], bad);
    ASSERT_TRUE(lines[0].contains("error"));
    EXPECT_EQ(lines[0]["error"]["code"], "truncated");
    EXPECT_TRUE(lines[0]["error"].contains("message"));
    EXPECT_TRUE(lines[0]["error"].contains("offset"));
    EXPECT_TRUE(lines[1].contains("activities"));
    EXPECT_NE(r.err.find("hearth analyze:"), std::string::npos);

    // --lenient shows what decoded, with a warning.
    auto lenient = run_hearth({"analyze", "--json", "--lenient", bad});
    EXPECT_EQ(lenient.exit_code, 0) << lenient.err;
    const auto partial = json_lines(lenient.out);
    ASSERT_EQ(partial.size(), 1U);
    EXPECT_TRUE(partial[0].contains("warnings"));
    EXPECT_GT(partial[0]["activities"][0]["records"].get<int>(), 0);
    fs::remove_all(dir);
}

TEST(AnalyzeE2E, UsageErrorsExit1) {
    EXPECT_EQ(run_hearth({"analyze"}).exit_code, 1);
    EXPECT_EQ(run_hearth({"analyze", "--zones", "nonsense", sample("run-fenix2.fit")}).exit_code,
              1);
    EXPECT_EQ(run_hearth({"analyze", "--zones", "lthr", sample("run-fenix2.fit")}).exit_code, 1);
    EXPECT_EQ(run_hearth({"convert", sample("run-fenix2.fit")}).exit_code, 1);
}

TEST(ConvertE2E, GpxToFitReadsBackWithTheSameValues) {
    const std::string dir = make_temp_dir();
    const std::string fit = dir + "/run.fit";
    auto c = run_hearth({"convert", sample("run-forerunner410.gpx"), fit});
    ASSERT_EQ(c.exit_code, 0) << c.err;
    auto a = run_hearth({"analyze", "--json", sample("run-forerunner410.gpx"), fit});
    ASSERT_EQ(a.exit_code, 0) << a.err;
    const auto lines = json_lines(a.out);
    ASSERT_EQ(lines.size(), 2U);
    EXPECT_EQ(lines[1]["format"], "fit");
    const json& from_gpx = lines[0]["activities"][0];
    const json& from_fit = lines[1]["activities"][0];
    EXPECT_EQ(from_fit["sport"], from_gpx["sport"]);
    EXPECT_EQ(from_fit["start_time"], from_gpx["start_time"]);
    EXPECT_EQ(from_fit["records"], from_gpx["records"]);
    for (const char* key : {"elapsed_time_s", "timer_time_s", "distance_m"}) {
        EXPECT_NEAR(from_fit[key].get<double>(), from_gpx[key].get<double>(), 0.05) << key;
    }
    for (const char* key : {"avg_heart_rate_bpm", "max_heart_rate_bpm", "ascent_m", "descent_m"}) {
        // FIT stores these totals as whole numbers.
        EXPECT_NEAR(from_fit[key].get<double>(), from_gpx[key].get<double>(), 0.5) << key;
    }
    fs::remove_all(dir);
}

TEST(ConvertE2E, FitToTcxAndGpxAndBadInput) {
    const std::string dir = make_temp_dir();
    auto tcx = run_hearth({"convert", sample("ride-power.fit"), dir + "/ride.tcx"});
    ASSERT_EQ(tcx.exit_code, 0) << tcx.err;
    auto gpx = run_hearth({"convert", sample("ride-power.fit"), dir + "/ride.gpx"});
    ASSERT_EQ(gpx.exit_code, 0) << gpx.err;
    auto a = run_hearth(
        {"analyze", "--json", sample("ride-power.fit"), dir + "/ride.tcx", dir + "/ride.gpx"});
    ASSERT_EQ(a.exit_code, 0) << a.err;
    const auto lines = json_lines(a.out);
    ASSERT_EQ(lines.size(), 3U);
    EXPECT_EQ(lines[1]["format"], "tcx");
    EXPECT_EQ(lines[2]["format"], "gpx");
    const json& fit = lines[0]["activities"][0];
    const json& tcx_ride = lines[1]["activities"][0];
    EXPECT_EQ(tcx_ride["sport"], "cycling");
    EXPECT_NEAR(tcx_ride["distance_m"].get<double>(), fit["distance_m"].get<double>(), 1.0);
    EXPECT_NEAR(tcx_ride["timer_time_s"].get<double>(), fit["timer_time_s"].get<double>(), 1.0);
    EXPECT_EQ(lines[2]["activities"][0]["sport"], "cycling");

    // Unknown output extension: usage; unreadable input: bad input.
    EXPECT_EQ(run_hearth({"convert", sample("ride-power.fit"), dir + "/ride.txt"}).exit_code, 1);
    std::ofstream(dir + "/junk.fit") << "not a fit file";
    EXPECT_EQ(run_hearth({"convert", dir + "/junk.fit", dir + "/out.gpx"}).exit_code, 2);
    fs::remove_all(dir);
}

} // namespace
} // namespace hearth::e2e
