#pragma once

// The Hearth watch convention (docs/watch-protocol.md): a watch publishes batches of raw sensor
// samples to `hearth/watch/<id>/samples`, its own events to `hearth/watch/<id>/event` and
// "online"/"offline" to `hearth/watch/<id>/availability`. The adapter runs the health engine
// live on the samples (heart rate, steps, activity, sleep) and turns the results into entities
// `sensor.<w>_heart_rate`, `_steps`, `_cadence`, `_activity`, `_sleep_stage` (w = slugify(id))
// and events (fell_asleep, woke_up, workout_started, workout_ended, heart_rate_high,
// heart_rate_low). Time comes only from the samples (t0_ms), never from the wall clock.
//
// Live sleep (docs/watch-protocol.md): `asleep`, fell_asleep and woke_up come from the causal
// SleepDetector (engine/health/sleep_detector.h) fed with each 30 s epoch's movement index and
// heart rate; while asleep, the stage shown is the whole-night SleepStager's, re-run over the
// night so far, with its "wake" shown as "light" so that the entity leaves `wake` once a night.
//
// Memory: each watch holds the engine's estimators (~200 KB) plus per-epoch sleep history (a
// few floats per 30 s, bounded to 12 h). Payloads larger than max_payload_bytes are refused.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "devices/device_adapter.h"
#include "health/sleep_detector.h"
#include "store/store.h"

namespace hearth::hub {

// The live sleep detector's constants for the adapter's movement index: the mean absolute
// change of |a| between consecutive accelerometer samples over a 30 s epoch, in m/s^2. A still
// wrist gives the sensor's noise (about 0.011 m/s^2 for 0.01 m/s^2 of noise per axis, typical
// of a watch accelerometer at 25-100 Hz), quiet waking fidgets 0.05 m/s^2 and more, walking
// 0.5 and more. Floor 0.02: noise up to about twice that counts as still; scale 0.05: one epoch
// at 0.07 m/s^2, or about 0.04 m/s^2 sustained, is wake.
inline engine::health::SleepDetectorConfig watch_sleep_detector_config() {
    engine::health::SleepDetectorConfig config;
    config.movement_floor = 0.02F;
    config.movement_scale = 0.05F;
    return config;
}

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
    // Live sleep: the detector that decides asleep/awake (and so fell_asleep, woke_up), and how
    // often (sample time) the night so far is re-staged for the stage shown while asleep.
    engine::health::SleepDetectorConfig sleep_detector = watch_sleep_detector_config();
    std::int64_t restage_every_ms = 5 * 60'000;
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
    void update_sleep(Watch& w, MessageOutcome& out);

    WatchConfig m_config;
    std::map<std::string, std::unique_ptr<Watch>> m_watches; // by watch id
};

} // namespace hearth::hub
