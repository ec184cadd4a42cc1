#include "activity_eval.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>

#include "common/file.h"
#include "sensor_csv/csv.h"

namespace hearth::eval {

namespace health = engine::health;

namespace {

constexpr double max_gyro_age_s = 0.2;

} // namespace

formats::Result<std::vector<health::ImuSample>> imu_samples(const formats::SensorTable& table) {
    const auto ax = table.column("ax");
    const auto ay = table.column("ay");
    const auto az = table.column("az");
    if (!ax || !ay || !az) {
        return formats::make_error("csv", formats::ErrorCode::MissingField,
                                   "activity recognition needs accelerometer columns ax, ay, az");
    }
    const auto gx = table.column("gx");
    const auto gy = table.column("gy");
    const auto gz = table.column("gz");
    const bool has_gyro_columns = gx && gy && gz;
    std::vector<health::ImuSample> out;
    out.reserve(table.rows());
    bool have_gyro = false;
    double gyro_t_s = 0.0;
    std::array<float, 3> gyro{};
    for (std::size_t r = 0; r < table.rows(); ++r) {
        if (has_gyro_columns) {
            const float x = table.values[*gx][r];
            const float y = table.values[*gy][r];
            const float z = table.values[*gz][r];
            if (std::isfinite(x) && std::isfinite(y) && std::isfinite(z)) {
                gyro = {x, y, z};
                gyro_t_s = table.t_s[r];
                have_gyro = true;
            }
        }
        const float x = table.values[*ax][r];
        const float y = table.values[*ay][r];
        const float z = table.values[*az][r];
        if (!std::isfinite(x) || !std::isfinite(y) || !std::isfinite(z)) {
            continue;
        }
        health::ImuSample s;
        s.t_ms = formats::to_time_ms(table.t_s[r]);
        s.ax = x;
        s.ay = y;
        s.az = z;
        if (have_gyro && table.t_s[r] - gyro_t_s <= max_gyro_age_s) {
            s.gx = gyro[0];
            s.gy = gyro[1];
            s.gz = gyro[2];
            s.has_gyro = true;
        }
        out.push_back(s);
    }
    return out;
}

formats::Result<std::vector<health::ActivityWindow>>
activity_windows(const formats::SensorTable& table) {
    auto samples = imu_samples(table);
    if (!samples) {
        return tl::unexpected(samples.error());
    }
    health::ActivityWindower windower;
    std::vector<health::ActivityWindow> out;
    constexpr std::size_t block = health::ActivityWindower::hop_samples;
    for (std::size_t i = 0; i < samples->size(); i += block) {
        windower.push(std::span<const health::ImuSample>(samples->data() + i,
                                                         std::min(block, samples->size() - i)));
        while (auto w = windower.pull()) {
            out.push_back(*w);
        }
    }
    return out;
}

formats::Result<std::vector<ActivitySegment>>
classify_activity(const formats::SensorTable& table,
                  const health::ActivityClassifierConfig& config) {
    auto samples = imu_samples(table);
    if (!samples) {
        return tl::unexpected(samples.error());
    }
    health::ActivityClassifier classifier(config);
    std::vector<health::ActivityDecision> decisions;
    // Small blocks: even 1 Hz input (8 s a block, at most 4 windows) cannot overflow the
    // classifier's queue of 8 decisions between pulls.
    constexpr std::size_t block = 8;
    for (std::size_t i = 0; i < samples->size(); i += block) {
        classifier.push(std::span<const health::ImuSample>(samples->data() + i,
                                                           std::min(block, samples->size() - i)));
        while (auto d = classifier.pull()) {
            decisions.push_back(*d);
        }
    }
    classifier.finish();
    while (auto d = classifier.pull()) {
        decisions.push_back(*d);
    }
    std::vector<ActivitySegment> out;
    if (decisions.empty() || table.rows() == 0) {
        return out;
    }
    std::stable_sort(decisions.begin(), decisions.end(),
                     [](const auto& a, const auto& b) { return a.start_ms < b.start_ms; });
    const double first_s = table.t_s.front();
    const double last_s = table.t_s.back();
    for (std::size_t i = 0; i < decisions.size(); ++i) {
        const auto& d = decisions[i];
        double start = static_cast<double>(d.start_ms) / 1000.0;
        double end = static_cast<double>(d.end_ms) / 1000.0;
        if (i == 0) {
            start = first_s;
        } else if (start > out.back().end_s) {
            // A gap between decisions: each side takes half of it.
            const double middle = 0.5 * (start + out.back().end_s);
            out.back().end_s = middle;
            start = middle;
        } else {
            start = out.back().end_s;
        }
        if (i + 1 == decisions.size()) {
            end = std::max(end, last_s);
        }
        if (end <= start) {
            continue;
        }
        if (!out.empty() && out.back().activity == d.activity &&
            std::fabs(out.back().end_s - start) < 1e-9) {
            out.back().end_s = end;
        } else {
            out.push_back({start, end, d.activity});
        }
    }
    return out;
}

formats::Result<std::vector<ActivitySegment>>
read_activity_reference(const std::filesystem::path& path) {
    auto text = formats::read_file_text(path);
    if (!text) {
        return tl::unexpected(text.error());
    }
    auto rows = formats::parse_csv(*text);
    if (!rows) {
        return tl::unexpected(rows.error());
    }
    const int start_col = rows->column("start_s");
    const int end_col = rows->column("end_s");
    int label_col = rows->column("activity");
    if (start_col < 0 || end_col < 0 || label_col < 0) {
        return formats::make_error("csv", formats::ErrorCode::MissingField,
                                   "reference needs start_s, end_s and activity columns");
    }
    std::vector<ActivitySegment> out;
    for (std::size_t r = 0; r < rows->rows.size(); ++r) {
        const auto& row = rows->rows[r];
        const std::size_t line = rows->row_lines[r];
        const auto cell = [&row](int c) -> std::string_view {
            return static_cast<std::size_t>(c) < row.size() ? std::string_view(row[c])
                                                            : std::string_view();
        };
        ActivitySegment seg;
        if (!formats::parse_number(cell(start_col), seg.start_s) ||
            !formats::parse_number(cell(end_col), seg.end_s)) {
            return formats::make_error("csv", formats::ErrorCode::InvalidSyntax,
                                       "start_s/end_s is not a number", std::nullopt, line);
        }
        const auto activity = health::activity_from_string(cell(label_col));
        if (!activity || seg.end_s < seg.start_s) {
            return formats::make_error("csv", formats::ErrorCode::InvalidValue,
                                       !activity ? "unknown activity '" +
                                                       std::string(cell(label_col)) + "'"
                                                 : std::string("end_s before start_s"),
                                       std::nullopt, line);
        }
        seg.activity = *activity;
        out.push_back(seg);
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.start_s < b.start_s; });
    return out;
}

