// `hearth beats` and `hearth hrv` run as a user runs them, on small files made here.

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e/run_hearth.h"

namespace hearth::e2e {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

// Beat times every 0.8 s from 0.5 s.
std::vector<double> beat_times(double duration_s) {
    std::vector<double> out;
    for (double t = 0.5; t < duration_s - 0.5; t += 0.8) {
        out.push_back(t);
    }
    return out;
}

// A 250 Hz ECG (narrow R waves) as a sensor CSV.
std::string ecg_csv(const std::vector<double>& beats, double duration_s) {
    std::ostringstream out;
    out << "t_s,ecg\n";
    for (int i = 0; i < static_cast<int>(duration_s * 250.0); ++i) {
        const double t = i / 250.0;
        double v = 0.1 * std::sin(t);
        for (double b : beats) {
            const double d = (t - b) / 0.012;
            v += std::fabs(d) < 20.0 ? std::exp(-0.5 * d * d) : 0.0;
        }
        out << t << "," << v << "\n";
    }
    return out.str();
}

// A 50 Hz PPG (steep rise, slow fall) with an accelerometer column at another rate.
std::string ppg_csv(const std::vector<double>& beats, double duration_s) {
    std::ostringstream out;
    out << "t_s,ax,ppg\n";
    for (int i = 0; i < static_cast<int>(duration_s * 50.0); ++i) {
        const double t = i / 50.0;
        double v = 100.0;
        for (double b : beats) {
            const double d = t - b;
            const double w = d < 0.0 ? 0.06 : 0.18;
            v += std::fabs(d) < 1.0 ? 50.0 * std::exp(-0.5 * (d / w) * (d / w)) : 0.0;
        }
        out << t << "," << (i % 2 == 0 ? "0.1" : "") << "," << v << "\n";
    }
    return out.str();
}

std::vector<double> parse_beats(const std::string& out) {
    std::istringstream in(out);
    std::string line;
    std::getline(in, line);
    EXPECT_EQ(line, "t_s");
    std::vector<double> t;
    while (std::getline(in, line)) {
        t.push_back(std::stod(line));
    }
    return t;
}

class BeatsHrvE2e : public ::testing::Test {
protected:
    void SetUp() override { m_dir = make_temp_dir(); }
    void TearDown() override { fs::remove_all(m_dir); }
    fs::path m_dir;
};

TEST_F(BeatsHrvE2e, BeatsFromAnEcgCsv) {
    const auto beats = beat_times(30.0);
    write(m_dir / "ecg.csv", ecg_csv(beats, 30.0));
    const auto r = run_hearth({"beats", (m_dir / "ecg.csv").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto found = parse_beats(r.out);
    ASSERT_EQ(found.size(), beats.size());
    for (std::size_t i = 0; i < found.size(); ++i) {
        EXPECT_NEAR(found[i], beats[i], 0.03);
    }
}

TEST_F(BeatsHrvE2e, BeatsFromAPpgCsv) {
    const auto beats = beat_times(40.0);
    write(m_dir / "ppg.csv", ppg_csv(beats, 40.0));
    const auto r = run_hearth({"beats", (m_dir / "ppg.csv").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto found = parse_beats(r.out);
    // The first pulses fall in the detector's settling time.
    ASSERT_GE(found.size(), beats.size() - 4);
    ASSERT_LE(found.size(), beats.size());
    EXPECT_NEAR(found.back(), beats.back(), 0.04);
}

TEST_F(BeatsHrvE2e, BeatsRejectsBadInput) {
    write(m_dir / "accel.csv", "t_s,ax,ay,az\n0,1,2,3\n0.01,1,2,3\n");
    auto r = run_hearth({"beats", (m_dir / "accel.csv").string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("hearth beats:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("needs an ecg or a ppg column"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());

    write(m_dir / "slow.csv", "t_s,ecg\n0,1\n1,2\n2,3\n3,4\n");
    r = run_hearth({"beats", (m_dir / "slow.csv").string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("Hz"), std::string::npos) << r.err;

    write(m_dir / "rec.hea", "rec 1 360 10\nrec.dat 212 200 11 0 0 0 0 MLII\n");
    r = run_hearth({"beats", (m_dir / "rec.hea").string()});
    EXPECT_EQ(r.exit_code, 2); // the signal file is missing
    EXPECT_NE(r.err.find("rec.dat"), std::string::npos) << r.err;

    r = run_hearth({"beats"});
    EXPECT_EQ(r.exit_code, 1);
}

TEST_F(BeatsHrvE2e, HrvFromABeatsCsvWithTypes) {
    std::ostringstream csv;
    csv << "t_s,type\n";
    double t = 1.0;
    for (int i = 0; i < 400; ++i) {
        // 800 +/- 20 ms alternating, with one premature ventricular beat.
        t += i % 2 == 0 ? 0.78 : 0.82;
        csv << t << "," << (i == 200 ? "V" : "N") << "\n";
    }
    write(m_dir / "beats.csv", csv.str());
    const auto r = run_hearth({"hrv", (m_dir / "beats.csv").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    for (const char* key : {"mean_nn_ms", "sdnn_ms", "rmssd_ms", "pnn50_pct", "lf_ms2", "hf_ms2",
                            "lf_hf", "n_beats", "n_nn"}) {
        EXPECT_TRUE(j.contains(key)) << key;
    }
    EXPECT_EQ(j["n_beats"], 400);
    EXPECT_EQ(j["n_nn"], 397); // 399 intervals, two touch the V beat
    EXPECT_NEAR(j["mean_nn_ms"].get<double>(), 800.0, 0.2);
    EXPECT_NEAR(j["sdnn_ms"].get<double>(), 20.0, 0.2);
    EXPECT_NEAR(j["rmssd_ms"].get<double>(), 40.0, 0.2);
    EXPECT_NEAR(j["pnn50_pct"].get<double>(), 0.0, 1e-9);
}

std::vector<std::uint8_t> ann_word(unsigned code, unsigned value) {
    const unsigned w = (code << 10U) | value;
    return {static_cast<std::uint8_t>(w & 0xFFU), static_cast<std::uint8_t>(w >> 8U)};
}

TEST_F(BeatsHrvE2e, HrvFromAWfdbAnnotationFile) {
    write(m_dir / "rec.hea", "rec 0 128 0\n");
    std::string bytes;
    for (int i = 0; i < 100; ++i) {
        // Normal beats every 100 samples (781.25 ms at 128 Hz).
        for (auto b : ann_word(1, 100)) {
            bytes.push_back(static_cast<char>(b));
        }
    }
    bytes.append(2, '\0');
    write(m_dir / "rec.ecg", bytes);
    const auto r = run_hearth({"hrv", (m_dir / "rec.ecg").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["n_beats"], 100);
    EXPECT_EQ(j["n_nn"], 99);
    EXPECT_NEAR(j["mean_nn_ms"].get<double>(), 781.25, 0.5);
    EXPECT_TRUE(j["lf_ms2"].is_null()); // 78 s is too short for a 128 s frame
}

TEST_F(BeatsHrvE2e, HrvRejectsBadInput) {
    write(m_dir / "nobeats.csv", "time,type\n1,N\n");
    auto r = run_hearth({"hrv", (m_dir / "nobeats.csv").string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("hearth hrv:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("t_s"), std::string::npos) << r.err;

    write(m_dir / "orphan.atr", std::string("\x01\x04\0\0", 4));
    r = run_hearth({"hrv", (m_dir / "orphan.atr").string()});
    EXPECT_EQ(r.exit_code, 2); // no orphan.hea beside it
    EXPECT_NE(r.err.find("orphan.hea"), std::string::npos) << r.err;
}

TEST(BeatsHrvData, MitdbRecordThroughTheCli) {
    const fs::path hea = fs::path(HEARTH_DATA_DIR) / "ecg-beats/mitdb/100.hea";
    if (!fs::exists(hea)) {
        GTEST_SKIP() << "no shared data at " << hea;
    }
    const auto r = run_hearth({"beats", hea.string(), "--channel", "0"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto found = parse_beats(r.out);
    EXPECT_NEAR(static_cast<double>(found.size()), 2273.0, 5.0); // annotated beats in 100
}

} // namespace
} // namespace hearth::e2e
