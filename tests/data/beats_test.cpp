// QRS detection over the MIT-BIH records in the shared data (see docs/beats-hrv.md).

#include <filesystem>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "beats_eval.h"

namespace hearth::eval {
namespace {

double metric(const ReportRow& row, const std::string& name) {
    for (const auto& m : row.metrics) {
        if (m.name == name) {
            return m.value;
        }
    }
    ADD_FAILURE() << "no metric " << name;
    return 0.0;
}

TEST(BeatsData, MitdbSensitivityAndPositivePredictivity) {
    const std::filesystem::path dir = std::filesystem::path(HEARTH_DATA_DIR) / "ecg-beats/mitdb";
    if (!std::filesystem::exists(dir)) {
        GTEST_SKIP() << "no shared data at " << dir;
    }
    std::ostringstream progress;
    const auto report = evaluate_beats(dir, progress);
    ASSERT_TRUE(report.has_value()) << report.error().describe();
    ASSERT_GE(report->rows.size(), 4U);
    // Measured 99.80 / 99.61 (gross, records 100, 103, 105, 106); floors a little below.
    EXPECT_GE(metric(report->overall, "Se %"), 99.5);
    EXPECT_GE(metric(report->overall, "+P %"), 99.3);
    for (const auto& row : report->rows) {
        // Even the noisy 105 stays above 98 %.
        EXPECT_GE(metric(row, "Se %"), 98.5) << row.recording;
        EXPECT_GE(metric(row, "+P %"), 98.0) << row.recording;
    }
}

TEST(BeatsData, MatchingCountsEachBeatOnce) {
    const std::vector<double> ref = {1.0, 2.0, 3.0, 4.0};
    const std::vector<double> det = {0.95, 1.02, 2.2, 3.1, 3.12, 5.0};
    const auto m = match_beats(ref, det);
    EXPECT_EQ(m.true_positives, 2U);  // 1.02 for 1.0 (nearer than 0.95), 3.1 for 3.0
    EXPECT_EQ(m.false_negatives, 2U); // 2.0 (2.2 is 200 ms away) and 4.0
    EXPECT_EQ(m.false_positives, 4U); // 0.95, 2.2, 3.12, 5.0
}

} // namespace
} // namespace hearth::eval
