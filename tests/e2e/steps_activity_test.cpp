// `hearth steps`, `hearth activity` and their eval tasks run as a user runs them, on small
// synthetic recordings written by the test.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "e2e/run_hearth.h"

namespace hearth::e2e {
namespace {

namespace fs = std::filesystem;

// `seconds` of walking at `cadence_spm` (|a| bounces once per step) at `rate_hz`, optionally
// preceded by 10 s standing still; the device is tilted so that no axis holds gravity alone.
std::string walk_csv(double seconds, double rate_hz, double cadence_spm, bool with_gyro) {
    std::ostringstream out;
    out << (with_gyro ? "t_s,ax,ay,az,gx,gy,gz\n" : "t_s,ax,ay,az\n");
    const double pi = std::numbers::pi;
    const double step_hz = cadence_spm / 60.0;
    for (int i = 0; i < static_cast<int>(seconds * rate_hz); ++i) {
        const double t = i / rate_hz;
        const double up = 9.81 + 2.5 * std::sin(2 * pi * step_hz * t);
        const double sway = 1.0 * std::sin(pi * step_hz * t);
        char line[160];
        if (with_gyro) {
            std::snprintf(line, sizeof line, "%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f\n", t,
                          0.6 * up + sway, 0.1, 0.8 * up, 0.8 * sway, 0.2, 0.1);
        } else {
            std::snprintf(line, sizeof line, "%.4f,%.4f,%.4f,%.4f\n", t, 0.6 * up + sway, 0.1,
                          0.8 * up);
        }
        out << line;
    }
    return out.str();
}

std::string write(const fs::path& path, const std::string& text) {
    std::ofstream(path) << text;
    return path.string();
}

std::vector<std::vector<std::string>> parse_rows(const std::string& csv) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(csv);
    std::string line;
    while (std::getline(in, line)) {
        std::vector<std::string> cells;
        std::istringstream cells_in(line);
        std::string cell;
        while (std::getline(cells_in, cell, ',')) {
            cells.push_back(cell);
        }
        rows.push_back(cells);
    }
    return rows;
}

class MotionCommands : public ::testing::Test {
protected:
    void SetUp() override { m_dir = make_temp_dir(); }
    void TearDown() override {
        if (!HasFailure()) {
            fs::remove_all(m_dir);
        }
    }
    fs::path m_dir;
};

TEST_F(MotionCommands, StepsPrintsOneRowPerStep) {
    const auto file = write(m_dir / "walk.csv", walk_csv(30.0, 50.0, 110.0, false));
    const RunResult plain = run_hearth({"steps", file});
    ASSERT_EQ(plain.exit_code, 0) << plain.err;
    const auto plain_rows = parse_rows(plain.out);
    ASSERT_GE(plain_rows.size(), 2U);
    EXPECT_EQ(plain_rows[0], (std::vector<std::string>{"t_s"}));
    EXPECT_EQ(plain_rows[1].size(), 1U);

    const RunResult r = run_hearth({"steps", "--cadence", file});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto rows = parse_rows(r.out);
    ASSERT_EQ(rows.size(), plain_rows.size());
    EXPECT_EQ(rows[0], (std::vector<std::string>{"t_s", "cadence_spm"}));
    EXPECT_NEAR(static_cast<double>(rows.size() - 1), 55.0, 2.0);
    double last = -1.0;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        ASSERT_EQ(rows[i].size(), 2U);
        const double t = std::stod(rows[i][0]);
        EXPECT_GT(t, last);
        last = t;
        EXPECT_NEAR(std::stod(rows[i][1]), 110.0, 5.0);
    }
}

