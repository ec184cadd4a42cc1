// Sleep staging over the Walch et al. 2019 nights: pooled sleep/wake accuracy, wake
// specificity, wake/NREM/REM accuracy and kappa stay above floors a little below what
// `hearth eval sleep` measures (docs/swim-sleep.md). The model was trained on these nights, so
// the leave-one-night-out numbers of tools/train_sleep.py are the honest ones; these floors
// guard the C++ port and the features against regressions.

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "report.h"
#include "sleep_eval.h"
#include "sleep_live_eval.h"

namespace hearth::eval {
namespace {

namespace fs = std::filesystem;

double overall(const Report& report, const std::string& name) {
    for (const auto& m : report.overall.metrics) {
        if (m.name == name) {
            return m.value;
        }
    }
    ADD_FAILURE() << "no overall metric " << name;
    return 0.0;
}

TEST(SleepData, StagesOnWalch2019) {
    const fs::path dir = fs::path(HEARTH_DATA_DIR) / "sleep" / "walch2019";
    if (!fs::exists(dir)) {
        GTEST_SKIP() << "shared data not found at " << dir;
    }
    const Report report = evaluate_sleep(dir);
    ASSERT_GE(report.rows.size(), 10U);
    EXPECT_GE(overall(report, "sleep_wake_acc_pct"), 90.0); // measured 91.9
    EXPECT_GE(overall(report, "wake_spec_pct"), 60.0);      // measured 64.7
    EXPECT_GE(overall(report, "wnr_acc_pct"), 74.0);        // measured 76.7
    EXPECT_GE(overall(report, "wnr_kappa"), 0.45);          // measured 0.485
}

// The live (causal) detector on the same nights: floors a little below `hearth eval sleep-live`.
TEST(SleepData, LiveDetectionOnWalch2019) {
    const fs::path dir = fs::path(HEARTH_DATA_DIR) / "sleep" / "walch2019";
    if (!fs::exists(dir)) {
        GTEST_SKIP() << "shared data not found at " << dir;
    }
    const Report report = evaluate_sleep_live(dir);
    ASSERT_GE(report.rows.size(), 10U);
    EXPECT_LE(overall(report, "onset_err_min"), 9.0);  // measured 7.2
    EXPECT_GE(overall(report, "epoch_acc_pct"), 84.0); // measured 85.5
    EXPECT_GE(overall(report, "night_acc_pct"), 91.5); // measured 92.7
    EXPECT_LE(overall(report, "transitions"), 14.0);   // measured 12
}

} // namespace
} // namespace hearth::eval
