// `hearth swim` and `hearth sleep` on small synthetic recordings written by the test, including
// bad input (missing columns, junk) that must give exit 2 and a clear message.

#include <cmath>
#include <cstdio>
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

class SwimSleepCli : public ::testing::Test {
protected:
    void SetUp() override { m_dir = make_temp_dir(); }
    void TearDown() override { fs::remove_all(m_dir); }

    std::string write(const std::string& name, const std::string& text) {
        const std::string path = (fs::path(m_dir) / name).string();
        std::ofstream(path) << text;
        return path;
    }

    std::string m_dir;
};

// 30 Hz IMU: rest 8 s, two 30 s lengths of strokes (0.6 Hz) separated by an 8 s rest, rest 8 s.
std::string swim_csv() {
    std::ostringstream out;
    out << "t_s,ax,ay,az,gx,gy,gz,mx,my,mz\n";
    const double pi = 3.14159265358979;
    int i = 0;
    for (const auto& [duration_s, swimming, heading] :
         {std::tuple{8, false, 1}, {30, true, 1}, {8, false, -1}, {30, true, -1}, {8, false, -1}}) {
        for (int k = 0; k < duration_s * 30; ++k, ++i) {
            const double t = i / 30.0;
            const double s = swimming ? 1.0 : 0.02;
            const double phase = 2 * pi * 0.6 * t;
            char line[200];
            std::snprintf(line, sizeof line, "%.3f,%.3f,-3,6,%.3f,%.3f,0.1,%d,5,-20\n", t,
                          -6 + 5 * s * std::cos(phase), 4 * s * std::sin(phase),
                          0.5 * s * std::cos(phase), 30 * heading);
            out << line;
        }
    }
    return out.str();
}

// A 6 h night (the model uses the hours from the start and to the end of the recording, so it
// is meant for nights, not naps): awake and moving for 20 min at each end, asleep between; hr
// every 5 s, activity per epoch on its own rows.
std::string sleep_csv() {
    std::ostringstream out;
    out << "t_s,hr,activity\n";
    for (int t = 0; t < 21600; t += 5) {
        const bool awake = t < 1200 || t >= 20400;
        out << t << "," << (awake ? 80 : 55) << ",\n";
        if (t % 30 == 0) {
            out << t << ",," << (awake ? 35 + t % 7 : 0) << "\n";
        }
    }
    return out.str();
}

TEST_F(SwimSleepCli, SwimListsLengthsAndSummary) {
    const std::string file = write("swim.csv", swim_csv());
    const auto rows = run_hearth({"swim", file});
    ASSERT_EQ(rows.exit_code, 0) << rows.err;
    std::istringstream lines(rows.out);
    std::string line;
    std::getline(lines, line);
    EXPECT_EQ(line, "start_s,end_s,style,strokes");
    int lengths = 0;
    while (std::getline(lines, line)) {
        ++lengths;
    }
    EXPECT_EQ(lengths, 2);

    const auto summary = run_hearth({"swim", file, "--pool-length", "50", "--summary"});
    ASSERT_EQ(summary.exit_code, 0) << summary.err;
    const auto j = nlohmann::json::parse(summary.out);
    EXPECT_EQ(j["lengths"], 2);
    EXPECT_DOUBLE_EQ(j["distance_m"].get<double>(), 100.0);
    EXPECT_GT(j["swolf"].get<double>(), 30.0);
}

TEST_F(SwimSleepCli, SleepStagesEveryEpochAndSummarises) {
    const std::string file = write("night.csv", sleep_csv());
    const auto rows = run_hearth({"sleep", file});
    ASSERT_EQ(rows.exit_code, 0) << rows.err;
    std::istringstream lines(rows.out);
    std::string line;
    std::getline(lines, line);
    EXPECT_EQ(line, "start_s,end_s,stage");
    std::getline(lines, line);
    EXPECT_EQ(line.substr(0, 5), "0,30,");
    int epochs = 1;
    int wake_in_sleep = 0;
    while (std::getline(lines, line)) {
        const int start = std::stoi(line);
        const bool awake = start < 1200 || start >= 20400;
        wake_in_sleep += (!awake && line.ends_with(",wake")) ? 1 : 0;
        ++epochs;
    }
    EXPECT_EQ(epochs, 720);
    EXPECT_LT(wake_in_sleep, 30);

    const auto summary = run_hearth({"sleep", file, "--summary"});
    ASSERT_EQ(summary.exit_code, 0) << summary.err;
    const auto j = nlohmann::json::parse(summary.out);
    EXPECT_NEAR(j["time_in_bed_min"].get<double>(), 360.0, 0.01);
    EXPECT_GT(j["time_asleep_min"].get<double>(), 280.0);
    EXPECT_LT(j["time_asleep_min"].get<double>(), 330.0);
}

TEST_F(SwimSleepCli, MissingColumnsAreBadInput) {
    const std::string accel_only = write("a.csv", "t_s,ax,ay,az\n0,1,2,3\n0.1,1,2,3\n");
    const auto swim = run_hearth({"swim", accel_only});
    EXPECT_EQ(swim.exit_code, 2);
    EXPECT_NE(swim.err.find("hearth swim:"), std::string::npos) << swim.err;
    EXPECT_NE(swim.err.find("gx"), std::string::npos) << swim.err;

    const auto sleep = run_hearth({"sleep", accel_only});
    EXPECT_EQ(sleep.exit_code, 2);
    EXPECT_NE(sleep.err.find("hearth sleep:"), std::string::npos) << sleep.err;
    EXPECT_NE(sleep.err.find("hr"), std::string::npos) << sleep.err;

    const std::string junk = write("junk.csv", "t_s,hr,activity\n0,abc,1\n");
    EXPECT_EQ(run_hearth({"sleep", junk}).exit_code, 2);
    EXPECT_EQ(run_hearth({"swim", write("empty.csv", "")}).exit_code, 2);
    EXPECT_EQ(run_hearth({"sleep", (fs::path(m_dir) / "absent.csv").string()}).exit_code, 2);
}

TEST_F(SwimSleepCli, UsageErrors) {
    EXPECT_EQ(run_hearth({"swim"}).exit_code, 1);
    const std::string file = write("swim.csv", swim_csv());
    EXPECT_EQ(run_hearth({"swim", file, "--pool-length", "-3"}).exit_code, 1);
}

} // namespace
} // namespace hearth::e2e
