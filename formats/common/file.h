#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/error.h"

namespace hearth::formats {

// Reads a whole file into memory. Errors: Io (with the OS's reason), never throws.
Result<std::vector<std::uint8_t>> read_file_bytes(const std::filesystem::path& path);
Result<std::string> read_file_text(const std::filesystem::path& path);

} // namespace hearth::formats