health::Activity activity_at(const std::vector<ActivitySegment>& segments, double t_s) {
    auto it = std::upper_bound(segments.begin(), segments.end(), t_s,
                               [](double t, const ActivitySegment& s) { return t < s.start_s; });
    if (it == segments.begin()) {
        return it->activity;
    }
    const auto& before = *std::prev(it);
    if (t_s < before.end_s || it == segments.end()) {
        return before.activity;
    }
    return (t_s - before.end_s) <= (it->start_s - t_s) ? before.activity : it->activity;
}

void ActivityConfusion::add(const std::vector<ActivitySegment>& reference,
                            const std::vector<ActivitySegment>& predicted) {
    for (const auto& seg : reference) {
        for (double t = std::ceil(seg.start_s); t <= seg.end_s; t += 1.0) {
            const auto truth = static_cast<std::size_t>(seg.activity);
            const std::size_t guess = predicted.empty()
                                          ? static_cast<std::size_t>(health::Activity::Other)
                                          : static_cast<std::size_t>(activity_at(predicted, t));
            counts[truth][guess] += 1.0;
        }
    }
}

double ActivityConfusion::macro_f1() const {
    double sum = 0.0;
    int classes = 0;
    for (std::size_t c = 0; c < health::activity_class_count; ++c) {
        double truth = 0.0;
        double predicted = 0.0;
        for (std::size_t k = 0; k < health::activity_class_count; ++k) {
            truth += counts[c][k];
            predicted += counts[k][c];
        }
        if (truth <= 0.0) {
            continue;
        }
        ++classes;
        const double tp = counts[c][c];
        if (tp > 0.0) {
            const double precision = tp / predicted;
            const double recall = tp / truth;
            sum += 2.0 * precision * recall / (precision + recall);
        }
    }
    return classes > 0 ? sum / classes : 0.0;
}

