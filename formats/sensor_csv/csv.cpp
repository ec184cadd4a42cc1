#include "sensor_csv/csv.h"

#include <charconv>
#include <cmath>

namespace hearth::formats {

int CsvRows::column(std::string_view name) const {
    for (std::size_t i = 0; i < header.size(); ++i) {
        if (header[i] == name) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

void split_csv_line(std::string_view line, std::vector<std::string_view>& cells) {
    cells.clear();
    std::size_t start = 0;
    for (;;) {
        const std::size_t comma = line.find(',', start);
        if (comma == std::string_view::npos) {
            cells.push_back(line.substr(start));
            return;
        }
        cells.push_back(line.substr(start, comma - start));
        start = comma + 1;
    }
}

bool parse_number(std::string_view cell, double& out) {
    while (!cell.empty() && (cell.front() == ' ' || cell.front() == '\t')) {
        cell.remove_prefix(1);
    }
    while (!cell.empty() && (cell.back() == ' ' || cell.back() == '\t')) {
        cell.remove_suffix(1);
    }
    if (!cell.empty() && cell.front() == '+') {
        cell.remove_prefix(1);
    }
    if (cell.empty()) {
        return false;
    }
    const char* end = cell.data() + cell.size();
    const auto [ptr, ec] = std::from_chars(cell.data(), end, out);
    return ec == std::errc() && ptr == end && std::isfinite(out);
}

Result<CsvRows> parse_csv(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF")) {
        text.remove_prefix(3);
    }
    CsvRows out;
    std::vector<std::string_view> cells;
    std::size_t line_no = 0;
    bool have_header = false;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        ++line_no;
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (line.empty()) {
            continue;
        }
        split_csv_line(line, cells);
        if (!have_header) {
            for (std::string_view c : cells) {
                out.header.emplace_back(c);
            }
            have_header = true;
            continue;
        }
        if (cells.size() > out.header.size()) {
            return make_error("csv", ErrorCode::InvalidSyntax,
                              "row has " + std::to_string(cells.size()) +
                                  " cells but the header has " + std::to_string(out.header.size()),
                              std::nullopt, line_no);
        }
        auto& row = out.rows.emplace_back();
        row.reserve(out.header.size());
        for (std::string_view c : cells) {
            row.emplace_back(c);
        }
        row.resize(out.header.size());
        out.row_lines.push_back(line_no);
    }
    if (!have_header) {
        return make_error("csv", ErrorCode::Empty, "no header row");
    }
    return out;
}

} // namespace hearth::formats
