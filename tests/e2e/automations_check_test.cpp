// `hearth automations check` as a user runs it: the example configuration loads cleanly, a
// broken file reports file:line:column, the automation and the key, and exits 2.

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e/run_hearth.h"

namespace hearth::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path examples = fs::path(HEARTH_SOURCE_DIR) / "examples" / "automations";

std::string write_file(const std::string& dir, const char* name, const std::string& text) {
    const fs::path path = fs::path(dir) / name;
    std::ofstream(path) << text;
    return path.string();
}

const char* const broken = R"(- id: fine
  triggers: [{trigger: state, entity_id: sensor.watch_sleep_stage, to: deep}]
  actions: [{action: light.turn_off, target: {entity_id: light.bedroom_light}}]
- id: typo
  triggers:
    - trigger: state
      entity-id: sensor.watch_sleep_stage
  actions: [{action: light.turn_off, target: {entity_id: light.bedroom_light}}]
)";

TEST(AutomationsCheckE2E, ExampleConfigurationHasNoProblems) {
    auto r = run_hearth({"automations", "check", examples.string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "5 automations, 2 scenes, 3 areas loaded; 0 problems\n");
    EXPECT_EQ(r.err, "");
}

TEST(AutomationsCheckE2E, FilesGivenOneByOneResolveEachOthersAreas) {
    auto r = run_hearth({"automations", "check", (examples / "automations.yaml").string(),
                         (examples / "areas.yaml").string(), (examples / "scenes.yaml").string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    // Alone, the automations refer to an area and scenes that are not there.
    auto alone = run_hearth({"automations", "check", (examples / "automations.yaml").string()});
    EXPECT_EQ(alone.exit_code, 2);
    EXPECT_NE(alone.err.find("unknown area 'bedroom'"), std::string::npos) << alone.err;
    EXPECT_NE(alone.err.find("unknown scene 'scene.morning'"), std::string::npos) << alone.err;
}

TEST(AutomationsCheckE2E, ProblemsPointAtFileLineAndKey) {
    const std::string dir = make_temp_dir();
    const std::string file = write_file(dir, "automations.yaml", broken);
    auto r = run_hearth({"automations", "check", file});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.out, "1 automation, 0 scenes, 0 areas loaded; 1 problem\n");
    EXPECT_EQ(r.err, file + ":7:7: typo: triggers[0].entity-id: unknown key 'entity-id' (did you "
                            "mean 'entity_id'?)\n");
    fs::remove_all(dir);
}

TEST(AutomationsCheckE2E, SyntaxErrorIsReportedWithItsLine) {
    const std::string dir = make_temp_dir();
    const std::string file =
        write_file(dir, "bad.yaml", "- id: a\n  triggers: [\n  actions: {x: 1\n");
    auto r = run_hearth({"automations", "check", file});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(file + ":"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("YAML syntax error"), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "0 automations, 0 scenes, 0 areas loaded; 1 problem\n");
    fs::remove_all(dir);
}

TEST(AutomationsCheckE2E, JsonListsAutomationsAndProblems) {
    const std::string dir = make_temp_dir();
    const std::string file = write_file(dir, "automations.yaml", broken);
    auto r = run_hearth({"automations", "check", "--json", file});
    EXPECT_EQ(r.exit_code, 2);
    const json j = json::parse(r.out);
    ASSERT_EQ(j["automations"].size(), 1U);
    EXPECT_EQ(j["automations"][0]["id"], "fine");
    EXPECT_EQ(j["automations"][0]["mode"], "single");
    ASSERT_EQ(j["problems"].size(), 1U);
    EXPECT_EQ(j["problems"][0]["file"], file);
    EXPECT_EQ(j["problems"][0]["line"], 7);
    EXPECT_EQ(j["problems"][0]["column"], 7);
    EXPECT_EQ(j["problems"][0]["item"], "typo");
    EXPECT_EQ(j["problems"][0]["key"], "triggers[0].entity-id");
    fs::remove_all(dir);

    auto ok = run_hearth({"automations", "check", "--json", examples.string()});
    EXPECT_EQ(ok.exit_code, 0);
    const json k = json::parse(ok.out);
    EXPECT_EQ(k["automations"][0]["id"], "lights_off_when_asleep");
    EXPECT_EQ(k["automations"][0]["alias"], "Lights off when I fall asleep");
    EXPECT_TRUE(k["problems"].empty());
}

TEST(AutomationsCheckE2E, UsageErrors) {
    EXPECT_EQ(run_hearth({"automations", "check"}).exit_code, 1);
    EXPECT_EQ(run_hearth({"automations"}).exit_code, 1);
    EXPECT_EQ(run_hearth({"automations", "check", "/nonexistent/automations.yaml"}).exit_code, 1);
}

} // namespace
} // namespace hearth::e2e
