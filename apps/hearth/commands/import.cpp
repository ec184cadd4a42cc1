// `hearth import FILE... [--data DIR] [--store SPEC] [--start TIME]`: adds FIT/GPX/TCX
// activities and sensor CSV recordings to the hub's store (deduplicated by content) and prints
// one line per file: what was added, what was already there, or why it failed.

#include <sys/stat.h>

#include <charconv>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands/registry.h"
#include "common/iso8601.h"
#include "importer/importer.h"
#include "store/open_store.h"

namespace hearth::apps {
namespace {

struct ImportCliOptions {
    std::vector<std::string> files;
    std::string data_dir = "hearth-data";
    std::string store = "sqlite";
    std::string start;
    bool lenient = false;
};

std::optional<hub::TimestampMs> parse_time(const std::string& text) {
    hub::TimestampMs ms = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
    if (ec == std::errc() && ptr == text.data() + text.size()) {
        return ms;
    }
    if (auto t = formats::parse_iso8601(text)) {
        return t->unix_ms();
    }
    return std::nullopt;
}

// The modification time of a file in Unix milliseconds, or now when it cannot be read.
hub::TimestampMs modified_ms(const std::string& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0) {
        return static_cast<hub::TimestampMs>(info.st_mtim.tv_sec) * 1000 +
               static_cast<hub::TimestampMs>(info.st_mtim.tv_nsec / 1'000'000);
    }
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string describe(const hub::ImportedItem& item) {
    if (item.kind == hub::ImportedKind::Activity) {
        return fmt::format("activity {} ({}, {})", item.activity_id, item.sport,
                           formats::format_iso8601(formats::UtcTime::from_unix_ms(item.start_ms)));
    }
    return fmt::format("{} {}", item.health_kind, item.day);
}

int run_import(const ImportCliOptions& o) {
    std::optional<hub::TimestampMs> start_ms;
    if (!o.start.empty()) {
        start_ms = parse_time(o.start);
        if (!start_ms) {
            std::cerr << "hearth import: --start is not a time (ISO 8601 or Unix ms): " << o.start
                      << "\n";
            return exit_usage;
        }
    }
    auto store = hub::open_store_spec(o.store, o.data_dir);
    if (!store) {
        std::cerr << "hearth import: " << store.error() << "\n";
        return exit_usage;
    }
    int exit_code = exit_ok;
    for (const auto& file : o.files) {
        std::ifstream in(file, std::ios::binary);
        if (!in) {
            std::cerr << "hearth import: " << file << ": cannot open the file\n";
            std::cout << file << ": failed\n";
            exit_code = exit_bad_input;
            continue;
        }
        const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                              std::istreambuf_iterator<char>());
        hub::ImporterOptions options;
        options.activity.leniency = o.lenient ? sport::Leniency::Lenient : sport::Leniency::Strict;
        options.recording =
            start_ms ? hub::RecordingTime{hub::RecordingTime::Anchor::Start, *start_ms}
                     : hub::RecordingTime{hub::RecordingTime::Anchor::End, modified_ms(file)};
        const std::string name = std::filesystem::path(file).filename().string();
        auto result = hub::import_bytes(**store, bytes, name, options);
        if (!result) {
            std::cerr << "hearth import: " << file << ": " << result.error().message << "\n";
            std::cout << file << ": failed\n";
            exit_code = exit_bad_input;
            continue;
        }
        for (const auto& warning : result->warnings) {
            std::cerr << "hearth import: " << file << ": warning: " << warning << "\n";
        }
        std::cout << fmt::format("{}: {} ({})\n", file,
                                 result->added() == 0 ? "already there" : "added", result->format);
        for (const auto& item : result->items) {
            std::cout << fmt::format("  {} {}\n", item.added ? "added        " : "already there",
                                     describe(item));
        }
    }
    return exit_code;
}

const bool registered = register_command(
    {52, [](CLI::App& app, CommandContext& ctx) {
         auto opts = std::make_shared<ImportCliOptions>();
         auto* cmd = app.add_subcommand(
             "import", "Add FIT/GPX/TCX activities and sensor CSV recordings (daily steps, heart "
                       "rate, activity, sleep) to the hub's store; importing twice adds nothing");
         cmd->add_option("files", opts->files, "Activity files or sensor CSV recordings")
             ->required();
         cmd->add_option("--data", opts->data_dir, "The hub's data folder (default hearth-data)");
         cmd->add_option("--store", opts->store,
                         "sqlite (DATA/hearth.db), sqlite:PATH, or a PostgreSQL connection "
                         "string");
         cmd->add_option("--start", opts->start,
                         "Wall time of t_s = 0 in CSV recordings (ISO 8601 or Unix ms); default: "
                         "the recording ends at the file's modification time");
         cmd->add_flag("--lenient", opts->lenient,
                       "Import what decoded from truncated or corrupt activity files");
         cmd->callback([opts, &ctx] { ctx.exit_code = run_import(*opts); });
     }});

} // namespace
} // namespace hearth::apps
