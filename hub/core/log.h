#pragma once

// The hub's log: one line per event on stderr, "2026-11-25T02:58:01Z warn mqtt: ...".
// `warn_once` reports a kind of problem the first time and then only counts it, so a device
// that sends garbage every second cannot flood the log; counts are in the hub's stats.

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace hearth::hub {

enum class LogLevel { Info, Warn, Error };

void log_line(LogLevel level, const std::string& component, const std::string& message);

class ProblemCounter {
public:
    // Logs the first occurrence of `kind` (with its detail), counts every one.
    void report(const std::string& component, const std::string& kind, const std::string& detail);
    [[nodiscard]] std::map<std::string, std::uint64_t> counts() const;
    [[nodiscard]] std::uint64_t total() const;

private:
    mutable std::mutex m_mutex;
    std::map<std::string, std::uint64_t> m_counts;
};

} // namespace hearth::hub