TEST_F(MotionCommands, ActivitySegmentsCoverTheRecording) {
    const auto file = write(m_dir / "walk.csv", walk_csv(40.0, 25.0, 110.0, true));
    const RunResult r = run_hearth({"activity", file});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto rows = parse_rows(r.out);
    ASSERT_GE(rows.size(), 2U);
    EXPECT_EQ(rows[0], (std::vector<std::string>{"start_s", "end_s", "activity"}));
    EXPECT_DOUBLE_EQ(std::stod(rows[1][0]), 0.0);
    EXPECT_NEAR(std::stod(rows.back()[1]), 39.96, 1e-6);
    const std::vector<std::string> names = {"still",   "walking",  "running", "stairs",
                                            "cycling", "swimming", "other"};
    for (std::size_t i = 1; i < rows.size(); ++i) {
        ASSERT_EQ(rows[i].size(), 3U);
        EXPECT_NE(std::find(names.begin(), names.end(), rows[i][2]), names.end()) << rows[i][2];
        EXPECT_LT(std::stod(rows[i][0]), std::stod(rows[i][1]));
        if (i > 1) {
            EXPECT_EQ(rows[i][0], rows[i - 1][1]); // contiguous
            EXPECT_NE(rows[i][2], rows[i - 1][2]); // merged
        }
    }
}

TEST_F(MotionCommands, ActivityFeaturesForTraining) {
    const auto file = write(m_dir / "walk.csv", walk_csv(20.0, 20.0, 110.0, false));
    const RunResult r = run_hearth({"activity", "--features", file});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto rows = parse_rows(r.out);
    // Windows end at 5, 7.5, ..., 17.5 s: the last period (to 20 s) is still open.
    ASSERT_EQ(rows.size(), 1U + 6U);
    EXPECT_EQ(rows[0][0], "start_s");
    EXPECT_EQ(rows[0][3], "mag_mean");
    EXPECT_EQ(rows[1].size(), rows[0].size());
    EXPECT_EQ(rows[1][2], "0"); // no gyroscope
}

TEST_F(MotionCommands, MissingAccelerometerColumnsIsBadInput) {
    const auto file = write(m_dir / "ppg.csv", "t_s,ppg,ax\n0,1,2\n0.1,1,2\n");
    for (const std::string cmd : {"steps", "activity"}) {
        const RunResult r = run_hearth({cmd, file});
        EXPECT_EQ(r.exit_code, 2) << cmd;
        EXPECT_TRUE(r.out.empty()) << cmd;
        EXPECT_NE(r.err.find("hearth " + cmd + ": "), std::string::npos) << r.err;
        EXPECT_NE(r.err.find("ax, ay, az"), std::string::npos) << r.err;
    }
}

TEST_F(MotionCommands, MalformedOrMissingInput) {
    const auto broken = write(m_dir / "broken.csv", "t_s,ax,ay,az\n0,1,2,3\n0.1,1,zz,3\n");
    for (const std::string cmd : {"steps", "activity"}) {
        const RunResult bad = run_hearth({cmd, broken});
        EXPECT_EQ(bad.exit_code, 2) << cmd;
        EXPECT_NE(bad.err.find("line 3"), std::string::npos) << bad.err;
        EXPECT_EQ(run_hearth({cmd, (m_dir / "absent.csv").string()}).exit_code, 2) << cmd;
        EXPECT_EQ(run_hearth({cmd}).exit_code, 1) << cmd;
    }
    // Too short for one activity window.
    const auto short_file = write(m_dir / "short.csv", walk_csv(2.0, 25.0, 110.0, false));
    const RunResult r = run_hearth({"activity", short_file});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("shorter than one 5 s window"), std::string::npos) << r.err;
}

TEST_F(MotionCommands, EvalStepsScoresTheTotal) {
    write(m_dir / "rec.csv", walk_csv(30.0, 100.0, 120.0, false));
    write(m_dir / "rec.ref.csv", "t_s,steps\n30.0,60\n");
    const RunResult r = run_hearth({"eval", "steps", m_dir.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("## steps"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("| rec | 60 |"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("abs_error_pct"), std::string::npos);
}

TEST_F(MotionCommands, EvalActivityScoresEachSecond) {
    write(m_dir / "rec.csv", walk_csv(30.0, 25.0, 110.0, true));
    write(m_dir / "rec.ref.csv", "start_s,end_s,activity\n0.0,29.9,walking\n");
    const RunResult r = run_hearth({"eval", "activity", m_dir.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("## activity"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("| rec | 30 |"), std::string::npos) << r.out; // seconds 0..29
    EXPECT_NE(r.out.find("macro_f1"), std::string::npos);
}

} // namespace
} // namespace hearth::e2e
