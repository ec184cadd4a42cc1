#pragma once

// The Hearth watch convention (docs/watch-protocol.md): a watch publishes batches of raw sensor
// samples to `hearth/watch/<id>/samples`, its own events to `hearth/watch/<id>/event` and
// "online"/"offline" to `hearth/watch/<id>/availability`. The adapter runs the health engine
// live on the samples (heart rate, steps, activity, sleep) and turns the results into entities
// `sensor.<w>_heart_rate`, `_steps`, `_cadence`, `_activity`, `_sleep_stage` (w = slugify(id))
// and events (fell_asleep, woke_up, workout_started, workout_ended, heart_rate_high,
// heart_rate_low). Time comes only from the samples (t0_ms), never from the wall clock.
//
// Memory: each watch holds the engine's estimators (~200 KB) plus per-epoch sleep history (a
// few floats per 30 s, bounded to 16 h). Payloads larger than max_payload_bytes are refused.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "devices/device_adapter.h"
#include "store/store.h"

namespace hearth::hub {

struct WatchConfig {
    std::string base_topic = "hearth/watch";
    // heart_rate_high: resting (activity still) heart rate above this for alert_after_ms;
    // heart_rate_low: any heart rate below low_bpm for alert_after_ms.
    float high_bpm = 120.0F;
    float low_bpm = 40.0F;
    std::int64_t alert_after_ms = 10 * 60'000;
    // Sustained running/cycling this long starts an auto-detected workout; this long of
    // anything else ends it.
    std::int64_t workout_after_ms = 3 * 60'000;
    // Live sleep staging: how often (sample time) the night so far is re-staged, and how many
    // of the latest epochs must agree to change between asleep and awake (hysteresis).
    std::int64_t restage_every_ms = 5 * 60'000;
    std::size_t decide_epochs = 10;
};

class WatchAdapter final : public DeviceAdapter {
public:
    static constexpr std::size_t max_payload_bytes = 512 * 1024;
    static constexpr int max_rate_hz = 1000;
    static constexpr std::int64_t max_batch_ms = 60'000;

    explicit WatchAdapter(WatchConfig config = {});
    ~WatchAdapter() override;
    WatchAdapter(const WatchAdapter&) = delete;
    WatchAdapter& operator=(const WatchAdapter&) = delete;

    [[nodiscard]] std::string name() const override { return "watch"; }
    [[nodiscard]] std::vector<std::string> subscriptions() const override;
    [[nodiscard]] bool accepts(const std::string& topic) const override;
    MessageOutcome on_message(const MqttMessage& message) override;
    [[nodiscard]] bool owns(const std::string& entity_id) const override;
    // Watch entities are read-only sensors: every call is refused.
    CommandOutcome command(const ServiceCall& call) override;

    [[nodiscard]] std::size_t watch_count() const { return m_watches.size(); }

    struct Watch; // engine state of one watch (watch.cpp)

private:
    MessageOutcome on_samples(Watch& w, const std::string& payload);
    MessageOutcome on_event(Watch& w, const std::string& payload);
    MessageOutcome on_availability(Watch& w, const std::string& payload);

    WatchConfig m_config;
    std::map<std::string, std::unique_ptr<Watch>> m_watches; // by watch id
};

} // namespace hearth::hub
