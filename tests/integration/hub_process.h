#pragma once

// `hearth serve` as a separate process, for the kill test and the load program: start it on a
// temp data folder with `--http-port 0`, learn its API port from its log, read its peak resident
// size from /proc (its API: testing/api_client.h). Test-only; loopback only.

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace hearth::integration {

inline std::string read_file_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Runs a command and returns its stdout (first line, without the newline).
inline std::string run_first_line(const std::string& command) {
    std::string out;
    if (FILE* p = popen(command.c_str(), "r")) {
        char buffer[512];
        if (std::fgets(buffer, sizeof buffer, p) != nullptr) {
            out = buffer;
        }
        pclose(p);
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) {
        out.pop_back();
    }
    return out;
}

inline std::string create_token(const std::string& hearth_bin, const std::string& data_dir) {
    return run_first_line(hearth_bin + " token create loadtest --data '" + data_dir + "'");
}

struct HubProcess {
    pid_t pid = -1;
    int http_port = 0;
};

// Starts `hearth serve`; its stderr is appended to log_path. Waits (up to 20 s) for the API's
// "listening on" line. store: "sqlite" or a PostgreSQL connection string. A non-zero
// max_file_bytes runs the hub with that file size limit (RLIMIT_FSIZE) and SIGXFSZ ignored, so
// that its writes past it fail with EFBIG as on a full disk (no root needed).
inline std::optional<HubProcess> start_hub(const std::string& hearth_bin,
                                           const std::string& data_dir, int mqtt_port,
                                           const std::string& store, const std::string& log_path,
                                           rlim_t max_file_bytes = 0) {
    const std::size_t log_start = read_file_text(log_path).size();
    const pid_t pid = fork();
    if (pid == 0) {
        if (std::FILE* f = std::fopen(log_path.c_str(), "a")) {
            dup2(fileno(f), 1);
            dup2(fileno(f), 2);
        }
        if (max_file_bytes > 0) {
            signal(SIGXFSZ, SIG_IGN);
            rlimit limit{};
            getrlimit(RLIMIT_FSIZE, &limit);
            limit.rlim_cur = max_file_bytes;
            if (setrlimit(RLIMIT_FSIZE, &limit) != 0) {
                _exit(126);
            }
        }
        const std::string port = std::to_string(mqtt_port);
        execl(hearth_bin.c_str(), hearth_bin.c_str(), "serve", "--data", data_dir.c_str(),
              "--store", store.c_str(), "--mqtt-port", port.c_str(), "--http-port", "0",
              "--client-id", "hearth-loadtest", static_cast<char*>(nullptr));
        _exit(127);
    }
    const std::string marker = "listening on http://127.0.0.1:";
    for (int i = 0; i < 800; ++i) {
        const std::string log = read_file_text(log_path);
        const std::size_t at = log.find(marker, log_start);
        if (at != std::string::npos) {
            return HubProcess{pid, std::atoi(log.c_str() + at + marker.size())};
        }
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            return std::nullopt;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return std::nullopt;
}

inline void kill_hub(HubProcess& hub, int signal_number) {
    if (hub.pid > 0) {
        kill(hub.pid, signal_number);
        int status = 0;
        waitpid(hub.pid, &status, 0);
        hub.pid = -1;
    }
}

// Peak resident set size (VmHWM) of a live process, in KiB; 0 when unknown.
inline long peak_rss_kib(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmHWM:", 0) == 0) {
            return std::atol(line.c_str() + 6);
        }
    }
    return 0;
}

inline std::string make_temp_dir(const char* prefix) {
    std::string pattern = std::string("/tmp/") + prefix + "-XXXXXX";
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    const char* dir = mkdtemp(name.data());
    return dir != nullptr ? dir : "";
}

// Zigbee2MQTT's bridge/devices for `count` temperature sensors named "Load <i>"; their entities
// are sensor.load_<i>_temperature.
inline std::string load_devices_json(int count) {
    std::string out = "[";
    for (int i = 0; i < count; ++i) {
        out += std::string(i == 0 ? "" : ",") + R"({"ieee_address":"0x)" +
               std::to_string(1000 + i) + R"(","type":"EndDevice","friendly_name":"Load )" +
               std::to_string(i) +
               R"(","definition":{"vendor":"Hearth","model":"LOAD","exposes":[)" +
               R"({"type":"numeric","name":"temperature","property":"temperature",)" +
               R"("unit":"°C","access":1}]}})";
    }
    return out + "]";
}

} // namespace hearth::integration
