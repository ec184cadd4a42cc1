// Conditions: state (with for:), numeric_state, time (midnight wrap, weekdays), and/or/not,
// trigger id; each evaluated condition is a trace step.

#include <gtest/gtest.h>

#include "automation/engine.h"
#include "testing/fake_home.h"

namespace hearth::hub::automation {
namespace {

using testing::FakeHome;

constexpr TimestampMs monday_utc_ms = 1'704'067'200'000; // 2024-01-01 00:00:00 UTC, a Monday
constexpr DurationMs minute_ms = 60'000;
constexpr int hour_s = 3600;

class EngineCondition : public ::testing::Test {
protected:
    EngineCondition() : home(clock), engine(home, clock, EngineOptions{0, 10}) {
        home.attach(&engine);
        home.set("light.bedroom", "on");
        home.set("sensor.trigger", "0");
    }
    void load(std::vector<Condition> conditions,
              std::vector<Trigger> triggers = {testing::state_trigger("sensor.trigger")}) {
        engine.load(testing::with_automations({testing::make_automation(
            "a", std::move(triggers), {testing::service("light.turn_off", {"light.bedroom"})},
            Mode::Parallel, std::move(conditions))}));
    }
    // Fires the trigger; true when the actions ran.
    bool fire() {
        const std::size_t before = home.calls.size();
        home.set("sensor.trigger", std::to_string(++m_count));
        return home.calls.size() > before;
    }

