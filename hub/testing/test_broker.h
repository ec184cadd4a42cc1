#pragma once

// A private mosquitto broker for tests: its own config and persistence folder, listening on
// 127.0.0.1 on a port picked at run time, stopped by the destructor. Test-only.

#include <sys/types.h>

#include <string>

namespace hearth::hub::testing {

class TestBroker {
public:
    TestBroker();
    ~TestBroker();
    TestBroker(const TestBroker&) = delete;
    TestBroker& operator=(const TestBroker&) = delete;

    // Starts (or restarts, on the same port, keeping persisted sessions) the broker; false when
    // mosquitto is not installed or does not come up.
    bool start();
    void stop();
    [[nodiscard]] int port() const { return m_port; }
    [[nodiscard]] static bool available();

private:
    std::string m_dir;
    int m_port = 0;
    pid_t m_pid = -1;
};

} // namespace hearth::hub::testing
