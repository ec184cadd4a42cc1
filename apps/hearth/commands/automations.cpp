// `hearth automations check FILE...`: loads automations, scenes and areas exactly as the hub
// does and reports every problem, without running anything.

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "automation/config_loader.h"
#include "commands/registry.h"

namespace hearth::apps {
namespace {

namespace fs = std::filesystem;
namespace automation = hub::automation;

struct CheckOptions {
    std::vector<std::string> paths;
    bool json = false;
};

std::string count(std::size_t n, const char* singular, const char* plural) {
    return std::to_string(n) + " " + (n == 1 ? singular : plural);
}

const char* mode_name(automation::Mode mode) {
    switch (mode) {
    case automation::Mode::Single:
        return "single";
    case automation::Mode::Restart:
        return "restart";
    case automation::Mode::Queued:
        return "queued";
    case automation::Mode::Parallel:
        return "parallel";
    }
    return "single";
}

// Files as given, folders as their *.yaml / *.yml files sorted by name (as the hub reads a
// configuration folder), all merged into one configuration so that references between files
// (an area in areas.yaml used by automations.yaml) resolve.
automation::HomeConfig load_all(const std::vector<std::string>& paths) {
    std::vector<automation::HomeConfig> parts;
    for (const auto& path : paths) {
        std::error_code ec;
        if (!fs::is_directory(path, ec)) {
            parts.push_back(automation::load_home_config_file(path));
            continue;
        }
        std::vector<fs::path> files;
        for (const auto& entry : fs::directory_iterator(path, ec)) {
            const auto ext = entry.path().extension();
            if (entry.is_regular_file(ec) && (ext == ".yaml" || ext == ".yml")) {
                files.push_back(entry.path());
            }
        }
        std::sort(files.begin(), files.end());
        for (const auto& file : files) {
            parts.push_back(automation::load_home_config_file(file));
        }
    }
    return automation::merge_home_configs(std::move(parts));
}

nlohmann::json to_json(const automation::HomeConfig& config) {
    using nlohmann::json;
    json out = {{"automations", json::array()},
                {"scenes", json::array()},
                {"areas", json::array()},
                {"problems", json::array()}};
    for (const auto& a : config.automations) {
        out["automations"].push_back({{"id", a.id},
                                      {"alias", a.alias},
                                      {"mode", mode_name(a.mode)},
                                      {"triggers", a.triggers.size()},
                                      {"conditions", a.conditions.size()},
                                      {"actions", a.actions.size()},
                                      {"file", a.where.file},
                                      {"line", a.where.line}});
    }
    for (const auto& s : config.scenes) {
        out["scenes"].push_back({{"id", s.id}, {"name", s.name}, {"entities", s.entities.size()}});
    }
    for (const auto& a : config.areas) {
        out["areas"].push_back({{"id", a.id}, {"name", a.name}, {"entities", a.entity_ids}});
    }
    for (const auto& p : config.problems) {
        out["problems"].push_back({{"file", p.where.file},
                                   {"line", p.where.line},
                                   {"column", p.where.column},
                                   {"item", p.item},
                                   {"key", p.key},
                                   {"message", p.message}});
    }
    return out;
}

int check(const CheckOptions& o) {
    const automation::HomeConfig config = load_all(o.paths);
    if (o.json) {
        std::cout << to_json(config).dump(2) << "\n";
    } else {
        for (const auto& p : config.problems) {
            std::cerr << p.describe() << "\n";
        }
        std::cout << count(config.automations.size(), "automation", "automations") << ", "
                  << count(config.scenes.size(), "scene", "scenes") << ", "
                  << count(config.areas.size(), "area", "areas") << " loaded; "
                  << count(config.problems.size(), "problem", "problems") << "\n";
    }
    return config.problems.empty() ? exit_ok : exit_bad_input;
}

const bool registered = register_command(
    {53, [](CLI::App& app, CommandContext& ctx) {
         auto o = std::make_shared<CheckOptions>();
         auto* cmd = app.add_subcommand("automations", "Work with automation configuration files");
         cmd->require_subcommand(1);
         auto* check_cmd = cmd->add_subcommand(
             "check", "Check automations, scenes and areas (YAML files or folders) without "
                      "running them; exit 2 when there are problems");
         check_cmd->add_option("files", o->paths, "YAML files or folders of them")
             ->required()
             ->check(CLI::ExistingPath);
         check_cmd->add_flag("--json", o->json,
                             "Print the loaded automations and the problems as JSON");
         check_cmd->callback([o, &ctx] { ctx.exit_code = check(*o); });
     }});

} // namespace
} // namespace hearth::apps
