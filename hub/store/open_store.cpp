#include "store/open_store.h"

#include <system_error>

namespace hearth::hub {

tl::expected<std::unique_ptr<Store>, std::string>
open_store_spec(const std::string& spec, const std::filesystem::path& data_dir) {
    StoreResult<std::unique_ptr<Store>> store = tl::unexpected(StoreError{});
    if (spec == "sqlite") {
        std::error_code ec;
        std::filesystem::create_directories(data_dir, ec);
        if (ec) {
            return tl::unexpected("store: cannot create " + data_dir.string() + ": " +
                                  ec.message());
        }
        store = open_sqlite_store((data_dir / "hearth.db").string());
    } else if (spec.starts_with("sqlite:")) {
        store = open_sqlite_store(spec.substr(7));
    } else if (spec.starts_with("postgresql://") || spec.starts_with("postgres://") ||
               spec.find("dbname=") != std::string::npos ||
               spec.find("host=") != std::string::npos) {
        store = open_postgres_store(spec);
    } else {
        return tl::unexpected("store: '" + spec +
                              "' is neither sqlite, sqlite:<path> nor a PostgreSQL connection "
                              "string");
    }
    if (!store) {
        return tl::unexpected("store: " + store.error().message);
    }
    return std::move(*store);
}

} // namespace hearth::hub
