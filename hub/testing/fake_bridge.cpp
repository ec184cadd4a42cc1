#include "testing/fake_bridge.h"

#include <chrono>

namespace hearth::hub::testing {

using namespace std::chrono_literals;

const char* const z2m_bedroom_devices = R"([
  {"ieee_address":"0x1","type":"Router","friendly_name":"Bedroom Light",
   "definition":{"vendor":"IKEA","model":"LED1836G9","exposes":[
     {"type":"light","features":[
       {"type":"binary","name":"state","property":"state","value_on":"ON","value_off":"OFF","access":7},
       {"type":"numeric","name":"brightness","property":"brightness","access":7}]}]}},
  {"ieee_address":"0x2","type":"EndDevice","friendly_name":"Bedroom Sensor",
   "definition":{"vendor":"Aqara","model":"WSDCGQ11LM","exposes":[
     {"type":"numeric","name":"temperature","property":"temperature","unit":"°C","access":1}]}}
])";

FakeBridge::FakeBridge(int port) {
    MqttOptions options;
    options.port = port;
    options.client_id = "fake-z2m";
    options.clean_session = true;
    auto client = start_mqtt_client(
        options,
        [this](const MqttMessage& m) {
            std::lock_guard lock(m_mutex);
            m_commands.push_back(m);
            m_cv.notify_all();
        },
        [this](MqttConnection c, const std::string&) {
            std::lock_guard lock(m_mutex);
            m_up = c == MqttConnection::Up;
            m_cv.notify_all();
        });
    m_client = std::move(*client);
    m_client->subscribe("zigbee2mqtt/+/set", 1);
    std::unique_lock lock(m_mutex);
    m_cv.wait_for(lock, 10s, [&] { return m_up; });
}

void FakeBridge::publish(const std::string& topic, const std::string& payload, bool retain) {
    m_client->publish(topic, payload, 1, retain);
}

std::optional<MqttMessage> FakeBridge::wait_command() {
    std::unique_lock lock(m_mutex);
    if (!m_cv.wait_for(lock, 10s, [&] { return !m_commands.empty(); })) {
        return std::nullopt;
    }
    return m_commands.back();
}

} // namespace hearth::hub::testing
