// Scenes: the state -> service mapping, applying, capturing and re-applying, scene.turn_on.

#include <gtest/gtest.h>

#include "automation/engine.h"
#include "automation/scene_apply.h"
#include "testing/fake_home.h"

namespace hearth::hub::automation {
namespace {

using testing::FakeHome;

TEST(SceneMapping, StatesBecomeServices) {
    auto light = scene_service_calls(
        "light.desk", {"on", {{"brightness", 80}, {"color_temp", 300}, {"friendly_name", "Desk"}}});
    ASSERT_TRUE(light);
    ASSERT_EQ(light->size(), 1U);
    EXPECT_EQ((*light)[0].service, "turn_on");
    EXPECT_EQ((*light)[0].data, (nlohmann::json{{"brightness", 80}, {"color_temp", 300}}));

    auto off = scene_service_calls("light.desk", {"off", nlohmann::json::object()});
    EXPECT_EQ(off->at(0).service, "turn_off");
    auto cover = scene_service_calls("cover.blinds", {"open", {{"position", 40}}});
    EXPECT_EQ(cover->at(0).service, "set_cover_position");
    EXPECT_EQ(cover->at(0).data["position"], 40);
    EXPECT_EQ(scene_service_calls("cover.blinds", {"closed", {}})->at(0).service, "close_cover");
    EXPECT_EQ(scene_service_calls("lock.front", {"locked", {}})->at(0).service, "lock");
    EXPECT_EQ(scene_service_calls("lock.front", {"unlocked", {}})->at(0).service, "unlock");
    auto climate = scene_service_calls("climate.room", {"heat", {{"temperature", 20.5}}});
    EXPECT_EQ(climate->at(0).service, "set_temperature");
    EXPECT_EQ(climate->at(0).data["hvac_mode"], "heat");
    EXPECT_EQ(scene_service_calls("switch.fan", {"on", {}})->at(0).service, "turn_on");
    EXPECT_FALSE(scene_service_calls("lock.front", {"open", {}}));
    EXPECT_FALSE(scene_service_calls("nodot", {"on", {}}));
}

TEST(SceneMapping, CaptureKeepsWhatReapplyingNeeds) {
    EntityState cover{"cover.blinds", "open", {{"current_position", 35}, {"friendly_name", "B"}}};
    const SceneEntity captured = capture_scene_entity(cover);
    EXPECT_EQ(captured.state, "open");
    EXPECT_EQ(captured.attributes, (nlohmann::json{{"position", 35}}));
}

class SceneEngine : public ::testing::Test {
protected:
    SceneEngine() : home(clock), engine(home, clock, EngineOptions{0, 10}) {
        home.attach(&engine);
        home.set("light.desk", "on", {{"brightness", 200}});
        home.set("cover.blinds", "open", {{"position", 100}});
        home.set("sensor.go", "0");
        HomeConfig config = testing::with_automations(
            {testing::make_automation("evening", {testing::state_trigger("sensor.go")},
                                      {testing::service("scene.turn_on", {"scene.relax"})})});
        Scene relax;
        relax.id = "relax";
        relax.name = "Relax";
        relax.entities["light.desk"] = {"on", {{"brightness", 60}}};
        relax.entities["cover.blinds"] = {"closed", nlohmann::json::object()};
        config.scenes.push_back(relax);
        engine.load(std::move(config));
    }

    ManualClock clock{1'704'067'200'000};
    FakeHome home;
    AutomationEngine engine;
};

TEST_F(SceneEngine, ApplySceneCallsEachEntity) {
    ASSERT_TRUE(engine.apply_scene("scene.relax"));
    EXPECT_EQ(home.call_texts(), (std::vector<std::string>{"cover.close_cover cover.blinds",
                                                           "light.turn_on light.desk"}));
    EXPECT_EQ(home.calls[1].data["brightness"], 60);
    EXPECT_FALSE(engine.apply_scene("missing"));
}

TEST_F(SceneEngine, SceneTurnOnFromAnAutomation) {
    home.set("sensor.go", "1");
    EXPECT_EQ(home.calls.size(), 2U);
    const Trace trace = engine.traces("evening").at(0);
    EXPECT_EQ(trace.outcome, RunOutcome::Finished);
    EXPECT_EQ(trace.steps.back().detail, "scene.relax");
}

TEST_F(SceneEngine, SceneErrorFailsTheRun) {
    home.fail_service("light.desk", "offline");
    home.set("sensor.go", "1");
    EXPECT_EQ(home.calls.size(), 2U); // the cover still closed
    const Trace trace = engine.traces("evening").at(0);
    EXPECT_EQ(trace.outcome, RunOutcome::Error);
    EXPECT_NE(trace.steps.back().detail.find("offline"), std::string::npos);
}

TEST_F(SceneEngine, CapturedSceneRestoresStates) {
    ASSERT_TRUE(engine.create_scene("before", {"light.desk", "cover.blinds"}));
    EXPECT_FALSE(engine.create_scene("bad", {"light.nowhere"}));
    home.set_service_effect(FakeHome::ServiceEffect::ChangeState);
    ASSERT_TRUE(engine.apply_scene("relax"));
    EXPECT_EQ(home.state("light.desk")->attributes["brightness"], 60);
    EXPECT_EQ(home.state("cover.blinds")->state, "closed");
    home.calls.clear();
    ASSERT_TRUE(engine.apply_scene("scene.before"));
    EXPECT_EQ(home.state("light.desk")->attributes["brightness"], 200);
    EXPECT_EQ(home.call_texts(), (std::vector<std::string>{"cover.set_cover_position cover.blinds",
                                                           "light.turn_on light.desk"}));
    EXPECT_EQ(home.calls[0].data["position"], 100);
    const std::vector<Scene> scenes = engine.scenes();
    ASSERT_EQ(scenes.size(), 2U);
    EXPECT_EQ(scenes[1].id, "before");
}

TEST_F(SceneEngine, CapturedScenesSurviveReload) {
    ASSERT_TRUE(engine.create_scene("before", {"light.desk"}));
    engine.load(HomeConfig{});
    ASSERT_EQ(engine.scenes().size(), 1U);
    EXPECT_TRUE(engine.apply_scene("before"));
}

} // namespace
} // namespace hearth::hub::automation
