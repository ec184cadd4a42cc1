#include "core/log.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace hearth::hub {

void log_line(LogLevel level, const std::string& component, const std::string& message) {
    const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    gmtime_r(&now, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
    const char* name = level == LogLevel::Info   ? "info"
                       : level == LogLevel::Warn ? "warn"
                                                 : "error";
    std::fprintf(stderr, "%s %s %s: %s\n", stamp, name, component.c_str(), message.c_str());
}

void ProblemCounter::report(const std::string& component, const std::string& kind,
                            const std::string& detail) {
    std::uint64_t count = 0;
    {
        std::lock_guard lock(m_mutex);
        count = ++m_counts[component + ": " + kind];
    }
    if (count == 1) {
        log_line(LogLevel::Warn, component,
                 detail + " (further '" + kind + "' problems are counted, not logged)");
    }
}

std::map<std::string, std::uint64_t> ProblemCounter::counts() const {
    std::lock_guard lock(m_mutex);
    return m_counts;
}

std::uint64_t ProblemCounter::total() const {
    std::lock_guard lock(m_mutex);
    std::uint64_t sum = 0;
    for (const auto& [kind, n] : m_counts) {
        sum += n;
    }
    return sum;
}

} // namespace hearth::hub
