#pragma once

// Where the hub keeps history: entity states and events, with retention and downsampling
// (raw rows for `raw_days`, then 5-minute and hourly statistics for numeric states), activities
// imported from files (deduplicated by content), and the engine's daily health results.
//
// Two implementations pass the same contract tests (store_contract_test.cpp): SQLite, the
// embedded default, and PostgreSQL. Calls are not thread-safe: the hub serialises them on its
// writer thread. Every call reports failure (disk full, connection lost) as an error value.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "core/clock.h"
#include "core/entity.h"

namespace hearth::hub {

struct StoreError {
    std::string message;
};

template <class T> using StoreResult = tl::expected<T, StoreError>;

struct StoredEvent {
    std::string type; // "state_changed", "fell_asleep", "automation_triggered"...
    nlohmann::json data;
    TimestampMs time_ms = 0;
};

enum class StatisticPeriod : std::uint8_t { FiveMinutes, Hour };

// Summary of a numeric entity over one period.
struct Statistic {
    std::string entity_id;
    StatisticPeriod period = StatisticPeriod::FiveMinutes;
    TimestampMs start_ms = 0;
    double mean = 0.0;
    double min = 0.0;
    double max = 0.0;
    double last = 0.0;
    std::int64_t count = 0;
};

struct RetentionPolicy {
    int raw_days = 10;         // raw states and events kept this long
    int five_minute_days = 90; // then 5-minute statistics this long; hourly forever
};

struct StoredActivity {
    std::int64_t id = 0;
    std::string content_hash; // of the file's bytes: the same file imported twice is one activity
    std::string file_name;
    std::string format; // fit, gpx, tcx, csv
    TimestampMs start_ms = 0;
    std::string sport;
    nlohmann::json summary; // the analyzer's JSON for the activity
};

class Store {
public:
    virtual ~Store() = default;

    // Appends state rows (each with its last_updated_ms as the time) in one transaction.
    virtual StoreResult<void> append_states(std::span<const EntityState> states) = 0;
    virtual StoreResult<void> append_event(const StoredEvent& event) = 0;

    // Raw states of one entity with from_ms <= time < to_ms, oldest first, at most `limit`.
    virtual StoreResult<std::vector<EntityState>> history(const std::string& entity_id,
                                                          TimestampMs from_ms, TimestampMs to_ms,
                                                          std::size_t limit) = 0;
    virtual StoreResult<std::vector<StoredEvent>>
    events(const std::string& type, TimestampMs from_ms, TimestampMs to_ms, std::size_t limit) = 0;
    // The newest stored state of every entity, to restore the hub after a restart.
    virtual StoreResult<std::vector<EntityState>> latest_states() = 0;

    // Folds raw numeric states older than the policy into statistics and deletes what the
    // policy no longer keeps. Idempotent; call periodically.
    virtual StoreResult<void> apply_retention(TimestampMs now_ms,
                                              const RetentionPolicy& policy) = 0;
    virtual StoreResult<std::vector<Statistic>> statistics(const std::string& entity_id,
                                                           StatisticPeriod period,
                                                           TimestampMs from_ms,
                                                           TimestampMs to_ms) = 0;

    // Returns the activity's id, and whether it was new (false: same content already stored).
    virtual StoreResult<std::pair<std::int64_t, bool>> add_activity(const StoredActivity& a) = 0;
    virtual StoreResult<std::vector<StoredActivity>> activities(TimestampMs from_ms,
                                                                TimestampMs to_ms) = 0;

    // One JSON document per (day, kind), e.g. ("2026-11-24", "sleep"); replaces an existing one.
    virtual StoreResult<void> put_health_day(const std::string& day, const std::string& kind,
                                             const nlohmann::json& result) = 0;
    virtual StoreResult<std::optional<nlohmann::json>> health_day(const std::string& day,
                                                                  const std::string& kind) = 0;
};

// Opens (creating when absent) an SQLite database file in WAL mode.
StoreResult<std::unique_ptr<Store>> open_sqlite_store(const std::string& path);
// Connects to PostgreSQL with a libpq connection string and creates the schema when absent.
StoreResult<std::unique_ptr<Store>> open_postgres_store(const std::string& conninfo);

} // namespace hearth::hub
