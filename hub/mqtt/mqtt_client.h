#pragma once

// An MQTT 3.1.1 client for the hub (libmosquitto underneath; its header stays in the .cpp).
//
// - Persistent session (clean_session = false) with a fixed client id, so the broker keeps QoS 1
//   messages for the hub while it is away and delivers them when it comes back.
// - Reconnects by itself with exponential back-off; subscriptions are renewed on every connect.
// - A last will marks the hub offline (retained) if it dies; it publishes "online" on connect.
// - The message handler runs on the client's network thread, before the broker is acknowledged
//   (QoS 1): a handler that has made the message durable when it returns cannot lose it.
//   libmosquitto 2.0.11 queues the PUBACK just before calling the handler, but in threaded mode
//   only the network thread writes, after the handler returns; a handler that cannot keep a
//   message calls drop_connection() so that the PUBACK never leaves (the broker redelivers).

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <tl/expected.hpp>

namespace hearth::hub {

struct MqttMessage {
    std::string topic;
    std::string payload;
    int qos = 0;
    bool retain = false;
};

struct MqttOptions {
    std::string host = "127.0.0.1";
    int port = 1883;
    std::string client_id = "hearth-hub";
    bool clean_session = false;
    int keepalive_s = 30;
    std::string username; // empty: anonymous
    std::string password;
    // Availability topic: "offline" as the last will, "online" after each connect (retained).
    std::string availability_topic;
    int reconnect_min_s = 1;
    int reconnect_max_s = 30;
};

enum class MqttConnection { Up, Down };

class MqttClient {
public:
    using MessageHandler = std::function<void(const MqttMessage&)>;
    using ConnectionHandler = std::function<void(MqttConnection, const std::string& reason)>;

    virtual ~MqttClient() = default;

    // Subscribes now when connected, and again after every reconnect.
    virtual void subscribe(const std::string& topic_filter, int qos) = 0;
    // Queues a message; false when the client cannot accept it (e.g. payload too large).
    // While disconnected, QoS 1 messages wait in the client and go out after reconnecting.
    virtual bool publish(const std::string& topic, const std::string& payload, int qos,
                         bool retain) = 0;
    [[nodiscard]] virtual bool connected() const = 0;
    // True once connected and the broker has acknowledged every subscription of this
    // connection: from then on no message published to a subscribed topic is missed.
    [[nodiscard]] virtual bool subscribed() const = 0;
    // Disconnects cleanly (no last will) and stops the network thread. Idempotent.
    virtual void stop() = 0;
    // For the message handler only (it runs on the network thread): closes the connection at
    // once, so that neither the current message nor any other received on this connection is
    // acknowledged; the broker redelivers them (persistent session) after the client has
    // reconnected by itself. The broker sees an unexpected disconnection (last will).
    virtual void drop_connection() = 0;
};

// Starts connecting in the background and returns at once; the connection handler says when
// the broker is reached. Errors: invalid options, or the library could not start.
tl::expected<std::unique_ptr<MqttClient>, std::string>
start_mqtt_client(const MqttOptions& options, MqttClient::MessageHandler on_message,
                  MqttClient::ConnectionHandler on_connection);

// True when `topic` matches the MQTT filter (with + and # wildcards).
bool mqtt_topic_matches(const std::string& filter, const std::string& topic);

} // namespace hearth::hub
