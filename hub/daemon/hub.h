#pragma once

// The hub daemon's core: MQTT in (through the ingest journal), device adapters, the state
// machine, the store, and service calls out. The HTTP/WebSocket API and the command line sit on
// top of this class.
//
// Threads: the MQTT client's network thread journals and queues messages; one processing thread
// owns the adapters, applies updates and writes the store in batches; API calls are safe from
// any thread (they take the hub's lock).

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <tl/expected.hpp>

#include "core/bounded_queue.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/state_machine.h"
#include "devices/device_adapter.h"
#include "ingest/journal.h"
#include "mqtt/mqtt_client.h"
#include "store/store.h"

namespace hearth::hub {

struct HubConfig {
    std::filesystem::path data_dir = "hearth-data";
    // "sqlite" (the default: <data_dir>/hearth.db), "sqlite:<path>", or a PostgreSQL
    // connection string ("postgresql://..." or "host=... dbname=...").
    std::string store = "sqlite";
    MqttOptions mqtt;
    std::string zigbee2mqtt_base = "zigbee2mqtt";
    std::string discovery_prefix = "homeassistant";
    std::string watch_base = "hearth/watch"; // the Hearth watch convention (watch-protocol.md)
    RetentionPolicy retention;
    std::size_t queue_capacity = 100'000;
    std::size_t batch_max = 2000;
};

enum class MqttRetain { No, Yes };

struct HubStats {
    std::uint64_t messages_received = 0;
    std::uint64_t messages_processed = 0;
    std::uint64_t messages_replayed = 0; // from the journal after a restart
    std::uint64_t state_changes = 0;
    std::uint64_t states_stored = 0;
    std::uint64_t problems = 0;
    std::size_t queue_depth = 0;
    std::size_t entities = 0;
    bool mqtt_connected = false;
    bool mqtt_subscribed = false; // connected, and the broker acknowledged every subscription
    std::map<std::string, std::uint64_t> problem_counts;
};

class Hub {
public:
    using EventListener = std::function<void(const StateChangedEvent&)>;
    // Device events (fell_asleep, workout_started...), after they are stored.
    using DeviceEventListener = std::function<void(const StoredEvent&)>;

    // Opens the store and journal, replays what the journal holds, connects to the broker.
    // Errors are configuration or start-up problems, each one clear line.
    static tl::expected<std::unique_ptr<Hub>, std::string> start(const HubConfig& config,
                                                                 const Clock& clock);
    ~Hub();
    Hub(const Hub&) = delete;
    Hub& operator=(const Hub&) = delete;

    void stop();

    [[nodiscard]] std::vector<EntityState> states() const;
    [[nodiscard]] std::optional<EntityState> state(const std::string& entity_id) const;
    // Sends a command to the device that owns the entity. Errors: unknown entity, unsupported
    // service, or the MQTT client refusing the message.
    tl::expected<void, std::string> call_service(const ServiceCall& call);
    // Called on the processing thread for every state change; keep it short.
    int subscribe(EventListener listener);
    void unsubscribe(int token);
    // Called for every device event and every fired event (fire_event), after it is stored:
    // on the processing thread, or on the thread that called fire_event. Keep it short and never
    // block in it (the processing thread may hold the hub's state lock).
    int subscribe_events(DeviceEventListener listener);
    void unsubscribe_events(int token);

    // Publishes a message on the broker (QoS 1), e.g. notifications. Errors: no MQTT client or
    // the client refused the message.
    tl::expected<void, std::string> publish(const std::string& topic, const std::string& payload,
                                            MqttRetain retain);
    // Puts an event on the hub's bus (automations firing `event:`): stored with the clock's time,
    // then given to the subscribe_events listeners on the calling thread. Safe from any thread
    // that holds none of the hub's locks.
    void fire_event(const std::string& event_type, const nlohmann::json& data);

    // Runs `f` with the store, serialised with the hub's writes.
    template <class F> auto with_store(F&& f) {
        std::lock_guard lock(m_store_mutex);
        return f(*m_store);
    }

    [[nodiscard]] HubStats stats() const;

    // Waits until everything received so far is processed and stored (for tests and shutdown).
    bool wait_idle(std::chrono::milliseconds timeout);
    // Waits until the broker has acknowledged the hub's subscriptions, so that a message
    // published from now on reaches the hub (for tests: start() returns before that).
    bool wait_subscribed(std::chrono::milliseconds timeout);

private:
    struct Incoming {
        MqttMessage message;
        std::uint64_t journal_end = 0;
        TimestampMs received_ms = 0;
    };

    Hub(const HubConfig& config, const Clock& clock);
    void on_mqtt_message(const MqttMessage& message);
    void process_loop();
    void process_batch(std::vector<Incoming>& batch);
    void apply(const MessageOutcome& outcome, const std::string& adapter,
               std::vector<EntityState>& changed);
    // Folds old history into statistics and forgets what the policy no longer keeps, at most
    // once an hour.
    void maybe_apply_retention();

    HubConfig m_config;
    const Clock& m_clock;
    std::unique_ptr<Store> m_store;
    std::mutex m_store_mutex;
    std::optional<Journal> m_journal;
    std::mutex m_journal_mutex;
    std::vector<std::unique_ptr<DeviceAdapter>> m_adapters;
    mutable std::mutex m_state_mutex; // guards m_states and the adapters
    StateMachine m_states;
    std::unique_ptr<MqttClient> m_mqtt;
    BoundedQueue<Incoming> m_queue;
    std::thread m_worker;
    std::atomic<bool> m_running{false};
    ProblemCounter m_problems;
    std::atomic<std::uint64_t> m_received{0};
    std::atomic<std::uint64_t> m_processed{0};
    std::atomic<std::uint64_t> m_replayed{0};
    std::atomic<std::uint64_t> m_changes{0};
    std::atomic<std::uint64_t> m_stored{0};
    std::vector<EntityState> m_unstored; // a batch the store refused, retried next time
    std::vector<std::string> m_subscribed_topics;
    std::vector<StoredEvent> m_new_events; // from adapters, stored at the end of each batch
    std::mutex m_event_listener_mutex;
    std::map<int, DeviceEventListener> m_event_listeners;
    int m_next_event_listener = 0;
    TimestampMs m_last_retention_ms = 0;
    // Journal failure (disk full): the message handler refuses messages it cannot make durable
    // by dropping the MQTT connection before their acknowledgement leaves (docs/performance.md).
    std::atomic<MqttClient*> m_mqtt_raw{nullptr}; // m_mqtt, readable from the network thread
    std::atomic<bool> m_refusing{false};          // until the next connection
    std::atomic<bool> m_journal_failing{false};   // until an append succeeds
};

} // namespace hearth::hub
