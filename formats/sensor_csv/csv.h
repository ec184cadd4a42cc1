#pragma once

// CSV as used by Hearth's sensor recordings and reference files: comma-separated, a header row,
// no quoting (fields never contain commas), '\n' or "\r\n" line ends, an optional UTF-8 BOM.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace hearth::formats {

struct CsvRows {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<std::size_t> row_lines; // 1-based line of each row, for error messages

    // Index of a header column, or -1 when absent.
    [[nodiscard]] int column(std::string_view name) const;
};

// Parses CSV text into string cells. Errors: Empty (no header), InvalidSyntax (a row with more
// cells than the header), with the line number.
Result<CsvRows> parse_csv(std::string_view text);

// Splits one line on commas (no quoting).
void split_csv_line(std::string_view line, std::vector<std::string_view>& cells);

// Parses a whole cell as a finite number; false for anything else (empty, junk, NaN, inf).
bool parse_number(std::string_view cell, double& out);

} // namespace hearth::formats
