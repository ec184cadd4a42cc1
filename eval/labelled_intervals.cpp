#include "labelled_intervals.h"

#include "common/file.h"
#include "sensor_csv/csv.h"

namespace hearth::eval {

formats::Result<std::vector<LabelledInterval>>
read_labelled_intervals(const std::filesystem::path& path, std::string_view label_column) {
    auto text = formats::read_file_text(path);
    if (!text) {
        return tl::unexpected(text.error());
    }
    auto csv = formats::parse_csv(*text);
    if (!csv) {
        return tl::unexpected(csv.error());
    }
    const int start = csv->column("start_s");
    const int end = csv->column("end_s");
    const int label = csv->column(label_column);
    if (start < 0 || end < 0 || label < 0) {
        return formats::make_error("csv", formats::ErrorCode::MissingField,
                                   "reference needs columns start_s, end_s and " +
                                       std::string(label_column));
    }
    std::vector<LabelledInterval> out;
    out.reserve(csv->rows.size());
    for (std::size_t i = 0; i < csv->rows.size(); ++i) {
        const auto& row = csv->rows[i];
        LabelledInterval interval;
        const auto cell = [&](int c) -> std::string_view {
            return static_cast<std::size_t>(c) < row.size() ? std::string_view(row[c])
                                                            : std::string_view();
        };
        if (!formats::parse_number(cell(start), interval.start_s) ||
            !formats::parse_number(cell(end), interval.end_s) ||
            interval.end_s < interval.start_s) {
            return formats::make_error("csv", formats::ErrorCode::InvalidSyntax,
                                       "bad interval times", std::nullopt, csv->row_lines[i]);
        }
        interval.label = std::string(cell(label));
        out.push_back(std::move(interval));
    }
    return out;
}

} // namespace hearth::eval
