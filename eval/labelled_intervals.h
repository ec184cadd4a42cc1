#pragma once

// Reference files that label time intervals: `start_s,end_s,LABEL` with a text label column
// (swimming lengths with their style, sleep epochs with their stage).

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace hearth::eval {

struct LabelledInterval {
    double start_s = 0.0;
    double end_s = 0.0;
    std::string label;
};

// Errors: Io, Empty, InvalidSyntax (a time that is not a number, end before start; with the
// line), MissingField (no start_s, end_s or label column).
formats::Result<std::vector<LabelledInterval>>
read_labelled_intervals(const std::filesystem::path& path, std::string_view label_column);

} // namespace hearth::eval
