#include "mqtt/mqtt_client.h"

#include <mosquitto.h>
#include <sys/socket.h>

#include <atomic>
#include <mutex>
#include <set>
#include <utility>
#include <vector>

namespace hearth::hub {

namespace {

class LibraryInit {
public:
    LibraryInit() { mosquitto_lib_init(); }
    ~LibraryInit() { mosquitto_lib_cleanup(); }
    LibraryInit(const LibraryInit&) = delete;
    LibraryInit& operator=(const LibraryInit&) = delete;
};

void ensure_library() {
    static LibraryInit init;
}

class MosquittoClient final : public MqttClient {
public:
    MosquittoClient(MqttOptions options, MessageHandler on_message, ConnectionHandler on_connection)
        : m_options(std::move(options)), m_on_message(std::move(on_message)),
          m_on_connection(std::move(on_connection)) {}

    ~MosquittoClient() override {
        stop();
        mosquitto_destroy(m_mosq);
    }
    MosquittoClient(const MosquittoClient&) = delete;
    MosquittoClient& operator=(const MosquittoClient&) = delete;

    tl::expected<void, std::string> start() {
        m_mosq = mosquitto_new(m_options.client_id.c_str(), m_options.clean_session, this);
        if (m_mosq == nullptr) {
            return tl::unexpected(std::string("mqtt: cannot create a client (bad client id?)"));
        }
        mosquitto_int_option(m_mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
        mosquitto_int_option(m_mosq, MOSQ_OPT_TCP_NODELAY, 1); // small messages, sent now
        // A deep in-flight window keeps QoS 1 throughput up on a busy home.
        mosquitto_max_inflight_messages_set(m_mosq, 1000);
        if (!m_options.username.empty()) {
            mosquitto_username_pw_set(m_mosq, m_options.username.c_str(),
                                      m_options.password.empty() ? nullptr
                                                                 : m_options.password.c_str());
        }
        if (!m_options.availability_topic.empty()) {
            const char offline[] = "offline";
            mosquitto_will_set(m_mosq, m_options.availability_topic.c_str(),
                               static_cast<int>(sizeof offline - 1), offline, 1, true);
        }
        mosquitto_reconnect_delay_set(m_mosq, static_cast<unsigned>(m_options.reconnect_min_s),
                                      static_cast<unsigned>(m_options.reconnect_max_s), true);
        mosquitto_connect_callback_set(m_mosq, &MosquittoClient::on_connect);
        mosquitto_disconnect_callback_set(m_mosq, &MosquittoClient::on_disconnect);
        mosquitto_message_callback_set(m_mosq, &MosquittoClient::on_message_cb);
        mosquitto_subscribe_callback_set(m_mosq, &MosquittoClient::on_subscribe);

        const int rc = mosquitto_connect_async(m_mosq, m_options.host.c_str(), m_options.port,
                                               m_options.keepalive_s);
        if (rc != MOSQ_ERR_SUCCESS && rc != MOSQ_ERR_ERRNO) {
            // MOSQ_ERR_ERRNO (e.g. connection refused) is retried by the loop; anything else
            // (invalid host string...) is a configuration error.
            return tl::unexpected("mqtt: cannot connect to " + m_options.host + ":" +
                                  std::to_string(m_options.port) + ": " + mosquitto_strerror(rc));
        }
        if (mosquitto_loop_start(m_mosq) != MOSQ_ERR_SUCCESS) {
            return tl::unexpected(std::string("mqtt: cannot start the network thread"));
        }
        m_running = true;
        return {};
    }

    void subscribe(const std::string& topic_filter, int qos) override {
        // Under the lock, so that the acknowledgement (handled on the network thread) cannot
        // come before the message id is recorded.
        std::lock_guard lock(m_mutex);
        m_subscriptions.emplace_back(topic_filter, qos);
        if (m_connected) {
            send_subscribe(topic_filter, qos);
        }
    }

    bool publish(const std::string& topic, const std::string& payload, int qos,
                 bool retain) override {
        const int rc =
            mosquitto_publish(m_mosq, nullptr, topic.c_str(), static_cast<int>(payload.size()),
                              payload.data(), qos, retain);
        // NO_CONN: QoS > 0 messages are queued by the library and sent after reconnecting.
        return rc == MOSQ_ERR_SUCCESS || (rc == MOSQ_ERR_NO_CONN && qos > 0);
    }

    [[nodiscard]] bool connected() const override { return m_connected; }

    [[nodiscard]] bool subscribed() const override {
        std::lock_guard lock(m_mutex);
        return m_connected && m_unacknowledged.empty();
    }

    void stop() override {
        if (!m_running.exchange(false)) {
            return;
        }
        if (!m_options.availability_topic.empty() && m_connected) {
            publish(m_options.availability_topic, "offline", 1, true);
        }
        mosquitto_disconnect(m_mosq);
        mosquitto_loop_stop(m_mosq, false);
        m_connected = false;
    }

    void drop_connection() override {
        // Shutting the socket down both ways makes the queued PUBACKs fail to send (libmosquitto
        // ignores SIGPIPE) and the next read see the end of the stream, so the loop treats the
        // connection as lost and reconnects with its back-off; reconnecting discards the queue.
        const int fd = mosquitto_socket(m_mosq);
        if (fd >= 0) {
            ::shutdown(fd, SHUT_RDWR);
        }
    }

private:
    static void on_connect(struct mosquitto* mosq, void* self_ptr, int rc) {
        auto* self = static_cast<MosquittoClient*>(self_ptr);
        if (rc != 0) {
            self->m_on_connection(MqttConnection::Down,
                                  std::string("refused: ") + mosquitto_connack_string(rc));
            return;
        }
        {
            std::lock_guard lock(self->m_mutex);
            self->m_connected = true;
            self->m_unacknowledged.clear(); // what the old connection sent is gone with it
            for (const auto& [filter, qos] : self->m_subscriptions) {
                self->send_subscribe(filter, qos);
            }
        }
        if (!self->m_options.availability_topic.empty()) {
            const char online[] = "online";
            mosquitto_publish(mosq, nullptr, self->m_options.availability_topic.c_str(),
                              static_cast<int>(sizeof online - 1), online, 1, true);
        }
        self->m_on_connection(MqttConnection::Up, "connected");
    }

    static void on_subscribe(struct mosquitto*, void* self_ptr, int mid, int, const int*) {
        auto* self = static_cast<MosquittoClient*>(self_ptr);
        std::lock_guard lock(self->m_mutex);
        self->m_unacknowledged.erase(mid);
    }

    static void on_disconnect(struct mosquitto*, void* self_ptr, int rc) {
        auto* self = static_cast<MosquittoClient*>(self_ptr);
        {
            std::lock_guard lock(self->m_mutex);
            self->m_connected = false;
        }
        self->m_on_connection(MqttConnection::Down,
                              rc == 0 ? std::string("disconnected")
                                      : std::string("connection lost: ") + mosquitto_strerror(rc));
    }

    static void on_message_cb(struct mosquitto*, void* self_ptr,
                              const struct mosquitto_message* message) {
        auto* self = static_cast<MosquittoClient*>(self_ptr);
        MqttMessage m;
        m.topic = message->topic != nullptr ? message->topic : "";
        if (message->payloadlen > 0) {
            m.payload.assign(static_cast<const char*>(message->payload),
                             static_cast<std::size_t>(message->payloadlen));
        }
        m.qos = message->qos;
        m.retain = message->retain;
        self->m_on_message(m);
    }

    // With m_mutex held.
    void send_subscribe(const std::string& filter, int qos) {
        int mid = 0;
        if (mosquitto_subscribe(m_mosq, &mid, filter.c_str(), qos) == MOSQ_ERR_SUCCESS) {
            m_unacknowledged.insert(mid);
        }
    }

    MqttOptions m_options;
    MessageHandler m_on_message;
    ConnectionHandler m_on_connection;
    struct mosquitto* m_mosq = nullptr;
    std::atomic<bool> m_connected{false};
    std::atomic<bool> m_running{false};
    mutable std::mutex m_mutex; // guards the two below
    std::vector<std::pair<std::string, int>> m_subscriptions;
    std::set<int> m_unacknowledged; // SUBSCRIBE message ids of this connection not yet acked
};

} // namespace

tl::expected<std::unique_ptr<MqttClient>, std::string>
start_mqtt_client(const MqttOptions& options, MqttClient::MessageHandler on_message,
                  MqttClient::ConnectionHandler on_connection) {
    if (options.port <= 0 || options.port > 65535) {
        return tl::unexpected("mqtt: invalid port " + std::to_string(options.port));
    }
    if (options.client_id.empty() && !options.clean_session) {
        return tl::unexpected(std::string("mqtt: a persistent session needs a client id"));
    }
    ensure_library();
    auto client =
        std::make_unique<MosquittoClient>(options, std::move(on_message), std::move(on_connection));
    if (auto r = client->start(); !r) {
        return tl::unexpected(r.error());
    }
    return std::unique_ptr<MqttClient>(std::move(client));
}

bool mqtt_topic_matches(const std::string& filter, const std::string& topic) {
    bool result = false;
    return mosquitto_topic_matches_sub(filter.c_str(), topic.c_str(), &result) ==
               MOSQ_ERR_SUCCESS &&
           result;
}

} // namespace hearth::hub
