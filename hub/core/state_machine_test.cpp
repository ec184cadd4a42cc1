#include "core/state_machine.h"

#include <gtest/gtest.h>

namespace hearth::hub {
namespace {

TEST(EntityId, ParsesDomainAndObject) {
    const auto id = parse_entity_id("light.living_room");
    ASSERT_TRUE(id.has_value());
    EXPECT_EQ(id->domain, "light");
    EXPECT_EQ(id->object_id, "living_room");
    EXPECT_EQ(id->str(), "light.living_room");
    EXPECT_FALSE(parse_entity_id("light").has_value());
    EXPECT_FALSE(parse_entity_id(".x").has_value());
    EXPECT_FALSE(parse_entity_id("light.").has_value());
    EXPECT_FALSE(parse_entity_id("Light.x").has_value());
    EXPECT_FALSE(parse_entity_id("light.living room").has_value());
}

TEST(EntityId, SlugifiesNames) {
    EXPECT_EQ(slugify("Living Room Lamp"), "living_room_lamp");
    EXPECT_EQ(slugify("  0x00158d--0001 "), "0x00158d_0001");
    EXPECT_EQ(slugify("!!!"), "unnamed");
}

TEST(StateMachine, ReportsChangesOnly) {
    ManualClock clock(1000);
    StateMachine states(clock);
    std::vector<StateChangedEvent> events;
    states.subscribe([&](const StateChangedEvent& e) { events.push_back(e); });

    ASSERT_TRUE(states.set("light.kitchen", "off").has_value());
    clock.advance_ms(500);
    EXPECT_FALSE(states.set("light.kitchen", "off").has_value());
    clock.advance_ms(500);
    states.set("light.kitchen", "on", {{"brightness", 120}});
    clock.advance_ms(500);
    states.set("light.kitchen", "on", {{"brightness", 200}});

    ASSERT_EQ(events.size(), 3U);
    EXPECT_FALSE(events[0].old_state.has_value());
    EXPECT_EQ(events[1].old_state->state, "off");
    EXPECT_EQ(events[1].new_state->state, "on");
    const EntityState* now = states.get("light.kitchen");
    ASSERT_NE(now, nullptr);
    EXPECT_EQ(now->last_changed_ms, 2000);
    EXPECT_EQ(now->last_updated_ms, 2500);
    EXPECT_EQ(now->attributes["brightness"], 200);
}

TEST(StateMachine, RemovesAndUnsubscribes) {
    ManualClock clock;
    StateMachine states(clock);
    int calls = 0;
    const int token = states.subscribe([&](const StateChangedEvent&) { ++calls; });
    states.set("sensor.t", "21.5");
    const auto removed = states.remove("sensor.t");
    ASSERT_TRUE(removed.has_value());
    EXPECT_FALSE(removed->new_state.has_value());
    EXPECT_EQ(states.get("sensor.t"), nullptr);
    EXPECT_FALSE(states.remove("sensor.t").has_value());
    states.unsubscribe(token);
    states.set("sensor.t", "22");
    EXPECT_EQ(calls, 2);
    EXPECT_EQ(states.all().size(), 1U);
}

} // namespace
} // namespace hearth::hub
