#pragma once

// Activity recognition over a recording and its evaluation against references in the shared
// layout (`start_s,end_s,activity`): every whole second t inside a reference segment is scored
// by comparing the reference label with the predicted label at t (seconds outside the
// reference segments are not scored); the metric is the macro F1 over the classes present in
// the reference, per recording and pooled over the folder.

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "common/error.h"
#include "health/activity_classifier.h"
#include "report.h"
#include "sensor_csv/sensor_table.h"

namespace hearth::eval {

struct ActivitySegment {
    double start_s = 0.0;
    double end_s = 0.0;
    engine::health::Activity activity = engine::health::Activity::Other;
};

// The IMU samples of a table: rows with ax, ay, az; the gyroscope of the same row, or the last
// gyroscope reading when it is at most 0.2 s old. Error MissingField without ax, ay, az.
formats::Result<std::vector<engine::health::ImuSample>>
imu_samples(const formats::SensorTable& table);

// The feature windows of a recording (for training: tools/train_activity.py).
formats::Result<std::vector<engine::health::ActivityWindow>>
activity_windows(const formats::SensorTable& table);

// Segments of constant activity covering the recording from its first to its last t_s (gaps
// between decisions are split at their middle). Empty when the recording is shorter than one
// window (5 s).
formats::Result<std::vector<ActivitySegment>>
classify_activity(const formats::SensorTable& table,
                  const engine::health::ActivityClassifierConfig& config = {});

// Reads `start_s,end_s,activity`. Errors: Io, InvalidSyntax, MissingField, InvalidValue (an
// unknown activity name or end before start), with the line.
formats::Result<std::vector<ActivitySegment>>
read_activity_reference(const std::filesystem::path& path);

// Label at t: the segment containing t, else the nearest one. Precondition: non-empty, sorted.
engine::health::Activity activity_at(const std::vector<ActivitySegment>& segments, double t_s);

// Counts per (reference, predicted) class over the scored seconds.
struct ActivityConfusion {
    std::array<std::array<double, engine::health::activity_class_count>,
               engine::health::activity_class_count>
        counts{};
    void add(const std::vector<ActivitySegment>& reference,
             const std::vector<ActivitySegment>& predicted);
    // Macro F1 over the classes that occur in the reference; 0 when none does.
    [[nodiscard]] double macro_f1() const;
    [[nodiscard]] double accuracy() const;
};

Report evaluate_activity(const std::filesystem::path& dir, std::ostream* progress = nullptr);

} // namespace hearth::eval
