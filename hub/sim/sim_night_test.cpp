// The simulated watch's night played straight into the watch adapter (no broker, no clock):
// live sleep detection must fall asleep once near 23:00 and wake once near 06:45, and the
// sleep stage entity must agree (leave `wake` once, come back once).

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "devices/watch.h"
#include "sim/sim_watch.h"

namespace hearth::hub::sim {
namespace {

constexpr std::int64_t minute_ms = 60'000;
constexpr std::int64_t hour_ms = 60 * minute_ms;
// 2025-11-25 00:00 UTC; the evening before is 2025-11-24.
constexpr std::int64_t day_start_ms = 1'764'028'800'000;

struct SleepEvent {
    std::string type;
    std::int64_t t_ms = 0;
};

struct Night {
    std::vector<SleepEvent> events;
    // The sleep stage entity's state changes between wake and not wake, with the batch time.
    std::vector<SleepEvent> stage_changes;
    int incoherent = 0; // updates whose asleep attribute disagrees with the state
};

// Plays [from_ms, to_ms) in 5 s batches, as `hearth simulate` publishes them.
Night play(std::uint64_t seed, std::int64_t from_ms, std::int64_t to_ms) {
    WatchSynth synth(seed);
    WatchAdapter adapter;
    Night out;
    bool shown_asleep = false;
    constexpr std::int64_t batch_ms = 5000;
    for (std::int64_t t = from_ms; t + batch_ms <= to_ms; t += batch_ms) {
        const WatchBatch batch = synth.next_batch(t, batch_ms);
        const MessageOutcome outcome =
            adapter.on_message({"hearth/watch/w/samples", batch.samples_payload, 1, false});
        EXPECT_FALSE(outcome.error.has_value()) << *outcome.error;
        for (const auto& e : outcome.events) {
            if (e.type == "fell_asleep" || e.type == "woke_up") {
                out.events.push_back({e.type, e.time_ms});
            }
        }
        for (const auto& u : outcome.updates) {
            if (u.entity_id != "sensor.w_sleep_stage") {
                continue;
            }
            const bool asleep = u.state != "wake";
            out.incoherent += u.attributes.value("asleep", !asleep) != asleep ? 1 : 0;
            if (asleep != shown_asleep) {
                shown_asleep = asleep;
                out.stage_changes.push_back({asleep ? "asleep" : "wake", t});
            }
        }
    }
    return out;
}

std::string describe(const std::vector<SleepEvent>& events) {
    std::string out;
    for (const auto& e : events) {
        const std::int64_t in_day = ((e.t_ms % (24 * hour_ms)) + 24 * hour_ms) % (24 * hour_ms);
        char line[64];
        std::snprintf(line, sizeof line, "%s %02d:%02d\n", e.type.c_str(),
                      static_cast<int>(in_day / hour_ms),
                      static_cast<int>(in_day % hour_ms / minute_ms));
        out += line;
    }
    return out;
}

// 21:30 to 08:30: one fell_asleep within 15 minutes after 23:00, one woke_up from 5 minutes
// before to 15 minutes after 06:45, nothing else.
void expect_one_night(std::uint64_t seed) {
    const std::int64_t from_ms = day_start_ms - 150 * minute_ms;
    const std::int64_t to_ms = day_start_ms + 8 * hour_ms + 30 * minute_ms;
    const Night night = play(seed, from_ms, to_ms);
    const auto& events = night.events;
    ASSERT_EQ(events.size(), 2U) << "seed " << seed << ":\n" << describe(events);
    EXPECT_EQ(events[0].type, "fell_asleep") << describe(events);
    EXPECT_EQ(events[1].type, "woke_up") << describe(events);
    const std::int64_t asleep_ms = day_start_ms - hour_ms;
    const std::int64_t awake_ms = day_start_ms + 6 * hour_ms + 45 * minute_ms;
    // Measured: 23:04 and 06:45 for all three seeds (the onset is the first of 10 still minutes;
    // Webster's rescoring after a long wake holds back the first 4 of them).
    EXPECT_GE(events[0].t_ms, asleep_ms) << describe(events);
    EXPECT_LE(events[0].t_ms, asleep_ms + 15 * minute_ms) << describe(events);
    EXPECT_GE(events[1].t_ms, awake_ms - 5 * minute_ms) << describe(events);
    EXPECT_LE(events[1].t_ms, awake_ms + 15 * minute_ms) << describe(events);
    std::printf("seed %llu:\n%s", static_cast<unsigned long long>(seed), describe(events).c_str());
    // The entity: wake -> a sleep stage once (within 15 min after the event is sent: the
    // detector reports onset 11 min after it) and back once.
    EXPECT_EQ(night.incoherent, 0);
    ASSERT_EQ(night.stage_changes.size(), 2U) << describe(night.stage_changes);
    EXPECT_EQ(night.stage_changes[0].type, "asleep");
    EXPECT_GE(night.stage_changes[0].t_ms, events[0].t_ms);
    EXPECT_LE(night.stage_changes[0].t_ms, events[0].t_ms + 15 * minute_ms);
    EXPECT_EQ(night.stage_changes[1].type, "wake");
    EXPECT_GE(night.stage_changes[1].t_ms, events[1].t_ms);
    EXPECT_LE(night.stage_changes[1].t_ms, events[1].t_ms + 15 * minute_ms);
}

TEST(SimulatedNight, FallsAsleepOnceAndWakesOnce) {
    expect_one_night(2);
}

TEST(SimulatedNight, OtherSeedsToo) {
    expect_one_night(7);
    expect_one_night(42);
}

} // namespace
} // namespace hearth::hub::sim
