// The engine on configurations written as users write them (through the YAML loader): the
// issue's "lights off when I fall asleep" and a restart-mode motion light with a wait.

#include <gtest/gtest.h>

#include "automation/config_loader.h"
#include "automation/engine.h"
#include "testing/fake_home.h"

namespace hearth::hub::automation {
namespace {

using testing::FakeHome;

constexpr TimestampMs monday_utc_ms = 1'704'067'200'000; // 2024-01-01 00:00:00 UTC, a Monday
constexpr DurationMs minute_ms = 60'000;

const char* const home_yaml = R"(
automations:
  - id: lights_off_when_asleep
    alias: Lights off when I fall asleep
    mode: single
    triggers:
      - trigger: state
        entity_id: sensor.watch_sleep_stage
        from: wake
        for: "00:05:00"
    conditions:
      - condition: time
        after: "21:00:00"
        before: "09:00:00"
    actions:
      - action: light.turn_off
        target: { area_id: bedroom }
      - action: cover.close_cover
        target: { entity_id: cover.bedroom_blinds }
  - id: hallway_motion_light
    mode: restart
    triggers:
      - trigger: state
        entity_id: binary_sensor.hallway_motion
        to: "on"
    actions:
      - action: light.turn_on
        target: { entity_id: light.hall }
        data: { brightness: 180 }
      - wait_for_trigger:
          - trigger: state
            entity_id: binary_sensor.hallway_motion
            to: "off"
            for: { minutes: 2 }
        timeout: "00:10:00"
      - action: light.turn_off
        target: { entity_id: light.hall }
areas:
  - id: bedroom
    name: Bedroom
    entities: [light.bedroom_light, cover.bedroom_blinds]
)";

class EngineYaml : public ::testing::Test {
protected:
    EngineYaml() : home(clock), engine(home, clock, EngineOptions{0, 10}) {
        home.attach(&engine);
        home.set("sensor.watch_sleep_stage", "wake");
        home.set("light.bedroom_light", "on");
        home.set("light.bedside", "on", {{"area_id", "bedroom"}});
        home.set("light.hall", "off");
        home.set("cover.bedroom_blinds", "open");
        home.set("binary_sensor.hallway_motion", "off");
        HomeConfig config = parse_home_config(home_yaml, "home.yaml");
        EXPECT_TRUE(config.problems.empty());
        engine.load(std::move(config));
    }
    void wait_ms(DurationMs ms) {
        clock.advance_ms(ms);
        engine.advance();
    }

    ManualClock clock{monday_utc_ms + 22LL * 3600 * 1000}; // Monday 22:00
    FakeHome home;
    AutomationEngine engine;
};

TEST_F(EngineYaml, FallingAsleepAtNightDarkensTheBedroom) {
    home.set("sensor.watch_sleep_stage", "light");
    wait_ms(3 * minute_ms);
    home.set("sensor.watch_sleep_stage", "deep");
    EXPECT_TRUE(home.calls.empty());
    wait_ms(2 * minute_ms);
    EXPECT_EQ(home.call_texts(),
              (std::vector<std::string>{"light.turn_off light.bedroom_light",
                                        "light.turn_off light.bedside",
                                        "cover.close_cover cover.bedroom_blinds"}));
    const Trace trace = engine.traces("lights_off_when_asleep").at(0);
    EXPECT_EQ(trace.outcome, RunOutcome::Finished);
    EXPECT_EQ(trace.trigger_data["to_state"]["state"], "light");
    EXPECT_EQ(trace.steps[1].kind, "time");
    EXPECT_EQ(trace.steps[1].result, "passed");
}

TEST_F(EngineYaml, ANapInTheAfternoonDoesNothing) {
    clock.set_ms(monday_utc_ms + 14LL * 3600 * 1000);
    home.set("sensor.watch_sleep_stage", "light");
    wait_ms(10 * minute_ms);
    EXPECT_TRUE(home.calls.empty());
    EXPECT_EQ(engine.traces("lights_off_when_asleep").at(0).outcome, RunOutcome::ConditionFailed);
}

TEST_F(EngineYaml, MotionLightWaitsForStillnessAndRestartsOnMotion) {
    home.set("binary_sensor.hallway_motion", "on");
    ASSERT_EQ(home.call_texts(), (std::vector<std::string>{"light.turn_on light.hall"}));
    EXPECT_EQ(home.calls[0].data["brightness"], 180);
    home.set("binary_sensor.hallway_motion", "off");
    wait_ms(minute_ms);
    home.set("binary_sensor.hallway_motion", "on"); // motion again: the run restarts
    home.set("binary_sensor.hallway_motion", "off");
    wait_ms(minute_ms + 59'999);
    EXPECT_EQ(home.calls.size(), 2U); // two turn_on, no turn_off yet
    wait_ms(1);
    ASSERT_EQ(home.calls.size(), 3U);
    EXPECT_EQ(home.call_texts().back(), "light.turn_off light.hall");
    const std::vector<Trace> traces = engine.traces("hallway_motion_light");
    ASSERT_EQ(traces.size(), 2U);
    EXPECT_EQ(traces[0].outcome, RunOutcome::Finished);
    EXPECT_EQ(traces[1].outcome, RunOutcome::Stopped);
}

TEST_F(EngineYaml, MotionLightTimesOutAndStillTurnsOff) {
    home.set("binary_sensor.hallway_motion", "on");
    wait_ms(10 * minute_ms);
    EXPECT_EQ(home.call_texts().back(), "light.turn_off light.hall");
}

} // namespace
} // namespace hearth::hub::automation
