// HRV over the NSR2DB annotations in the shared data: the engine's streaming float path
// against the double-precision reference of the same NN rule (see docs/beats-hrv.md).

#include <filesystem>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "hrv_eval.h"
#include "wfdb/wfdb.h"

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

std::filesystem::path nsr2db() {
    return std::filesystem::path(HEARTH_DATA_DIR) / "rr-hrv/nsr2db";
}

TEST(HrvData, EngineAgreesWithTheReferenceWithinOnePercent) {
    if (!std::filesystem::exists(nsr2db())) {
        GTEST_SKIP() << "no shared data at " << nsr2db();
    }
    std::ostringstream progress;
    const auto report = evaluate_hrv(nsr2db(), progress);
    ASSERT_TRUE(report.has_value()) << report.error().describe();
    ASSERT_FALSE(report->rows.empty());
    // Measured: 0.001 %, 0.003 %, 0.009 % on nsr001.
    EXPECT_LT(metric(report->overall, "mean NN err %"), 0.5);
    EXPECT_LT(metric(report->overall, "SDNN err %"), 0.5);
    EXPECT_LT(metric(report->overall, "RMSSD err %"), 0.5);
}

TEST(HrvData, Nsr001IsAPlausibleDay) {
    const auto ann = nsr2db() / "nsr001.ecg";
    if (!std::filesystem::exists(ann)) {
        GTEST_SKIP() << "no shared data at " << ann;
    }
    const auto header = formats::read_wfdb_header(nsr2db() / "nsr001.hea");
    ASSERT_TRUE(header.has_value()) << header.error().describe();
    const auto annotations = formats::read_wfdb_annotations(ann);
    ASSERT_TRUE(annotations.has_value()) << annotations.error().describe();
    const auto hrv = compute_hrv(formats::wfdb_beat_events(*annotations, header->sample_rate_hz));
    // About 24 h of sinus rhythm: over 100 000 beats, nearly all of them NN.
    EXPECT_GT(hrv.n_beats, 100000U);
    EXPECT_GT(hrv.n_nn, 0.98 * hrv.n_beats);
    EXPECT_GT(hrv.mean_nn_ms, 600.0F);
    EXPECT_LT(hrv.mean_nn_ms, 1000.0F);
    // 24 h SDNN of healthy adults is typically 100-200 ms (Task Force 1996: 141 +/- 39 ms).
    EXPECT_GT(hrv.sdnn_ms, 80.0F);
    EXPECT_LT(hrv.sdnn_ms, 250.0F);
    EXPECT_GT(hrv.n_frames, 1000U);
    EXPECT_GT(hrv.lf_hf, 0.5F);
    EXPECT_LT(hrv.lf_hf, 10.0F);
}

} // namespace
} // namespace hearth::eval