double ActivityConfusion::accuracy() const {
    double total = 0.0;
    double right = 0.0;
    for (std::size_t c = 0; c < health::activity_class_count; ++c) {
        for (std::size_t k = 0; k < health::activity_class_count; ++k) {
            total += counts[c][k];
        }
        right += counts[c][c];
    }
    return total > 0.0 ? right / total : 0.0;
}

Report evaluate_activity(const std::filesystem::path& dir, std::ostream* progress) {
    Report report;
    report.task = "activity";
    ActivityConfusion pooled;
    for (const Recording& rec : list_recordings(dir)) {
        if (progress != nullptr) {
            *progress << "activity: " << rec.name << "\n";
        }
        auto reference = read_activity_reference(rec.reference);
        auto table = formats::read_sensor_csv(rec.input.string());
        if (!reference || !table) {
            report.notes.push_back(
                "skipped " + rec.name + ": " +
                (!reference ? reference.error().describe() : table.error().describe()));
            continue;
        }
        auto predicted = classify_activity(*table);
        if (!predicted) {
            report.notes.push_back("skipped " + rec.name + ": " + predicted.error().describe());
            continue;
        }
        ActivityConfusion one;
        one.add(*reference, *predicted);
        pooled.add(*reference, *predicted);
        double seconds = 0.0;
        for (const auto& row : one.counts) {
            for (const double v : row) {
                seconds += v;
            }
        }
        report.rows.push_back({rec.name,
                               {{"scored_s", seconds, 0},
                                {"accuracy", one.accuracy(), 3},
                                {"macro_f1", one.macro_f1(), 3}}});
    }
    double seconds = 0.0;
    for (const auto& row : pooled.counts) {
        for (const double v : row) {
            seconds += v;
        }
    }
    report.overall = {"overall",
                      {{"scored_s", seconds, 0},
                       {"accuracy", pooled.accuracy(), 3},
                       {"macro_f1", pooled.macro_f1(), 3}}};
    std::string per_class = "per-class F1 (pooled):";
    for (std::size_t c = 0; c < health::activity_class_count; ++c) {
        double truth = 0.0;
        double predicted = 0.0;
        for (std::size_t k = 0; k < health::activity_class_count; ++k) {
            truth += pooled.counts[c][k];
            predicted += pooled.counts[k][c];
        }
        if (truth <= 0.0) {
            continue;
        }
        const double tp = pooled.counts[c][c];
        const double f1 = tp > 0.0 ? 2.0 * tp / (truth + predicted) : 0.0;
        char buf[64];
        std::snprintf(buf, sizeof buf, " %s %.3f",
                      std::string(health::to_string(static_cast<health::Activity>(c))).c_str(), f1);
        per_class += buf;
    }
    report.notes.push_back(per_class);
    report.notes.push_back("overall macro_f1 pools the scored seconds of all recordings; "
                           "target >= 0.85 per data set");
    return report;
}

} // namespace hearth::eval
