#pragma once

// Opens the store named by a `--store` value, as `hearth serve` and `hearth import` take it:
// "sqlite" (<data_dir>/hearth.db), "sqlite:<path>", or a PostgreSQL connection string
// ("postgresql://...", "postgres://...", or key=value with host= or dbname=). The error is one
// clear line.

#include <filesystem>
#include <memory>
#include <string>

#include <tl/expected.hpp>

#include "store/store.h"

namespace hearth::hub {

tl::expected<std::unique_ptr<Store>, std::string>
open_store_spec(const std::string& spec, const std::filesystem::path& data_dir);

} // namespace hearth::hub
