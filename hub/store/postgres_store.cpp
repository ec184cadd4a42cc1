// The PostgreSQL store, for a bigger home or many homes. Same tables and semantics as the
// SQLite store (store_contract_test.cpp holds both to one contract); text parameters through
// libpq's PQexecParams, so no value is ever spliced into SQL.

#include <libpq-fe.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/store.h"
#include "store/store_schema.h"

namespace hearth::hub {

namespace {

constexpr const char* postgres_schema_sql = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS entities(id BIGSERIAL PRIMARY KEY, entity_id TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS attributes(id BIGSERIAL PRIMARY KEY, hash BIGINT NOT NULL,
                                      json TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS attributes_by_hash ON attributes(hash);
CREATE TABLE IF NOT EXISTS states(entity BIGINT NOT NULL, t_ms BIGINT NOT NULL,
                                  changed_ms BIGINT NOT NULL, state TEXT NOT NULL,
                                  attributes BIGINT NOT NULL, seq BIGSERIAL);
CREATE INDEX IF NOT EXISTS states_by_entity_time ON states(entity, t_ms);
CREATE INDEX IF NOT EXISTS states_by_time ON states(t_ms);
CREATE TABLE IF NOT EXISTS current_states(entity BIGINT PRIMARY KEY, t_ms BIGINT NOT NULL,
                                          changed_ms BIGINT NOT NULL, state TEXT NOT NULL,
                                          attributes BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS events(type TEXT NOT NULL, t_ms BIGINT NOT NULL, data TEXT NOT NULL,
                                  seq BIGSERIAL);
CREATE INDEX IF NOT EXISTS events_by_type_time ON events(type, t_ms);
CREATE INDEX IF NOT EXISTS events_by_time ON events(t_ms);
CREATE TABLE IF NOT EXISTS statistics(entity BIGINT NOT NULL, period INTEGER NOT NULL,
                                      start_ms BIGINT NOT NULL, mean DOUBLE PRECISION NOT NULL,
                                      min DOUBLE PRECISION NOT NULL, max DOUBLE PRECISION NOT NULL,
                                      last DOUBLE PRECISION NOT NULL, count BIGINT NOT NULL,
                                      PRIMARY KEY(entity, period, start_ms));
CREATE TABLE IF NOT EXISTS activities(id BIGSERIAL PRIMARY KEY, content_hash TEXT NOT NULL UNIQUE,
                                      file_name TEXT NOT NULL, format TEXT NOT NULL,
                                      start_ms BIGINT NOT NULL, sport TEXT NOT NULL,
                                      summary TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS activities_by_start ON activities(start_ms);
CREATE TABLE IF NOT EXISTS health_days(day TEXT NOT NULL, kind TEXT NOT NULL,
                                       result TEXT NOT NULL, PRIMARY KEY(day, kind));
)sql";

// Owns one PGresult.
class PgResult {
public:
    explicit PgResult(PGresult* r) : m_result(r) {}
    PgResult(const PgResult&) = delete;
    PgResult& operator=(const PgResult&) = delete;
    PgResult(PgResult&& other) noexcept : m_result(other.m_result) { other.m_result = nullptr; }
    ~PgResult() { PQclear(m_result); }

    [[nodiscard]] bool ok() const {
        const auto status = PQresultStatus(m_result);
        return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
    }
    [[nodiscard]] int rows() const { return PQntuples(m_result); }
    [[nodiscard]] std::string text(int row, int col) const {
        return {PQgetvalue(m_result, row, col),
                static_cast<std::size_t>(PQgetlength(m_result, row, col))};
    }
    [[nodiscard]] std::int64_t int64(int row, int col) const {
        return std::strtoll(PQgetvalue(m_result, row, col), nullptr, 10);
    }
    [[nodiscard]] double real(int row, int col) const {
        return std::strtod(PQgetvalue(m_result, row, col), nullptr);
    }

private:
    PGresult* m_result;
};

class PostgresStore final : public Store {
public:
    explicit PostgresStore(PGconn* conn) : m_conn(conn) {}
    ~PostgresStore() override { PQfinish(m_conn); }
    PostgresStore(const PostgresStore&) = delete;
    PostgresStore& operator=(const PostgresStore&) = delete;

    StoreResult<void> init() {
        return command("SET client_min_messages = warning").and_then([&] {
            return command(postgres_schema_sql);
        });
    }

    StoreResult<void> append_states(std::span<const EntityState> states) override {
        if (states.empty()) {
            return {};
        }
        if (auto r = command("BEGIN"); !r) {
            return r;
        }
        // Two statements for the whole batch (rows as arrays through unnest) rather than two
        // round trips per row: the hub writes batches of up to thousands of states.
        auto r = append_batch(states);
        if (!r) {
            command("ROLLBACK");
            return r;
        }
        return command("COMMIT");
    }

    StoreResult<void> append_event(const StoredEvent& event) override {
        return params_command("INSERT INTO events(type, t_ms, data) VALUES ($1, $2, $3)",
                              {event.type, std::to_string(event.time_ms), event.data.dump()});
    }

    StoreResult<std::vector<EntityState>> history(const std::string& entity_id, TimestampMs from_ms,
                                                  TimestampMs to_ms, std::size_t limit) override {
        auto r = query(
            "SELECT s.t_ms, s.changed_ms, s.state, a.json FROM states s "
            "JOIN entities e ON e.id = s.entity JOIN attributes a ON a.id = s.attributes "
            "WHERE e.entity_id = $1 AND s.t_ms >= $2 AND s.t_ms < $3 "
            "ORDER BY s.t_ms, s.seq LIMIT $4",
            {entity_id, std::to_string(from_ms), std::to_string(to_ms), std::to_string(limit)});
        if (!r) {
            return tl::unexpected(r.error());
        }
        std::vector<EntityState> out;
        for (int i = 0; i < r->rows(); ++i) {
            out.push_back({entity_id, r->text(i, 2), stored_json(r->text(i, 3)), r->int64(i, 1),
                           r->int64(i, 0)});
        }
        return out;
    }

    StoreResult<std::vector<StoredEvent>> events(const std::string& type, TimestampMs from_ms,
                                                 TimestampMs to_ms, std::size_t limit) override {
        auto r =
            query("SELECT type, t_ms, data FROM events WHERE ($1 = '' OR type = $1) "
                  "AND t_ms >= $2 AND t_ms < $3 ORDER BY t_ms, seq LIMIT $4",
                  {type, std::to_string(from_ms), std::to_string(to_ms), std::to_string(limit)});
        if (!r) {
            return tl::unexpected(r.error());
        }
        std::vector<StoredEvent> out;
        for (int i = 0; i < r->rows(); ++i) {
            out.push_back({r->text(i, 0), stored_json(r->text(i, 2)), r->int64(i, 1)});
        }
        return out;
    }

    StoreResult<std::vector<EntityState>> latest_states() override {
        auto r = query("SELECT e.entity_id, c.t_ms, c.changed_ms, c.state, a.json "
                       "FROM current_states c JOIN entities e ON e.id = c.entity "
                       "JOIN attributes a ON a.id = c.attributes ORDER BY e.entity_id",
                       {});
        if (!r) {
            return tl::unexpected(r.error());
        }
        std::vector<EntityState> out;
        for (int i = 0; i < r->rows(); ++i) {
            out.push_back({r->text(i, 0), r->text(i, 3), stored_json(r->text(i, 4)), r->int64(i, 2),
                           r->int64(i, 1)});
        }
        return out;
    }

    StoreResult<void> apply_retention(TimestampMs now_ms, const RetentionPolicy& policy) override {
        constexpr TimestampMs day_ms = 24LL * 3600 * 1000;
        const std::string raw_before = std::to_string(now_ms - policy.raw_days * day_ms);
        const std::string five_before = std::to_string(now_ms - policy.five_minute_days * day_ms);
        if (auto r = command("BEGIN"); !r) {
            return r;
        }
        auto r =
            fold_statistics(StatisticPeriod::FiveMinutes, now_ms)
                .and_then([&] { return fold_statistics(StatisticPeriod::Hour, now_ms); })
                .and_then([&] {
                    return params_command("DELETE FROM states WHERE t_ms < $1", {raw_before});
                })
                .and_then([&] {
                    return params_command("DELETE FROM events WHERE t_ms < $1", {raw_before});
                })
                .and_then([&] {
                    return params_command(
                        "DELETE FROM statistics WHERE period = 0 AND start_ms < $1", {five_before});
                })
                .and_then([&] {
                    return command("DELETE FROM attributes a WHERE NOT EXISTS (SELECT 1 "
                                   "FROM states s WHERE s.attributes = a.id) AND NOT EXISTS "
                                   "(SELECT 1 FROM current_states c WHERE c.attributes = a.id)");
                });
        if (!r) {
            command("ROLLBACK");
            m_attribute_keys.clear();
            return r;
        }
        m_attribute_keys.clear();
        return command("COMMIT");
    }

    StoreResult<std::vector<Statistic>> statistics(const std::string& entity_id,
                                                   StatisticPeriod period, TimestampMs from_ms,
                                                   TimestampMs to_ms) override {
        auto r = query("SELECT s.start_ms, s.mean, s.min, s.max, s.last, s.count "
                       "FROM statistics s JOIN entities e ON e.id = s.entity "
                       "WHERE e.entity_id = $1 AND s.period = $2 AND s.start_ms >= $3 "
                       "AND s.start_ms < $4 ORDER BY s.start_ms",
                       {entity_id, std::to_string(static_cast<int>(period)),
                        std::to_string(from_ms), std::to_string(to_ms)});
        if (!r) {
            return tl::unexpected(r.error());
        }
        std::vector<Statistic> out;
        for (int i = 0; i < r->rows(); ++i) {
            out.push_back({entity_id, period, r->int64(i, 0), r->real(i, 1), r->real(i, 2),
                           r->real(i, 3), r->real(i, 4), r->int64(i, 5)});
        }
        return out;
    }

    StoreResult<std::pair<std::int64_t, bool>> add_activity(const StoredActivity& a) override {
        auto inserted = query("INSERT INTO activities(content_hash, file_name, format, start_ms, "
                              "sport, summary) VALUES ($1, $2, $3, $4, $5, $6) "
                              "ON CONFLICT(content_hash) DO NOTHING RETURNING id",
                              {a.content_hash, a.file_name, a.format, std::to_string(a.start_ms),
                               a.sport, a.summary.dump()});
        if (!inserted) {
            return tl::unexpected(inserted.error());
        }
        if (inserted->rows() == 1) {
            return std::pair{inserted->int64(0, 0), true};
        }
        auto existing =
            query("SELECT id FROM activities WHERE content_hash = $1", {a.content_hash});
        if (!existing || existing->rows() != 1) {
            return tl::unexpected(existing ? StoreError{"postgres: add_activity: lost row"}
                                           : existing.error());
        }
        return std::pair{existing->int64(0, 0), false};
    }

    StoreResult<std::vector<StoredActivity>> activities(TimestampMs from_ms,
                                                        TimestampMs to_ms) override {
        auto r = query("SELECT id, content_hash, file_name, format, start_ms, sport, summary "
                       "FROM activities WHERE start_ms >= $1 AND start_ms < $2 "
                       "ORDER BY start_ms, id",
                       {std::to_string(from_ms), std::to_string(to_ms)});
        if (!r) {
            return tl::unexpected(r.error());
        }
        std::vector<StoredActivity> out;
        for (int i = 0; i < r->rows(); ++i) {
            out.push_back({r->int64(i, 0), r->text(i, 1), r->text(i, 2), r->text(i, 3),
                           r->int64(i, 4), r->text(i, 5), stored_json(r->text(i, 6))});
        }
        return out;
    }

    StoreResult<void> put_health_day(const std::string& day, const std::string& kind,
                                     const nlohmann::json& result) override {
        return params_command("INSERT INTO health_days(day, kind, result) VALUES ($1, $2, $3) "
                              "ON CONFLICT(day, kind) DO UPDATE SET result = excluded.result",
                              {day, kind, result.dump()});
    }

    StoreResult<std::optional<nlohmann::json>> health_day(const std::string& day,
                                                          const std::string& kind) override {
        auto r = query("SELECT result FROM health_days WHERE day = $1 AND kind = $2", {day, kind});
        if (!r) {
            return tl::unexpected(r.error());
        }
        if (r->rows() == 0) {
            return std::optional<nlohmann::json>();
        }
        return std::optional<nlohmann::json>(stored_json(r->text(0, 0)));
    }

private:
    StoreError error(std::string_view what) const {
        std::string message = PQerrorMessage(m_conn);
        while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
            message.pop_back();
        }
        return {"postgres: " + std::string(what) + ": " + message};
    }

    StoreResult<PgResult> query(const char* sql, const std::vector<std::string>& params) {
        std::vector<const char*> values;
        values.reserve(params.size());
        for (const auto& p : params) {
            values.push_back(p.c_str());
        }
        PgResult r(PQexecParams(m_conn, sql, static_cast<int>(values.size()), nullptr,
                                values.data(), nullptr, nullptr, 0));
        if (!r.ok()) {
            return tl::unexpected(error(sql));
        }
        return r;
    }

    StoreResult<void> params_command(const char* sql, const std::vector<std::string>& params) {
        return query(sql, params).map([](PgResult&&) {});
    }

    StoreResult<void> command(const char* sql) {
        PgResult r(PQexec(m_conn, sql));
        if (!r.ok()) {
            return tl::unexpected(error(sql));
        }
        return {};
    }

    // The rows as PostgreSQL array literals, one per column, element order = row order.
    struct Columns {
        std::string entity = "{";
        std::string t_ms = "{";
        std::string changed_ms = "{";
        std::string state = "{";
        std::string attributes = "{";

        void add(std::int64_t entity_key, const EntityState& s, std::int64_t attributes_key) {
            const bool first = entity.size() == 1;
            const char* comma = first ? "" : ",";
            entity += comma + std::to_string(entity_key);
            t_ms += comma + std::to_string(s.last_updated_ms);
            changed_ms += comma + std::to_string(s.last_changed_ms);
            attributes += comma + std::to_string(attributes_key);
            state += comma;
            state += '"';
            for (const char c : s.state) {
                if (c == '"' || c == '\\') {
                    state += '\\';
                }
                state += c;
            }
            state += '"';
        }
        [[nodiscard]] std::vector<std::string> params() const {
            return {entity + "}", t_ms + "}", changed_ms + "}", state + "}", attributes + "}"};
        }
    };

    StoreResult<void> append_batch(std::span<const EntityState> states) {
        Columns all;
        // The newest row per entity (a later row wins a tie, as row-by-row upserts would):
        // one upsert may not touch the same current_states row twice.
        std::unordered_map<std::int64_t, std::size_t> newest;
        std::vector<std::int64_t> attribute_keys;
        attribute_keys.reserve(states.size());
        for (std::size_t i = 0; i < states.size(); ++i) {
            const EntityState& s = states[i];
            auto entity = entity_key(s.entity_id);
            if (!entity) {
                return tl::unexpected(entity.error());
            }
            auto attributes = attributes_key(s.attributes);
            if (!attributes) {
                return tl::unexpected(attributes.error());
            }
            all.add(*entity, s, *attributes);
            attribute_keys.push_back(*attributes);
            auto [it, inserted] = newest.try_emplace(*entity, i);
            if (!inserted && s.last_updated_ms >= states[it->second].last_updated_ms) {
                it->second = i;
            }
        }
        Columns current;
        for (const auto& [entity, row] : newest) {
            current.add(entity, states[row], attribute_keys[row]);
        }
        return params_command("INSERT INTO states(entity, t_ms, changed_ms, state, attributes) "
                              "SELECT e, t, c, s, a FROM unnest($1::bigint[], $2::bigint[], "
                              "$3::bigint[], $4::text[], $5::bigint[]) WITH ORDINALITY "
                              "AS r(e, t, c, s, a, n) ORDER BY n",
                              all.params())
            .and_then([&] {
                return params_command(
                    "INSERT INTO current_states(entity, t_ms, changed_ms, state, attributes) "
                    "SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], "
                    "$4::text[], $5::bigint[]) ON CONFLICT(entity) DO UPDATE SET "
                    "t_ms = excluded.t_ms, changed_ms = excluded.changed_ms, "
                    "state = excluded.state, attributes = excluded.attributes "
                    "WHERE excluded.t_ms >= current_states.t_ms",
                    current.params());
            });
    }

    StoreResult<std::int64_t> entity_key(const std::string& entity_id) {
        if (auto it = m_entity_keys.find(entity_id); it != m_entity_keys.end()) {
            return it->second;
        }
        auto r = query("INSERT INTO entities(entity_id) VALUES ($1) ON CONFLICT(entity_id) "
                       "DO UPDATE SET entity_id = excluded.entity_id RETURNING id",
                       {entity_id});
        if (!r) {
            return tl::unexpected(r.error());
        }
        const std::int64_t key = r->int64(0, 0);
        m_entity_keys.emplace(entity_id, key);
        return key;
    }

    StoreResult<std::int64_t> attributes_key(const nlohmann::json& attributes) {
        const std::string text = attributes.dump();
        if (auto it = m_attribute_keys.find(text); it != m_attribute_keys.end()) {
            return it->second;
        }
        const std::string hash = std::to_string(stable_hash(text));
        auto found = query("SELECT id FROM attributes WHERE hash = $1 AND json = $2", {hash, text});
        if (!found) {
            return tl::unexpected(found.error());
        }
        std::int64_t key = 0;
        if (found->rows() > 0) {
            key = found->int64(0, 0);
        } else {
            auto inserted = query("INSERT INTO attributes(hash, json) VALUES ($1, $2) RETURNING id",
                                  {hash, text});
            if (!inserted) {
                return tl::unexpected(inserted.error());
            }
            key = inserted->int64(0, 0);
        }
        if (m_attribute_keys.size() > 4096) {
            m_attribute_keys.clear();
        }
        m_attribute_keys.emplace(text, key);
        return key;
    }

    StoreResult<void> fold_statistics(StatisticPeriod period, TimestampMs now_ms) {
        const TimestampMs length_ms = statistic_length_ms(period);
        const std::string key =
            period == StatisticPeriod::FiveMinutes ? "stats5_done_ms" : "stats60_done_ms";
        auto watermark = query("SELECT value FROM meta WHERE key = $1", {key});
        if (!watermark) {
            return tl::unexpected(watermark.error());
        }
        TimestampMs done_ms = 0;
        if (watermark->rows() > 0) {
            done_ms = watermark->int64(0, 0);
        } else {
            auto first = query("SELECT COALESCE(MIN(t_ms), 0) FROM states", {});
            if (!first) {
                return tl::unexpected(first.error());
            }
            done_ms = (first->int64(0, 0) / length_ms) * length_ms;
        }
        const TimestampMs until_ms = (now_ms / length_ms) * length_ms;
        if (until_ms <= done_ms) {
            return {};
        }
        const std::string length = std::to_string(length_ms);
        return params_command(
                   "INSERT INTO statistics(entity, period, start_ms, mean, min, max, last, count) "
                   "SELECT entity, $1::int, start, AVG(v), MIN(v), MAX(v), "
                   "(ARRAY_AGG(v ORDER BY t_ms DESC, seq DESC))[1], COUNT(*) FROM ("
                   "SELECT entity, t_ms, seq, (t_ms / $2::bigint) * $2::bigint AS start, "
                   "state::double precision AS v FROM states WHERE t_ms >= $3::bigint AND "
                   "t_ms < $4::bigint AND state ~ '^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)"
                   "([eE][-+]?[0-9]+)?$') AS numeric_states GROUP BY entity, start "
                   "ON CONFLICT(entity, period, start_ms) DO UPDATE SET mean = excluded.mean, "
                   "min = excluded.min, max = excluded.max, last = excluded.last, "
                   "count = excluded.count",
                   {std::to_string(static_cast<int>(period)), length, std::to_string(done_ms),
                    std::to_string(until_ms)})
            .and_then([&] {
                return params_command("INSERT INTO meta(key, value) VALUES ($1, $2) "
                                      "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                                      {key, std::to_string(until_ms)});
            });
    }

    PGconn* m_conn;
    std::unordered_map<std::string, std::int64_t> m_entity_keys;
    std::unordered_map<std::string, std::int64_t> m_attribute_keys;
};

} // namespace

StoreResult<std::unique_ptr<Store>> open_postgres_store(const std::string& conninfo) {
    PGconn* conn = PQconnectdb(conninfo.c_str());
    if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
        StoreError e{std::string("postgres: cannot connect: ") +
                     (conn != nullptr ? PQerrorMessage(conn) : "out of memory")};
        while (!e.message.empty() && e.message.back() == '\n') {
            e.message.pop_back();
        }
        PQfinish(conn);
        return tl::unexpected(e);
    }
    auto store = std::make_unique<PostgresStore>(conn);
    if (auto r = store->init(); !r) {
        return tl::unexpected(r.error());
    }
    return std::unique_ptr<Store>(std::move(store));
}

} // namespace hearth::hub
