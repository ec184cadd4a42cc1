#include "testing/test_broker.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

namespace hearth::hub::testing {

namespace {

constexpr const char* mosquitto_path = "/usr/sbin/mosquitto";

int free_loopback_port() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    int port = 0;
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
        port = ntohs(addr.sin_port);
    }
    close(fd);
    return port;
}

bool port_accepts(int port) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    close(fd);
    return ok;
}

} // namespace

TestBroker::TestBroker() {
    char name[] = "/tmp/hearth-mqtt-XXXXXX";
    const char* dir = mkdtemp(name);
    m_dir = dir != nullptr ? dir : "";
    m_port = free_loopback_port();
}

TestBroker::~TestBroker() {
    stop();
    if (!m_dir.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(m_dir, ec);
    }
}

bool TestBroker::available() {
    return access(mosquitto_path, X_OK) == 0;
}

bool TestBroker::start() {
    if (!available() || m_dir.empty() || m_port == 0) {
        return false;
    }
    stop();
    const std::string config = m_dir + "/mosquitto.conf";
    {
        std::ofstream out(config);
        out << "listener " << m_port << " 127.0.0.1\n"
            << "allow_anonymous true\n"
            << "persistence true\n"
            << "persistence_location " << m_dir << "/\n"
            << "max_queued_messages 100000\n"
            // Small messages out at once (no Nagle delay waiting for a delayed ACK).
            << "set_tcp_nodelay true\n"
            << "log_dest none\n";
        if (geteuid() == 0) {
            out << "user root\n";
        }
    }
    m_pid = fork();
    if (m_pid == 0) {
        const std::string log = m_dir + "/mosquitto.log";
        if (std::FILE* f = std::fopen(log.c_str(), "a")) {
            dup2(fileno(f), 1);
            dup2(fileno(f), 2);
        }
        execl(mosquitto_path, mosquitto_path, "-c", config.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    for (int i = 0; i < 200; ++i) {
        if (port_accepts(m_port)) {
            return true;
        }
        int status = 0;
        if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_pid = -1;
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return false;
}

void TestBroker::stop() {
    if (m_pid <= 0) {
        return;
    }
    kill(m_pid, SIGTERM);
    int status = 0;
    waitpid(m_pid, &status, 0);
    m_pid = -1;
}

} // namespace hearth::hub::testing
