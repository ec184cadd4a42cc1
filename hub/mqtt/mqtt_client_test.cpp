#include "mqtt/mqtt_client.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include <gtest/gtest.h>

#include "testing/test_broker.h"

namespace hearth::hub {
namespace {

using namespace std::chrono_literals;

// Collects what a client receives; waits are bounded so a broken client fails, never hangs.
class Inbox {
public:
    void add(const MqttMessage& m) {
        std::lock_guard lock(m_mutex);
        m_messages.push_back(m);
        m_cv.notify_all();
    }
    void connection(MqttConnection c) {
        std::lock_guard lock(m_mutex);
        if (c == MqttConnection::Up) {
            ++m_connects;
        }
        m_cv.notify_all();
    }
    bool wait_messages(std::size_t n) {
        std::unique_lock lock(m_mutex);
        return m_cv.wait_for(lock, 10s, [&] { return m_messages.size() >= n; });
    }
    bool wait_connects(int n) {
        std::unique_lock lock(m_mutex);
        return m_cv.wait_for(lock, 20s, [&] { return m_connects >= n; });
    }
    std::vector<MqttMessage> messages() {
        std::lock_guard lock(m_mutex);
        return m_messages;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::vector<MqttMessage> m_messages;
    int m_connects = 0;
};

std::unique_ptr<MqttClient> connect(const testing::TestBroker& broker, const std::string& id,
                                    Inbox& inbox, const std::string& availability = "") {
    MqttOptions options;
    options.port = broker.port();
    options.client_id = id;
    options.availability_topic = availability;
    options.reconnect_min_s = 1;
    options.reconnect_max_s = 2;
    auto client = start_mqtt_client(
        options, [&inbox](const MqttMessage& m) { inbox.add(m); },
        [&inbox](MqttConnection c, const std::string&) { inbox.connection(c); });
    return client ? std::move(*client) : nullptr;
}

class MqttClientTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (!testing::TestBroker::available()) {
            GTEST_SKIP() << "mosquitto is not installed (scripts/setup installs it)";
        }
        ASSERT_TRUE(m_broker.start());
    }
    testing::TestBroker m_broker;
};

TEST(MqttTopic, MatchesWildcards) {
    EXPECT_TRUE(mqtt_topic_matches("zigbee2mqtt/+", "zigbee2mqtt/lamp"));
    EXPECT_FALSE(mqtt_topic_matches("zigbee2mqtt/+", "zigbee2mqtt/lamp/set"));
    EXPECT_TRUE(mqtt_topic_matches("homeassistant/#", "homeassistant/light/x/config"));
    EXPECT_FALSE(mqtt_topic_matches("hearth/watch/+/hr", "hearth/watch/w1/steps"));
}

TEST(MqttOptionsCheck, RejectsBadOptions) {
    MqttOptions options;
    options.port = 70000;
    EXPECT_FALSE(start_mqtt_client(
                     options, [](const MqttMessage&) {}, [](MqttConnection, const std::string&) {})
                     .has_value());
    options.port = 1883;
    options.client_id = "";
    EXPECT_FALSE(start_mqtt_client(
                     options, [](const MqttMessage&) {}, [](MqttConnection, const std::string&) {})
                     .has_value());
}

TEST_F(MqttClientTest, DeliversPublishedMessages) {
    Inbox sub_inbox;
    Inbox pub_inbox;
    auto sub = connect(m_broker, "sub", sub_inbox);
    ASSERT_NE(sub, nullptr);
    sub->subscribe("test/#", 1);
    ASSERT_TRUE(sub_inbox.wait_connects(1));
    auto pub = connect(m_broker, "pub", pub_inbox);
    ASSERT_TRUE(pub_inbox.wait_connects(1));
    // The subscription is sent on connect; give the broker a moment by round-tripping one
    // message until it arrives.
    for (int i = 0; i < 50 && sub_inbox.messages().empty(); ++i) {
        pub->publish("test/warmup", "x", 1, false);
        sub_inbox.wait_messages(1);
    }
    ASSERT_FALSE(sub_inbox.messages().empty());
    const std::size_t before = sub_inbox.messages().size();
    ASSERT_TRUE(pub->publish("test/a", "{\"state\":\"ON\"}", 1, false));
    ASSERT_TRUE(sub_inbox.wait_messages(before + 1));
    const auto last = sub_inbox.messages().back();
    EXPECT_EQ(last.topic, "test/a");
    EXPECT_EQ(last.payload, "{\"state\":\"ON\"}");
    EXPECT_EQ(last.qos, 1);
}

TEST_F(MqttClientTest, PersistentSessionReceivesWhatWasSentWhileAway) {
    Inbox first;
    auto hub = connect(m_broker, "hub-persistent", first);
    hub->subscribe("home/#", 1);
    ASSERT_TRUE(first.wait_connects(1));
    Inbox pub_inbox;
    auto pub = connect(m_broker, "pub2", pub_inbox);
    ASSERT_TRUE(pub_inbox.wait_connects(1));
    // Make sure the subscription is in place before going away.
    for (int i = 0; i < 50 && first.messages().empty(); ++i) {
        pub->publish("home/ping", "x", 1, false);
        first.wait_messages(1);
    }
    ASSERT_FALSE(first.messages().empty());
    hub->stop();
    hub.reset();

    for (int i = 0; i < 20; ++i) {
        ASSERT_TRUE(pub->publish("home/sensor", std::to_string(i), 1, false));
    }
    Inbox second;
    hub = connect(m_broker, "hub-persistent", second);
    ASSERT_TRUE(second.wait_messages(20));
    int found = 0;
    for (const auto& m : second.messages()) {
        found += m.topic == "home/sensor" ? 1 : 0;
    }
    EXPECT_EQ(found, 20);
}

TEST_F(MqttClientTest, ReconnectsAfterTheBrokerRestarts) {
    Inbox inbox;
    auto hub = connect(m_broker, "hub-reconnect", inbox, "hearth/hub/availability");
    hub->subscribe("back/#", 1);
    ASSERT_TRUE(inbox.wait_connects(1));
    m_broker.stop();
    ASSERT_TRUE(m_broker.start());
    ASSERT_TRUE(inbox.wait_connects(2));

    Inbox pub_inbox;
    auto pub = connect(m_broker, "pub3", pub_inbox);
    ASSERT_TRUE(pub_inbox.wait_connects(1));
    for (int i = 0; i < 50 && inbox.messages().empty(); ++i) {
        pub->publish("back/again", "yes", 1, false);
        inbox.wait_messages(1);
    }
    ASSERT_FALSE(inbox.messages().empty());
    EXPECT_EQ(inbox.messages().back().topic, "back/again");
}

TEST_F(MqttClientTest, PublishesAvailability) {
    Inbox watcher;
    auto observer = connect(m_broker, "observer", watcher);
    observer->subscribe("hearth/hub/availability", 1);
    ASSERT_TRUE(watcher.wait_connects(1));
    Inbox inbox;
    auto hub = connect(m_broker, "hub-avail", inbox, "hearth/hub/availability");
    ASSERT_TRUE(inbox.wait_connects(1));
    ASSERT_TRUE(watcher.wait_messages(1));
    EXPECT_EQ(watcher.messages().back().payload, "online");
    hub->stop();
    ASSERT_TRUE(watcher.wait_messages(2));
    EXPECT_EQ(watcher.messages().back().payload, "offline");
}

} // namespace
} // namespace hearth::hub
