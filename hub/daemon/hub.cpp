#include "daemon/hub.h"

#include <algorithm>
#include <chrono>

#include "devices/ha_discovery.h"
#include "devices/watch.h"
#include "devices/zigbee2mqtt.h"
#include "store/open_store.h"

namespace hearth::hub {

namespace {

using namespace std::chrono_literals;

constexpr int journal_attempts = 5;
constexpr auto journal_retry_wait = 100ms;

} // namespace

Hub::Hub(const HubConfig& config, const Clock& clock)
    : m_config(config), m_clock(clock), m_states(clock), m_queue(config.queue_capacity) {}

Hub::~Hub() {
    stop();
}

tl::expected<std::unique_ptr<Hub>, std::string> Hub::start(const HubConfig& config,
                                                           const Clock& clock) {
    std::error_code ec;
    std::filesystem::create_directories(config.data_dir, ec);
    if (ec) {
        return tl::unexpected("hub: cannot create the data folder " + config.data_dir.string() +
                              ": " + ec.message());
    }
    std::unique_ptr<Hub> hub(new Hub(config, clock));
    auto store = open_store_spec(config.store, config.data_dir);
    if (!store) {
        return tl::unexpected(store.error());
    }
    hub->m_store = std::move(*store);
    auto journal = Journal::open(config.data_dir / "journal");
    if (!journal) {
        return tl::unexpected(journal.error());
    }
    hub->m_journal.emplace(std::move(*journal));
    auto latest = hub->m_store->latest_states();
    if (!latest) {
        return tl::unexpected(latest.error().message);
    }
    for (auto& s : *latest) {
        hub->m_states.restore(std::move(s));
    }
    hub->m_adapters.push_back(std::make_unique<Zigbee2MqttAdapter>(config.zigbee2mqtt_base));
    hub->m_adapters.push_back(std::make_unique<HaDiscoveryAdapter>(config.discovery_prefix));
    WatchConfig watch;
    watch.base_topic = config.watch_base;
    hub->m_adapters.push_back(std::make_unique<WatchAdapter>(watch));

    hub->m_running = true;
    hub->m_worker = std::thread([raw = hub.get()] { raw->process_loop(); });

    // What a previous run received but did not store goes first.
    auto replay = hub->m_journal->uncommitted();
    if (!replay) {
        hub->stop();
        return tl::unexpected(replay.error());
    }
    for (auto& record : *replay) {
        ++hub->m_replayed;
        ++hub->m_received;
        hub->m_queue.push(
            {MqttMessage{std::move(record.topic), std::move(record.payload), 1, false},
             record.end_offset, record.received_ms});
    }
    if (!replay->empty()) {
        log_line(LogLevel::Info, "hub",
                 "replaying " + std::to_string(replay->size()) + " messages from the journal");
    }

    auto mqtt = start_mqtt_client(
        config.mqtt, [raw = hub.get()](const MqttMessage& m) { raw->on_mqtt_message(m); },
        [raw = hub.get(), host = config.mqtt.host,
         port = config.mqtt.port](MqttConnection c, const std::string& reason) {
            if (c == MqttConnection::Up) {
                raw->m_refusing = false; // a new connection: try the journal again
            }
            // While the journal fails the hub drops every connection on purpose; the problem
            // counter has said so once, the reconnections are not news.
            if (!raw->m_journal_failing) {
                log_line(c == MqttConnection::Up ? LogLevel::Info : LogLevel::Warn, "mqtt",
                         host + ":" + std::to_string(port) + ": " + reason);
            }
        });
    if (!mqtt) {
        hub->stop();
        return tl::unexpected(mqtt.error());
    }
    hub->m_mqtt = std::move(*mqtt);
    hub->m_mqtt_raw = hub->m_mqtt.get();
    {
        std::lock_guard lock(hub->m_state_mutex);
        for (const auto& adapter : hub->m_adapters) {
            for (const auto& topic : adapter->subscriptions()) {
                hub->m_mqtt->subscribe(topic, 1);
            }
        }
    }
    return hub;
}

void Hub::stop() {
    if (m_mqtt) {
        m_mqtt->stop();
    }
    if (m_running.exchange(false)) {
        m_queue.close();
        if (m_worker.joinable()) {
            m_worker.join();
        }
    }
}

void Hub::on_mqtt_message(const MqttMessage& message) {
    if (m_refusing) {
        // This connection is being dropped: the broker redelivers this message later.
        m_problems.report("journal", "message refused", "message refused");
        return;
    }
    const TimestampMs now = m_clock.now_ms();
    std::optional<std::uint64_t> end;
    std::string error;
    // A failing append is retried for a moment (a transient error); beyond that the network
    // thread must not stall, or the broker would drop the connection for missed keep-alives.
    for (int attempt = 0; attempt < journal_attempts; ++attempt) {
        if (attempt > 0) {
            std::this_thread::sleep_for(journal_retry_wait);
        }
        std::lock_guard lock(m_journal_mutex);
        auto appended = m_journal->append(now, message.topic, message.payload);
        if (appended) {
            end = *appended;
            break;
        }
        error = appended.error();
    }
    if (!end) {
        // Not durable, so not acknowledged: the connection is dropped before libmosquitto can
        // send the PUBACK, and the broker keeps the message (and every later one) for the hub's
        // persistent session until appends work again.
        m_problems.report("journal", "append failed",
                          error + "; messages are refused (not acknowledged) and the broker "
                                  "redelivers them once the journal can be written again");
        m_problems.report("journal", "message refused", "message refused");
        m_journal_failing = true;
        m_refusing = true;
        MqttClient* mqtt = m_mqtt_raw.load();
        // The client is known a moment after it starts; the first messages can be quicker.
        for (int i = 0; mqtt == nullptr && i < 200 && m_running; ++i) {
            std::this_thread::sleep_for(5ms);
            mqtt = m_mqtt_raw.load();
        }
        if (mqtt != nullptr) {
            mqtt->drop_connection();
        }
        return;
    }
    if (m_journal_failing.exchange(false)) {
        log_line(LogLevel::Info, "journal",
                 "appending again; the broker redelivers the refused messages");
    }
    ++m_received;
    m_queue.push({message, *end, now});
}

void Hub::maybe_apply_retention() {
    constexpr TimestampMs hour_ms = 3600 * 1000;
    const TimestampMs now = m_clock.now_ms();
    if (m_last_retention_ms != 0 && now - m_last_retention_ms < hour_ms) {
        return;
    }
    m_last_retention_ms = now;
    std::lock_guard lock(m_store_mutex);
    if (auto r = m_store->apply_retention(now, m_config.retention); !r) {
        m_problems.report("store", "retention failed", r.error().message);
    }
}

void Hub::process_loop() {
    for (;;) {
        maybe_apply_retention();
        auto batch = m_queue.pop_batch(m_config.batch_max, 50ms);
        if (batch.empty()) {
            if (!m_running) {
                return;
            }
            if (!m_unstored.empty()) {
                std::vector<Incoming> none;
                process_batch(none); // retry what the store refused
            }
            continue;
        }
        process_batch(batch);
    }
}

void Hub::apply(const MessageOutcome& outcome, const std::string& adapter,
                std::vector<EntityState>& changed) {
    if (outcome.error) {
        m_problems.report(adapter, "bad message", *outcome.error);
    }
    for (const auto& update : outcome.updates) {
        if (!parse_entity_id(update.entity_id)) {
            m_problems.report(adapter, "bad entity id", "invalid entity id " + update.entity_id);
            continue;
        }
        if (auto event = m_states.set(update.entity_id, update.state, update.attributes)) {
            ++m_changes;
            changed.push_back(*event->new_state);
        }
    }
    for (const auto& id : outcome.removed) {
        m_states.remove(id);
    }
    m_new_events.insert(m_new_events.end(), outcome.events.begin(), outcome.events.end());
}

void Hub::process_batch(std::vector<Incoming>& batch) {
    std::vector<EntityState> changed = std::move(m_unstored);
    m_unstored.clear();
    std::vector<std::string> new_topics;
    std::uint64_t journal_end = 0;
    {
        std::lock_guard lock(m_state_mutex);
        for (auto& in : batch) {
            journal_end = std::max(journal_end, in.journal_end);
            DeviceAdapter* target = nullptr;
            for (const auto& adapter : m_adapters) {
                if (adapter->accepts(in.message.topic)) {
                    target = adapter.get();
                    break;
                }
            }
            if (target == nullptr) {
                m_problems.report("hub", "unknown topic",
                                  "no device convention for topic " + in.message.topic);
                continue;
            }
            apply(target->on_message(in.message), target->name(), changed);
        }
        for (const auto& adapter : m_adapters) {
            if (const auto* ha = dynamic_cast<const HaDiscoveryAdapter*>(adapter.get())) {
                for (const auto& topic : ha->state_topics()) {
                    if (std::find(m_subscribed_topics.begin(), m_subscribed_topics.end(), topic) ==
                        m_subscribed_topics.end()) {
                        m_subscribed_topics.push_back(topic);
                        new_topics.push_back(topic);
                    }
                }
            }
        }
    }
    if (m_mqtt) {
        for (const auto& topic : new_topics) {
            m_mqtt->subscribe(topic, 1);
        }
    }
    bool stored = true;
    if (!changed.empty()) {
        std::lock_guard lock(m_store_mutex);
        auto r = m_store->append_states(changed);
        if (r) {
            m_stored += changed.size();
        } else {
            stored = false;
            m_problems.report("store", "write failed", r.error().message);
            // Keep the rows for the next attempt; the journal still holds their messages, so
            // even if the hub dies now nothing is lost.
            constexpr std::size_t max_unstored = 1'000'000;
            if (changed.size() > max_unstored) {
                changed.erase(changed.begin(),
                              changed.begin() +
                                  static_cast<std::ptrdiff_t>(changed.size() - max_unstored));
            }
            m_unstored = std::move(changed);
        }
    }
    if (!m_new_events.empty()) {
        std::vector<StoredEvent> events = std::move(m_new_events);
        m_new_events.clear();
        {
            std::lock_guard lock(m_store_mutex);
            for (const auto& e : events) {
                if (auto r = m_store->append_event(e); !r) {
                    m_problems.report("store", "event write failed", r.error().message);
                }
            }
        }
        std::lock_guard lock(m_event_listener_mutex);
        for (const auto& e : events) {
            for (const auto& [token, listener] : m_event_listeners) {
                listener(e);
            }
        }
    }
    if (stored && journal_end > 0) {
        std::lock_guard lock(m_journal_mutex);
        if (auto r = m_journal->checkpoint(journal_end); !r) {
            m_problems.report("journal", "checkpoint failed", r.error());
        }
    }
    m_processed += batch.size();
}

std::vector<EntityState> Hub::states() const {
    std::lock_guard lock(m_state_mutex);
    return m_states.all();
}

std::optional<EntityState> Hub::state(const std::string& entity_id) const {
    std::lock_guard lock(m_state_mutex);
    const EntityState* s = m_states.get(entity_id);
    return s == nullptr ? std::nullopt : std::optional<EntityState>(*s);
}

tl::expected<void, std::string> Hub::call_service(const ServiceCall& call) {
    CommandOutcome outcome;
    {
        std::lock_guard lock(m_state_mutex);
        auto it = std::find_if(m_adapters.begin(), m_adapters.end(),
                               [&](const auto& a) { return a->owns(call.entity_id); });
        if (it == m_adapters.end()) {
            return tl::unexpected("unknown entity " + call.entity_id);
        }
        outcome = (*it)->command(call);
    }
    if (outcome.error) {
        return tl::unexpected(*outcome.error);
    }
    for (const auto& m : outcome.messages) {
        if (!m_mqtt || !m_mqtt->publish(m.topic, m.payload, m.qos, m.retain)) {
            return tl::unexpected("mqtt: could not send to " + m.topic);
        }
    }
    return {};
}

int Hub::subscribe(EventListener listener) {
    std::lock_guard lock(m_state_mutex);
    return m_states.subscribe(std::move(listener));
}

void Hub::unsubscribe(int token) {
    std::lock_guard lock(m_state_mutex);
    m_states.unsubscribe(token);
}

int Hub::subscribe_events(DeviceEventListener listener) {
    std::lock_guard lock(m_event_listener_mutex);
    const int token = ++m_next_event_listener;
    m_event_listeners.emplace(token, std::move(listener));
    return token;
}

void Hub::unsubscribe_events(int token) {
    std::lock_guard lock(m_event_listener_mutex);
    m_event_listeners.erase(token);
}

tl::expected<void, std::string> Hub::publish(const std::string& topic, const std::string& payload,
                                             MqttRetain retain) {
    if (!m_mqtt || !m_mqtt->publish(topic, payload, 1, retain == MqttRetain::Yes)) {
        return tl::unexpected("mqtt: could not send to " + topic);
    }
    return {};
}

void Hub::fire_event(const std::string& event_type, const nlohmann::json& data) {
    const StoredEvent event{event_type, data, m_clock.now_ms()};
    {
        std::lock_guard lock(m_store_mutex);
        if (auto r = m_store->append_event(event); !r) {
            m_problems.report("store", "event write failed", r.error().message);
        }
    }
    std::lock_guard lock(m_event_listener_mutex);
    for (const auto& [token, listener] : m_event_listeners) {
        listener(event);
    }
}

HubStats Hub::stats() const {
    HubStats s;
    s.messages_received = m_received;
    s.messages_processed = m_processed;
    s.messages_replayed = m_replayed;
    s.state_changes = m_changes;
    s.states_stored = m_stored;
    s.problems = m_problems.total();
    s.problem_counts = m_problems.counts();
    s.queue_depth = m_queue.size();
    s.mqtt_connected = m_mqtt && m_mqtt->connected();
    s.mqtt_subscribed = m_mqtt && m_mqtt->subscribed();
    std::lock_guard lock(m_state_mutex);
    s.entities = m_states.size();
    return s;
}

bool Hub::wait_idle(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (m_processed.load() >= m_received.load() && m_queue.size() == 0) {
            return true;
        }
        std::this_thread::sleep_for(5ms);
    }
    return false;
}

bool Hub::wait_subscribed(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (m_mqtt && m_mqtt->subscribed()) {
            return true;
        }
        std::this_thread::sleep_for(5ms);
    }
    return false;
}

} // namespace hearth::hub