    ManualClock clock{monday_utc_ms};
    FakeHome home;
    AutomationEngine engine;

private:
    int m_count = 0;
};

TEST_F(EngineCondition, StateConditionAndTraceSteps) {
    home.set("person.me", "home");
    load({testing::state_condition("person.me", {"away", "vacation"})});
    EXPECT_FALSE(fire());
    Trace trace = engine.traces("a")[0];
    EXPECT_EQ(trace.outcome, RunOutcome::ConditionFailed);
    ASSERT_EQ(trace.steps.size(), 2U);
    EXPECT_EQ(trace.steps[1].path, "condition/0");
    EXPECT_EQ(trace.steps[1].kind, "state");
    EXPECT_EQ(trace.steps[1].result, "failed");
    EXPECT_NE(trace.steps[1].detail.find("'home'"), std::string::npos);

    home.set("person.me", "vacation");
    EXPECT_TRUE(fire());
    trace = engine.traces("a")[0];
    EXPECT_EQ(trace.outcome, RunOutcome::Finished);
    EXPECT_EQ(trace.steps[1].result, "passed");
    EXPECT_EQ(trace.steps[2].path, "action/0");
    EXPECT_EQ(trace.steps[2].result, "done");
}

TEST_F(EngineCondition, StateConditionForCountsFromLastChanged) {
    home.set("binary_sensor.door", "closed");
    load({testing::state_condition("binary_sensor.door", {"closed"}, 10 * minute_ms)});
    clock.advance_ms(9 * minute_ms);
    home.set("binary_sensor.door", "closed", {{"battery", 80}}); // not a state change
    EXPECT_FALSE(fire());
    clock.advance_ms(minute_ms);
    EXPECT_TRUE(fire());
}

TEST_F(EngineCondition, MissingEntityFailsStateCondition) {
    load({testing::state_condition("sensor.nowhere", {})});
    EXPECT_FALSE(fire());
}

TEST_F(EngineCondition, NumericStateCondition) {
    home.set("sensor.lux", "12.5");
    load({testing::numeric_condition("sensor.lux", std::nullopt, 10.0)});
    EXPECT_FALSE(fire());
    home.set("sensor.lux", "9");
    EXPECT_TRUE(fire());
    home.set("sensor.lux", "dark");
    EXPECT_FALSE(fire());
}

TEST_F(EngineCondition, TimeConditionWrapsMidnight) {
    load({testing::time_condition(21 * hour_s, 9 * hour_s)});
    clock.set_ms(monday_utc_ms + 22LL * hour_s * 1000);
    EXPECT_TRUE(fire());
    clock.set_ms(monday_utc_ms + (9LL * hour_s - 1) * 1000);
    EXPECT_TRUE(fire());
    clock.set_ms(monday_utc_ms + 9LL * hour_s * 1000);
    EXPECT_FALSE(fire());
    clock.set_ms(monday_utc_ms + 12LL * hour_s * 1000);
    EXPECT_FALSE(fire());
}

TEST_F(EngineCondition, TimeConditionAfterOnlyAndWeekdays) {
    // Saturday and Sunday only (bits 5, 6), after 10:00.
    load({testing::time_condition(10 * hour_s, std::nullopt, 0x60)});
    clock.set_ms(monday_utc_ms + 11LL * hour_s * 1000);
    EXPECT_FALSE(fire()); // Monday
    clock.set_ms(monday_utc_ms + (5 * 24 + 11LL) * hour_s * 1000);
    EXPECT_TRUE(fire()); // Saturday 11:00
    clock.set_ms(monday_utc_ms + (6 * 24 + 9LL) * hour_s * 1000);
    EXPECT_FALSE(fire()); // Sunday 09:00
}

TEST_F(EngineCondition, TimeConditionUsesTheUtcOffset) {
    AutomationEngine local_engine(home, clock, EngineOptions{-5 * 3600, 10});
    home.attach(&local_engine);
    local_engine.load(testing::with_automations({testing::make_automation(
        "a", {testing::state_trigger("sensor.trigger")},
        {testing::service("light.turn_off", {"light.bedroom"})}, Mode::Single,
        {testing::time_condition(std::nullopt, 12 * hour_s)})}));
    clock.set_ms(monday_utc_ms + 15LL * hour_s * 1000); // 10:00 local
    EXPECT_TRUE(fire());
    clock.set_ms(monday_utc_ms + 18LL * hour_s * 1000); // 13:00 local
    EXPECT_FALSE(fire());
}

TEST_F(EngineCondition, AndOrNot) {
    home.set("sensor.a", "on");
    home.set("sensor.b", "off");
    Condition both{AndCondition{{testing::state_condition("sensor.a", {"on"}),
                                 testing::state_condition("sensor.b", {"on"})}},
                   {}};
    Condition either{OrCondition{{testing::state_condition("sensor.a", {"on"}),
                                  testing::state_condition("sensor.b", {"on"})}},
                     {}};
    Condition neither{NotCondition{{testing::state_condition("sensor.a", {"on"}),
                                    testing::state_condition("sensor.b", {"on"})}},
                      {}};
    load({both});
    EXPECT_FALSE(fire());
    load({either});
    EXPECT_TRUE(fire());
    const Trace trace = engine.traces("a")[0];
    EXPECT_EQ(trace.steps[1].kind, "or");
    EXPECT_EQ(trace.steps[2].path, "condition/0/conditions/0");
    EXPECT_EQ(trace.steps[2].result, "passed");
    load({neither});
    EXPECT_FALSE(fire());
    home.set("sensor.a", "off");
    EXPECT_TRUE(fire());
}

TEST_F(EngineCondition, TriggerConditionById) {
    home.set("sensor.other", "0");
    load({Condition{TriggerCondition{{"main"}}, {}}},
         {testing::state_trigger("sensor.trigger", {}, {}, std::nullopt, "main"),
          testing::state_trigger("sensor.other", {}, {}, std::nullopt, "other")});
    home.set("sensor.other", "1");
    EXPECT_TRUE(home.calls.empty());
    EXPECT_TRUE(fire());
}

TEST_F(EngineCondition, ConditionsStopAtTheFirstFailure) {
    home.set("sensor.a", "off");
    load({testing::state_condition("sensor.a", {"on"}),
          testing::state_condition("sensor.a", {"off"})});
    EXPECT_FALSE(fire());
    EXPECT_EQ(engine.traces("a")[0].steps.size(), 2U); // trigger, condition/0
}

} // namespace
} // namespace hearth::hub::automation
