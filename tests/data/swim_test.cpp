// Swimming over the Brunner et al. 2019 recordings: the share of files with exactly the right
// number of lengths and the style accuracy per length stay above floors a little below what
// `hearth eval swim` measures (docs/swim-sleep.md).

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "report.h"
#include "swim_eval.h"

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

TEST(SwimData, LengthsAndStylesOnBrunner2019) {
    const fs::path dir = fs::path(HEARTH_DATA_DIR) / "swim" / "brunner2019";
    if (!fs::exists(dir)) {
        GTEST_SKIP() << "shared data not found at " << dir;
    }
    const Report report = evaluate_swim(dir);
    ASSERT_GE(report.rows.size(), 20U);
    EXPECT_GE(overall(report, "exact_pct"), 90.0);     // measured 96.7
    EXPECT_GE(overall(report, "style_acc_pct"), 95.0); // measured 98.4
}

} // namespace
} // namespace hearth::eval
