// Fuzz target of the automation configuration loader: any bytes must load to a HomeConfig
// (problems for what is wrong, never an exception or a crash); every problem must describe
// itself, and every automation that loaded must have triggers and actions.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "automation/config_loader.h"

namespace {

void check(bool condition) {
    if (!condition) {
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace hearth::hub::automation;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const HomeConfig config = parse_home_config(text, "fuzz.yaml");
    for (const auto& p : config.problems) {
        check(!p.describe().empty());
        check(!p.message.empty());
    }
    for (const auto& a : config.automations) {
        check(!a.id.empty());
        check(!a.triggers.empty());
        check(!a.actions.empty());
        check(a.max_runs >= 1);
    }
    std::vector<HomeConfig> parts;
    parts.push_back(config);
    const HomeConfig merged = merge_home_configs(std::move(parts));
    check(merged.automations.size() <= config.automations.size());
    return 0;
}
