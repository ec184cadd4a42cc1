#include "automation/config_loader.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

#include <yaml-cpp/yaml.h>

namespace hearth::hub::automation {

std::string ConfigProblem::describe() const {
    std::string text = where.file.empty() ? std::string("<config>") : where.file;
    if (where.line > 0) {
        text += ":" + std::to_string(where.line);
        if (where.column > 0) {
            text += ":" + std::to_string(where.column);
        }
    }
    text += ": ";
    if (!item.empty()) {
        text += item + ": ";
    }
    if (!key.empty()) {
        text += key + ": ";
    }
    text += message;
    return text;
}

HomeConfig parse_home_config(std::string_view yaml_text, const std::string& file_name) {
    HomeConfig config;
    try {
        const YAML::Node root = YAML::Load(std::string(yaml_text));
        (void)root;
    } catch (const YAML::Exception& e) {
        ConfigProblem problem;
        problem.where = {file_name, e.mark.line + 1, e.mark.column + 1};
        problem.message = e.msg;
        config.problems.push_back(std::move(problem));
    }
    return config;
}

HomeConfig load_home_config_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        HomeConfig config;
        config.problems.push_back({{path.string(), 0, 0}, "", "cannot read the file", ""});
        return config;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse_home_config(text.str(), path.string());
}

HomeConfig load_home_config(const std::filesystem::path& file_or_folder) {
    std::error_code ec;
    if (!std::filesystem::is_directory(file_or_folder, ec)) {
        return load_home_config_file(file_or_folder);
    }
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(file_or_folder, ec)) {
        const auto ext = entry.path().extension();
        if (entry.is_regular_file(ec) && (ext == ".yaml" || ext == ".yml")) {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    HomeConfig merged;
    for (const auto& file : files) {
        HomeConfig one = load_home_config_file(file);
        for (auto& a : one.automations) {
            merged.automations.push_back(std::move(a));
        }
        for (auto& s : one.scenes) {
            merged.scenes.push_back(std::move(s));
        }
        for (auto& a : one.areas) {
            merged.areas.push_back(std::move(a));
        }
        for (auto& p : one.problems) {
            merged.problems.push_back(std::move(p));
        }
    }
    return merged;
}

} // namespace hearth::hub::automation
