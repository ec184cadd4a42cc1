// Triggers: state (from/to/not_*, attribute, for:), numeric_state, time, time_pattern, event,
// and the trigger index with hundreds of automations.

#include <set>

#include <gtest/gtest.h>

#include "automation/engine.h"
#include "testing/fake_home.h"

namespace hearth::hub::automation {
namespace {

using testing::FakeHome;

constexpr TimestampMs monday_utc_ms = 1'704'067'200'000; // 2024-01-01 00:00:00 UTC, a Monday
constexpr DurationMs minute_ms = 60'000;

class EngineTrigger : public ::testing::Test {
protected:
    EngineTrigger() : home(clock), engine(home, clock, EngineOptions{0, 10}) {
        home.attach(&engine);
        home.set("light.bedroom", "on");
    }
    void load(std::vector<Trigger> triggers) {
        engine.load(testing::with_automations({testing::make_automation(
            "a", std::move(triggers), {testing::service("light.turn_off", {"light.bedroom"})})}));
    }
    [[nodiscard]] std::size_t runs() const { return home.calls.size(); }

    ManualClock clock{monday_utc_ms};
    FakeHome home;
    AutomationEngine engine;
};

TEST_F(EngineTrigger, WatchedEntitiesAreThoseOfStateTriggersAndWaits) {
    EXPECT_TRUE(engine.watched_entities().empty());
    Automation a = testing::make_automation(
        "a",
        {testing::state_trigger("binary_sensor.door", {"on"}),
         testing::numeric_trigger("sensor.temperature", std::nullopt, 16.0)},
        {testing::service("light.turn_off", {"light.bedroom"})});
    Action wait{WaitForTriggerAction{{testing::state_trigger("light.hall", {"off"})}}};
    Action branch{IfAction{{}, {wait}, {}}};
    a.actions.push_back(branch);
    engine.load(testing::with_automations({a}));
    EXPECT_EQ(engine.watched_entities(),
              (std::set<std::string>{"binary_sensor.door", "light.hall", "sensor.temperature"}));
}

TEST_F(EngineTrigger, StateToFiresOnMatchingChangeOnly) {
    home.set("binary_sensor.door", "off");
    load({testing::state_trigger("binary_sensor.door", {"on"})});
    home.set("binary_sensor.door", "off", {{"battery", 90}});
    EXPECT_EQ(runs(), 0U);
    home.set("binary_sensor.door", "on");
    ASSERT_EQ(runs(), 1U);
    EXPECT_EQ(home.call_texts()[0], "light.turn_off light.bedroom");
    const std::vector<Trace> traces = engine.traces("a");
    ASSERT_EQ(traces.size(), 1U);
    EXPECT_EQ(traces[0].outcome, RunOutcome::Finished);
    EXPECT_EQ(traces[0].trigger_data["entity_id"], "binary_sensor.door");
    EXPECT_EQ(traces[0].trigger_data["from_state"]["state"], "off");
    EXPECT_EQ(traces[0].trigger_data["to_state"]["state"], "on");
    EXPECT_EQ(traces[0].trigger_id, "0");
}

TEST_F(EngineTrigger, StateFromAndToMustBothMatch) {
    home.set("sensor.sleep", "wake");
    load({testing::state_trigger("sensor.sleep", {"light"}, {"wake"})});
    home.set("sensor.sleep", "deep");  // from wake, but to deep
    home.set("sensor.sleep", "light"); // to light, but from deep
    EXPECT_EQ(runs(), 0U);
    home.set("sensor.sleep", "wake");
    home.set("sensor.sleep", "light");
    EXPECT_EQ(runs(), 1U);
}

TEST_F(EngineTrigger, WithoutFromToAnyStateChangeButNoAttributeOnlyChange) {
    home.set("sensor.mode", "a", {{"x", 1}});
    load({testing::state_trigger("sensor.mode")});
    home.set("sensor.mode", "a", {{"x", 2}});
    EXPECT_EQ(runs(), 0U);
    home.set("sensor.mode", "b", {{"x", 2}});
    home.set("sensor.mode", "c", {{"x", 2}});
    EXPECT_EQ(runs(), 2U);
}

TEST_F(EngineTrigger, AttributeTriggerFiresOnThatAttributeOnly) {
    home.set("light.desk", "on", {{"brightness", 10}});
    Trigger trigger = testing::state_trigger("light.desk");
    std::get<StateTrigger>(trigger.kind).attribute = "brightness";
    load({trigger});
    home.set("light.desk", "off", {{"brightness", 10}});
    EXPECT_EQ(runs(), 0U);
    home.set("light.desk", "off", {{"brightness", 20}});
    EXPECT_EQ(runs(), 1U);
}

TEST_F(EngineTrigger, NotFromAndNotTo) {
    home.set("sensor.x", "a");
    Trigger trigger = testing::state_trigger("sensor.x");
    std::get<StateTrigger>(trigger.kind).not_to = {"unavailable"};
    std::get<StateTrigger>(trigger.kind).not_from = {"unknown"};
    load({trigger});
    home.set("sensor.x", "unavailable");
    EXPECT_EQ(runs(), 0U);
    home.set("sensor.x", "unknown"); // from unavailable to unknown: neither excluded
    EXPECT_EQ(runs(), 1U);
    home.set("sensor.x", "b"); // from unknown
    EXPECT_EQ(runs(), 1U);
    home.set("sensor.x", "c");
    EXPECT_EQ(runs(), 2U);
}

TEST_F(EngineTrigger, ForInterruptedWhenTheStateGoesBack) {
    home.set("binary_sensor.motion", "on");
    load({testing::state_trigger("binary_sensor.motion", {"off"}, {}, 5 * minute_ms)});
    home.set("binary_sensor.motion", "off");
    EXPECT_EQ(engine.next_deadline(), clock.now_ms() + 5 * minute_ms);
    clock.advance_ms(4 * minute_ms);
    engine.advance();
    home.set("binary_sensor.motion", "on");
    EXPECT_EQ(engine.next_deadline(), std::nullopt);
    clock.advance_ms(10 * minute_ms);
    engine.advance();
    EXPECT_EQ(runs(), 0U);
    EXPECT_TRUE(engine.traces("a").empty());
}

TEST_F(EngineTrigger, ForFiresExactlyWhenHeld) {
    home.set("binary_sensor.motion", "on");
    load({testing::state_trigger("binary_sensor.motion", {"off"}, {}, 5 * minute_ms)});
    const TimestampMs start = clock.now_ms();
    home.set("binary_sensor.motion", "off");
    home.set("binary_sensor.motion", "off", {{"battery", 50}}); // attributes do not interrupt
    clock.advance_ms(5 * minute_ms - 1);
    engine.advance();
    EXPECT_EQ(runs(), 0U);
    clock.advance_ms(1);
    engine.advance();
    ASSERT_EQ(runs(), 1U);
    EXPECT_EQ(home.call_times_ms[0], start + 5 * minute_ms);
    EXPECT_EQ(engine.traces("a")[0].trigger_data["for_ms"], 5 * minute_ms);
}

TEST_F(EngineTrigger, ForWithFromOnlyHoldsUntilTheOldStateReturns) {
    // The example: `from: wake, for: 00:05:00` — asleep in any stage for five minutes.
    home.set("sensor.watch_sleep_stage", "wake");
    load({testing::state_trigger("sensor.watch_sleep_stage", {}, {"wake"}, 5 * minute_ms)});
    home.set("sensor.watch_sleep_stage", "light");
    clock.advance_ms(2 * minute_ms);
    home.set("sensor.watch_sleep_stage", "wake"); // woke up again: cancelled
    clock.advance_ms(10 * minute_ms);
    engine.advance();
    EXPECT_EQ(runs(), 0U);

    home.set("sensor.watch_sleep_stage", "light");
    clock.advance_ms(2 * minute_ms);
    home.set("sensor.watch_sleep_stage", "deep"); // still asleep: keeps counting
    clock.advance_ms(3 * minute_ms);
    engine.advance();
    EXPECT_EQ(runs(), 1U);
}

TEST_F(EngineTrigger, ForWithToRestartsWhenAnotherMatchingValueArrives) {
    home.set("sensor.x", "idle");
    load({testing::state_trigger("sensor.x", {"a", "b"}, {}, 5 * minute_ms)});
    home.set("sensor.x", "a");
    clock.advance_ms(3 * minute_ms);
    home.set("sensor.x", "b");
    clock.advance_ms(3 * minute_ms);
    engine.advance();
    EXPECT_EQ(runs(), 0U);
    clock.advance_ms(2 * minute_ms);
    engine.advance();
    EXPECT_EQ(runs(), 1U);
}

TEST_F(EngineTrigger, NumericStateFiresOnCrossingNotWhileInside) {
    home.set("sensor.hr", "90");
    load({testing::numeric_trigger("sensor.hr", 100.0, std::nullopt)});
    home.set("sensor.hr", "110");
    home.set("sensor.hr", "120");
    EXPECT_EQ(runs(), 1U);
    home.set("sensor.hr", "100"); // bounds are exclusive: out
    home.set("sensor.hr", "unavailable");
    EXPECT_EQ(runs(), 1U);
    home.set("sensor.hr", "105");
    EXPECT_EQ(runs(), 2U);
}

TEST_F(EngineTrigger, NumericStateRangeAndAttribute) {
    home.set("climate.room", "heat", {{"current_temperature", 22.0}});
    Trigger trigger = testing::numeric_trigger("climate.room", 17.0, 19.0);
    std::get<NumericStateTrigger>(trigger.kind).attribute = "current_temperature";
    load({trigger});
    home.set("climate.room", "heat", {{"current_temperature", 16.0}}); // below the range
    EXPECT_EQ(runs(), 0U);
    home.set("climate.room", "heat", {{"current_temperature", 18.5}});
    EXPECT_EQ(runs(), 1U);
}

TEST_F(EngineTrigger, NumericStateForInterruptedAndHeld) {
    home.set("sensor.hr", "80");
    load({testing::numeric_trigger("sensor.hr", 150.0, std::nullopt, minute_ms)});
    home.set("sensor.hr", "160");
    clock.advance_ms(30'000);
    home.set("sensor.hr", "170"); // still inside: keeps counting
    clock.advance_ms(20'000);
    home.set("sensor.hr", "140"); // out before the minute
    clock.advance_ms(60'000);
    engine.advance();
    EXPECT_EQ(runs(), 0U);
    home.set("sensor.hr", "155");
    clock.advance_ms(60'000);
    engine.advance();
    EXPECT_EQ(runs(), 1U);
}

TEST_F(EngineTrigger, TimeTriggerUsesLocalTime) {
    AutomationEngine local_engine(home, clock, EngineOptions{3600, 10}); // UTC+1
    local_engine.load(testing::with_automations(
        {testing::make_automation("wake", {Trigger{TimeTrigger{{7 * 3600 + 30 * 60}}, "0", {}}},
                                  {testing::service("light.turn_on", {"light.bedroom"})})}));
    const TimestampMs expected = monday_utc_ms + (6 * 3600 + 30 * 60) * 1000LL;
    EXPECT_EQ(local_engine.next_deadline(), expected);
    clock.set_ms(expected - 1);
    local_engine.advance();
    EXPECT_EQ(runs(), 0U);
    clock.set_ms(expected);
    local_engine.advance();
    ASSERT_EQ(runs(), 1U);
    EXPECT_EQ(local_engine.next_deadline(), expected + 86'400'000);
    EXPECT_EQ(local_engine.traces()[0].trigger_data["platform"], "time");
}

TEST_F(EngineTrigger, TimePatternFiresOnEveryMatchInOrder) {
    TimePatternTrigger pattern;
    pattern.minutes = {TimePatternField::Kind::Every, 15};
    pattern.seconds = {TimePatternField::Kind::Exact, 0}; // what the loader makes of an omission
    load({Trigger{pattern, "0", {}}});
    EXPECT_EQ(engine.next_deadline(), monday_utc_ms + 15 * minute_ms);
    clock.advance_ms(60 * minute_ms);
    engine.advance(); // 00:15, 00:30, 00:45, 01:00
    ASSERT_EQ(runs(), 4U);
    const std::vector<Trace> traces = engine.traces("a"); // newest first
    ASSERT_EQ(traces.size(), 4U);
    EXPECT_EQ(traces[3].start_ms, monday_utc_ms + 15 * minute_ms);
    EXPECT_EQ(traces[0].start_ms, monday_utc_ms + 60 * minute_ms);
    EXPECT_EQ(engine.next_deadline(), monday_utc_ms + 75 * minute_ms);
}

TEST_F(EngineTrigger, EventTriggerMatchesDataSubset) {
    load({testing::event_trigger("fell_asleep", {{"source", "watch"}}, "asleep")});
    engine.on_event("fell_asleep", {{"source", "phone"}}, clock.now_ms());
    engine.on_event("woke_up", {{"source", "watch"}}, clock.now_ms());
    EXPECT_EQ(runs(), 0U);
    engine.on_event("fell_asleep", {{"source", "watch"}, {"confidence", 0.9}}, clock.now_ms());
    ASSERT_EQ(runs(), 1U);
    const Trace trace = engine.traces("a")[0];
    EXPECT_EQ(trace.trigger_id, "asleep");
    EXPECT_EQ(trace.trigger_data["event_type"], "fell_asleep");
    EXPECT_EQ(trace.trigger_data["data"]["confidence"], 0.9);
    EXPECT_EQ(trace.steps.at(0).path, "trigger/0");
}

TEST_F(EngineTrigger, WatchEventNumbersMatchTheirTextForm) {
    load({testing::event_trigger("heart_rate_high", {{"source", "watch"}, {"zone", "5"}})});
    engine.on_event("heart_rate_high", {{"source", "watch"}, {"zone", 5}, {"bpm", 182}},
                    clock.now_ms());
    EXPECT_EQ(runs(), 1U);
}

TEST_F(EngineTrigger, DisabledAutomationDoesNotFire) {
    home.set("sensor.x", "a");
    load({testing::state_trigger("sensor.x")});
    ASSERT_TRUE(engine.set_enabled("a", false));
    home.set("sensor.x", "b");
    EXPECT_EQ(runs(), 0U);
    ASSERT_TRUE(engine.set_enabled("a", true));
    home.set("sensor.x", "c");
    EXPECT_EQ(runs(), 1U);
    EXPECT_FALSE(engine.set_enabled("nope", true));
}

TEST_F(EngineTrigger, FiveHundredAutomationsOneChangeRunsOnlyTheMatchingOne) {
    std::vector<Automation> automations;
    for (int i = 0; i < 500; ++i) {
        const std::string sensor = "sensor.s" + std::to_string(i);
        home.set(sensor, "off");
        home.set("light.l" + std::to_string(i), "off");
        automations.push_back(testing::make_automation(
            "a" + std::to_string(i), {testing::state_trigger(sensor, {"on"})},
            {testing::service("light.turn_on", {"light.l" + std::to_string(i)})}));
    }
    engine.load(testing::with_automations(std::move(automations)));
    home.set("sensor.s250", "on");
    ASSERT_EQ(runs(), 1U);
    EXPECT_EQ(home.call_texts()[0], "light.turn_on light.l250");
    const std::vector<Trace> traces = engine.traces();
    ASSERT_EQ(traces.size(), 1U);
    EXPECT_EQ(traces[0].automation_id, "a250");
    EXPECT_EQ(engine.automations().size(), 500U);
}

} // namespace
} // namespace hearth::hub::automation
