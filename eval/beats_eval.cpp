#include "beats_eval.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "health/pulse_detector.h"
#include "health/qrs_detector.h"
#include "wfdb/wfdb.h"

namespace hearth::eval {

namespace {

// Small enough that the detectors' output queues cannot overflow between pulls.
constexpr std::size_t block = 64;

template <class Detector, class Sample>
std::vector<double> run_detector(Detector& detector, std::span<const Sample> samples) {
    std::vector<double> out;
    auto drain = [&] {
        while (auto beat = detector.pull()) {
            out.push_back(static_cast<double>(beat->t_ms) / 1000.0);
        }
    };
    for (std::size_t i = 0; i < samples.size(); i += block) {
        detector.push(samples.subspan(i, std::min(block, samples.size() - i)));
        drain();
    }
    detector.finish();
    drain();
    return out;
}

double pct(std::size_t num, std::size_t den) {
    return den == 0 ? 0.0 : 100.0 * static_cast<double>(num) / static_cast<double>(den);
}

} // namespace

float estimate_sample_rate_hz(std::span<const engine::TimeMs> t_ms) {
    if (t_ms.size() < 2) {
        return 0.0F;
    }
    // Over a stretch of up to 1000 intervals, robust to the 1 ms rounding of the times.
    const std::size_t n = std::min<std::size_t>(t_ms.size() - 1, 1000);
    std::vector<double> spans;
    const std::size_t step = std::max<std::size_t>(1, (t_ms.size() - 1) / 101);
    for (std::size_t i = 0; i + n < t_ms.size() && spans.size() < 101; i += step) {
        const auto dt = static_cast<double>(t_ms[i + n] - t_ms[i]);
        if (dt > 0.0) {
            spans.push_back(dt / static_cast<double>(n));
        }
    }
    if (spans.empty()) {
        return 0.0F;
    }
    std::nth_element(spans.begin(), spans.begin() + static_cast<std::ptrdiff_t>(spans.size() / 2),
                     spans.end());
    return static_cast<float>(1000.0 / spans[spans.size() / 2]);
}

template <class Sample> float rate_of(std::span<const Sample> samples, float sample_rate_hz) {
    if (sample_rate_hz > 0.0F) {
        return sample_rate_hz;
    }
    std::vector<engine::TimeMs> t_ms;
    t_ms.reserve(samples.size());
    for (const Sample& s : samples) {
        t_ms.push_back(s.t_ms);
    }
    return estimate_sample_rate_hz(t_ms);
}

tl::unexpected<formats::Error> bad_rate(const char* what, float rate, float lo, float hi) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%s sampled at %.1f Hz; the detector needs %.0f..%.0f Hz", what,
                  static_cast<double>(rate), static_cast<double>(lo), static_cast<double>(hi));
    return formats::make_error("beats", formats::ErrorCode::InvalidValue, buf);
}

formats::Result<std::vector<double>> detect_qrs(std::span<const engine::EcgSample> samples,
                                                float sample_rate_hz) {
    engine::health::QrsDetectorConfig config;
    config.sample_rate_hz = rate_of(samples, sample_rate_hz);
    if (!config.validate()) {
        return bad_rate("ECG", config.sample_rate_hz, config.min_sample_rate_hz,
                        config.max_sample_rate_hz);
    }
    engine::health::QrsDetector detector(config);
    return run_detector(detector, samples);
}

formats::Result<std::vector<double>> detect_pulses(std::span<const engine::PpgSample> samples,
                                                   float sample_rate_hz) {
    engine::health::PulseDetectorConfig config;
    config.sample_rate_hz = rate_of(samples, sample_rate_hz);
    if (!config.validate()) {
        return bad_rate("PPG", config.sample_rate_hz, config.min_sample_rate_hz,
                        config.max_sample_rate_hz);
    }
    engine::health::PulseDetector detector(config);
    return run_detector(detector, samples);
}

double BeatMatch::sensitivity_pct() const {
    return pct(true_positives, true_positives + false_negatives);
}

double BeatMatch::positive_predictivity_pct() const {
    return pct(true_positives, true_positives + false_positives);
}

BeatMatch& BeatMatch::operator+=(const BeatMatch& other) {
    true_positives += other.true_positives;
    false_negatives += other.false_negatives;
    false_positives += other.false_positives;
    return *this;
}

