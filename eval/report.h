#pragma once

// The result of one evaluation run: metrics per recording and overall, printed as a Markdown
// table so that the output can be pasted into docs/accuracy.md as it is.

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace hearth::eval {

struct MetricValue {
    std::string name;
    double value = 0.0;
    int decimals = 2;
};

struct ReportRow {
    std::string recording;
    std::vector<MetricValue> metrics;
};

struct Report {
    std::string task;
    std::vector<ReportRow> rows;
    ReportRow overall;              // recording = "overall"
    std::vector<std::string> notes; // one line each: targets, skipped files, caveats
};

// Markdown: a heading, one table row per recording and a bold overall row, then the notes.
std::string format_report(const Report& report);

// A recording of the shared data layout: NAME.csv (inputs) and NAME.ref.csv (truth).
struct Recording {
    std::string name;
    std::filesystem::path input;
    std::filesystem::path reference;
};

// The recordings in a folder, sorted by name. Inputs without a reference are left out.
std::vector<Recording> list_recordings(const std::filesystem::path& dir,
                                       const std::string& input_extension = ".csv");

} // namespace hearth::eval
