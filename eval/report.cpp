#include "report.h"

#include <algorithm>
#include <cstdio>
#include <system_error>

namespace hearth::eval {

namespace {

std::string format_value(const MetricValue& m) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", m.decimals, m.value);
    return buf;
}

} // namespace

std::string format_report(const Report& report) {
    std::string out = "## " + report.task + "\n\n";
    const ReportRow& shape = report.rows.empty() ? report.overall : report.rows.front();
    out += "| recording |";
    for (const auto& m : shape.metrics) {
        out += " " + m.name + " |";
    }
    out += "\n| --- |";
    for (std::size_t i = 0; i < shape.metrics.size(); ++i) {
        out += " ---: |";
    }
    out += "\n";
    for (const auto& row : report.rows) {
        out += "| " + row.recording + " |";
        for (const auto& m : row.metrics) {
            out += " " + format_value(m) + " |";
        }
        out += "\n";
    }
    out += "| **" +
           (report.overall.recording.empty() ? std::string("overall") : report.overall.recording) +
           "** |";
    for (const auto& m : report.overall.metrics) {
        out += " **" + format_value(m) + "** |";
    }
    out += "\n";
    if (!report.notes.empty()) {
        out += "\n";
        for (const auto& note : report.notes) {
            out += "- " + note + "\n";
        }
    }
    return out;
}

std::vector<Recording> list_recordings(const std::filesystem::path& dir,
                                       const std::string& input_extension) {
    std::vector<Recording> out;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const auto& path = entry.path();
        const std::string file = path.filename().string();
        if (file.ends_with(".ref.csv") || !file.ends_with(input_extension)) {
            continue;
        }
        const std::string name = file.substr(0, file.size() - input_extension.size());
        auto reference = dir / (name + ".ref.csv");
        if (std::filesystem::exists(reference, ec)) {
            out.push_back({name, path, reference});
        }
    }
    std::sort(out.begin(), out.end(),
              [](const Recording& a, const Recording& b) { return a.name < b.name; });
    return out;
}

} // namespace hearth::eval
