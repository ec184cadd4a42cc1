#pragma once

// Reads automations, scenes and areas from YAML, checking everything at load time. A problem is
// reported with its file, line and key, and only the automation or scene it belongs to is
// skipped.
//
// Accepted files (both spellings of Home Assistant's keys: `triggers`/`trigger`,
// `conditions`/`condition`, `actions`/`action`, and `trigger: state` / `platform: state`,
// `action: light.turn_on` / `service: light.turn_on`):
// - a list of automations (Home Assistant's automations.yaml);
// - a mapping with any of `automations:` (or `automation:`), `scenes:` (or `scene:`) and
//   `areas:`, each a list.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "automation/model.h"

namespace hearth::hub::automation {

// Parses YAML text; `file_name` is used in problem locations only.
HomeConfig parse_home_config(std::string_view yaml_text, const std::string& file_name);

// Reads one file. An unreadable file is one problem (no automations), not an exception.
HomeConfig load_home_config_file(const std::filesystem::path& path);

// Reads every *.yaml / *.yml file of a folder (sorted by name), or one file, and merges them;
// duplicate automation, scene or area ids are problems (the first one wins).
HomeConfig load_home_config(const std::filesystem::path& file_or_folder);

// Merges configurations loaded separately (in order): duplicate automation, scene or area ids
// are problems (the first one wins), and an automation whose action targets an area that is
// not defined, or turns on a scene that is not defined (nor made by scene.create), is a problem
// and is skipped. load_home_config does this for its files.
HomeConfig merge_home_configs(std::vector<HomeConfig> parts);

} // namespace hearth::hub::automation
