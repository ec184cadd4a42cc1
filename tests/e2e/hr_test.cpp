// `hearth hr FILE.csv` and `hearth eval hr DIR` run as a user runs them, on small synthetic
// recordings written by the test.

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

// 40 s at `rate_hz` of a 84 BPM pulse with a 2.4 Hz arm motion seen by PPG and accelerometer.
std::string synthetic_csv(double rate_hz, bool with_accel) {
    std::ostringstream out;
    out << (with_accel ? "t_s,ppg,ax,ay,az\n" : "t_s,ppg\n");
    const double pi = std::numbers::pi;
    for (int i = 0; i < static_cast<int>(40.0 * rate_hz); ++i) {
        const double t = i / rate_hz;
        const double pulse = std::sin(2 * pi * 1.4 * t) + 0.3 * std::sin(4 * pi * 1.4 * t);
        const double motion = std::sin(2 * pi * 2.4 * t);
        char line[128];
        if (with_accel) {
            std::snprintf(line, sizeof line, "%.4f,%.3f,%.3f,%.3f,%.3f\n", t,
                          1000.0 + pulse + 1.5 * motion, 5.0 * motion, 1.0 * motion, 9.81);
        } else {
            std::snprintf(line, sizeof line, "%.4f,%.3f\n", t, 1000.0 + pulse);
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

class HrCommand : public ::testing::Test {
protected:
    void SetUp() override { m_dir = make_temp_dir(); }
    void TearDown() override {
        if (!HasFailure()) {
            fs::remove_all(m_dir);
        }
    }
    fs::path m_dir;
};

TEST_F(HrCommand, PrintsOneRowEveryTwoSecondsAfterEight) {
    const auto file = write(m_dir / "run.csv", synthetic_csv(64.0, true));
    const RunResult r = run_hearth({"hr", file});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto rows = parse_rows(r.out);
    ASSERT_GE(rows.size(), 2U);
    EXPECT_EQ(rows[0], (std::vector<std::string>{"t_s", "bpm", "quality"}));
    // 8, 10, ..., 40 s: the last sample (39.984 s) completes the window ending at 40 s.
    ASSERT_EQ(rows.size(), 1U + 17U);
    for (std::size_t i = 1; i < rows.size(); ++i) {
        ASSERT_EQ(rows[i].size(), 3U);
        EXPECT_DOUBLE_EQ(std::stod(rows[i][0]), 8.0 + 2.0 * static_cast<double>(i - 1));
        EXPECT_NEAR(std::stod(rows[i][1]), 84.0, 2.0) << r.out;
        EXPECT_EQ(rows[i][2], "motion");
    }
}

TEST_F(HrCommand, MissingAccelerometerColumnsIsBadInput) {
    const auto file = write(m_dir / "ppg_only.csv", synthetic_csv(64.0, false));
    const RunResult r = run_hearth({"hr", file});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(r.out.empty());
    EXPECT_NE(r.err.find("hearth hr: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("'ax'"), std::string::npos) << r.err;
}

TEST_F(HrCommand, MalformedCsvIsBadInput) {
    const auto file = write(m_dir / "broken.csv", "t_s,ppg,ax,ay,az\n0.0,1,2,3,4\n0.1,x,2,3,4\n");
    const RunResult r = run_hearth({"hr", file});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("line 3"), std::string::npos) << r.err;
}

TEST_F(HrCommand, MissingFileIsBadInputAndNoArgumentIsUsage) {
    EXPECT_EQ(run_hearth({"hr", (m_dir / "absent.csv").string()}).exit_code, 2);
    EXPECT_EQ(run_hearth({"hr"}).exit_code, 1);
}

TEST_F(HrCommand, EvalScoresAgainstAReference) {
    write(m_dir / "rec.csv", synthetic_csv(128.0, true));
    std::string ref = "t_s,bpm\n";
    for (int t = 8; t <= 40; t += 2) {
        ref += std::to_string(t) + ".000,84.0\n";
    }
    write(m_dir / "rec.ref.csv", ref);
    const RunResult r = run_hearth({"eval", "hr", m_dir.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("| rec |"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("mae_bpm"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("hr: rec"), std::string::npos) << r.err;
}

} // namespace
} // namespace hearth::e2e
