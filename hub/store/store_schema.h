#pragma once

// Table layout shared by the SQLite and PostgreSQL stores (the SQL differs only in types).

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "store/store.h"

namespace hearth::hub {

inline constexpr TimestampMs statistic_length_ms(StatisticPeriod period) {
    return period == StatisticPeriod::FiveMinutes ? 5LL * 60 * 1000 : 60LL * 60 * 1000;
}

inline constexpr const char* sqlite_schema_sql = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS entities(id INTEGER PRIMARY KEY, entity_id TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS attributes(id INTEGER PRIMARY KEY, hash INTEGER NOT NULL,
                                      json TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS attributes_by_hash ON attributes(hash);
CREATE TABLE IF NOT EXISTS states(entity INTEGER NOT NULL, t_ms INTEGER NOT NULL,
                                  changed_ms INTEGER NOT NULL, state TEXT NOT NULL,
                                  attributes INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS states_by_entity_time ON states(entity, t_ms);
CREATE INDEX IF NOT EXISTS states_by_time ON states(t_ms);
CREATE TABLE IF NOT EXISTS current_states(entity INTEGER PRIMARY KEY, t_ms INTEGER NOT NULL,
                                          changed_ms INTEGER NOT NULL, state TEXT NOT NULL,
                                          attributes INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS events(type TEXT NOT NULL, t_ms INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_by_type_time ON events(type, t_ms);
CREATE INDEX IF NOT EXISTS events_by_time ON events(t_ms);
CREATE TABLE IF NOT EXISTS statistics(entity INTEGER NOT NULL, period INTEGER NOT NULL,
                                      start_ms INTEGER NOT NULL, mean REAL NOT NULL,
                                      min REAL NOT NULL, max REAL NOT NULL, last REAL NOT NULL,
                                      count INTEGER NOT NULL,
                                      PRIMARY KEY(entity, period, start_ms)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS activities(id INTEGER PRIMARY KEY, content_hash TEXT NOT NULL UNIQUE,
                                      file_name TEXT NOT NULL, format TEXT NOT NULL,
                                      start_ms INTEGER NOT NULL, sport TEXT NOT NULL,
                                      summary TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS activities_by_start ON activities(start_ms);
CREATE TABLE IF NOT EXISTS health_days(day TEXT NOT NULL, kind TEXT NOT NULL,
                                       result TEXT NOT NULL, PRIMARY KEY(day, kind));
)sql";

// A JSON column read back; null for text that is not JSON (never throws).
inline nlohmann::json stored_json(const std::string& text) {
    auto value = nlohmann::json::parse(text, nullptr, false);
    return value.is_discarded() ? nlohmann::json() : value;
}

// FNV-1a, 64-bit: a hash that is the same in every build, for deduplicating attribute rows.
inline std::int64_t stable_hash(std::string_view text) {
    std::uint64_t h = 1469598103934665603ULL;
    for (const char c : text) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ULL;
    }
    return static_cast<std::int64_t>(h >> 1U);
}

} // namespace hearth::hub