BeatMatch match_beats(std::span<const double> reference_s, std::span<const double> detected_s,
                      double window_s) {
    BeatMatch m;
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < reference_s.size() && j < detected_s.size()) {
        const double r = reference_s[i];
        const double d = detected_s[j];
        if (d < r - window_s) {
            ++m.false_positives;
            ++j;
        } else if (d > r + window_s) {
            ++m.false_negatives;
            ++i;
        } else if (j + 1 < detected_s.size() &&
                   std::fabs(detected_s[j + 1] - r) < std::fabs(d - r)) {
            // The next detection is nearer to this beat; this one matches nothing.
            ++m.false_positives;
            ++j;
        } else if (i + 1 < reference_s.size() &&
                   std::fabs(reference_s[i + 1] - d) < std::fabs(d - r)) {
            ++m.false_negatives;
            ++i;
        } else {
            ++m.true_positives;
            ++i;
            ++j;
        }
    }
    m.false_negatives += reference_s.size() - i;
    m.false_positives += detected_s.size() - j;
    return m;
}

formats::Result<Report> evaluate_beats(const std::filesystem::path& dir, std::ostream& progress) {
    std::vector<std::filesystem::path> headers;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const auto& p = entry.path();
        if (p.extension() == ".hea" &&
            std::filesystem::exists(std::filesystem::path(p).replace_extension(".atr"))) {
            headers.push_back(p);
        }
    }
    if (ec) {
        return formats::make_error("eval", formats::ErrorCode::Io,
                                   dir.string() + ": " + ec.message());
    }
    std::sort(headers.begin(), headers.end());

    Report report;
    report.task = "beats";
    BeatMatch total;
    std::size_t total_ref = 0;
    for (const auto& hea : headers) {
        const std::string name = hea.stem().string();
        progress << "beats: " << name << "\n";
        auto record = formats::read_wfdb_record(hea);
        if (!record) {
            return tl::unexpected(record.error());
        }
        if (record->signals.empty()) {
            report.notes.push_back(name + ": no signals, skipped");
            continue;
        }
        auto annotations =
            formats::read_wfdb_annotations(std::filesystem::path(hea).replace_extension(".atr"));
        if (!annotations) {
            return tl::unexpected(annotations.error());
        }
        const double fs = record->header.sample_rate_hz;
        std::vector<double> reference;
        for (const auto& a : *annotations) {
            if (formats::is_wfdb_beat(a.code)) {
                reference.push_back(static_cast<double>(a.sample) / fs);
            }
        }
        const auto samples = formats::wfdb_ecg_samples(*record, 0);
        const auto detected = detect_qrs(samples, static_cast<float>(fs));
        if (!detected) {
            report.notes.push_back(name + ": " + detected.error().describe() + ", skipped");
            continue;
        }
        const BeatMatch m = match_beats(reference, *detected);
        total += m;
        total_ref += reference.size();
        report.rows.push_back({name,
                               {{"beats", static_cast<double>(reference.size()), 0},
                                {"TP", static_cast<double>(m.true_positives), 0},
                                {"FN", static_cast<double>(m.false_negatives), 0},
                                {"FP", static_cast<double>(m.false_positives), 0},
                                {"Se %", m.sensitivity_pct(), 2},
                                {"+P %", m.positive_predictivity_pct(), 2}}});
    }
    report.overall = {"overall (gross)",
                      {{"beats", static_cast<double>(total_ref), 0},
                       {"TP", static_cast<double>(total.true_positives), 0},
                       {"FN", static_cast<double>(total.false_negatives), 0},
                       {"FP", static_cast<double>(total.false_positives), 0},
                       {"Se %", total.sensitivity_pct(), 2},
                       {"+P %", total.positive_predictivity_pct(), 2}}};
    report.notes.push_back("Channel 0 (MLII in MIT-BIH); the whole record is scored, including "
                           "the detector's 2 s learning period; 150 ms matching window.");
    report.notes.push_back("Target: Se and +P >= 99.5 % (Pan-Tompkins: 99.75 / 99.54 on all "
                           "48 MIT-BIH records).");
    return report;
}

} // namespace hearth::eval
