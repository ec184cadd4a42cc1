// The embedded store: one SQLite file in WAL mode. Attributes are stored once per distinct
// JSON document (most state rows of a sensor share them), entity ids once per entity, so a row
// of history costs a few dozen bytes.

#include <sqlite3.h>

#include <cmath>
#include <cstdint>
#include <string_view>
#include <unordered_map>

#include "store/store.h"
#include "store/store_schema.h"

namespace hearth::hub {

namespace {

class Statement {
public:
    Statement() = default;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement() { sqlite3_finalize(m_stmt); }

    bool prepare(sqlite3* db, std::string_view sql) {
        sqlite3_finalize(m_stmt);
        m_stmt = nullptr;
        return sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &m_stmt, nullptr) ==
               SQLITE_OK;
    }
    sqlite3_stmt* get() { return m_stmt; }
    void reset() {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
    void bind(int i, std::int64_t v) { sqlite3_bind_int64(m_stmt, i, v); }
    void bind(int i, double v) { sqlite3_bind_double(m_stmt, i, v); }
    void bind(int i, std::string_view v) {
        sqlite3_bind_text(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    }
    int step() { return sqlite3_step(m_stmt); }
    std::int64_t int64(int col) { return sqlite3_column_int64(m_stmt, col); }
    double real(int col) { return sqlite3_column_double(m_stmt, col); }
    std::string text(int col) {
        const auto* p = sqlite3_column_text(m_stmt, col);
        return p == nullptr
                   ? std::string()
                   : std::string(reinterpret_cast<const char*>(p),
                                 static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, col)));
    }

private:
    sqlite3_stmt* m_stmt = nullptr;
};

class SqliteStore final : public Store {
public:
    explicit SqliteStore(sqlite3* db) : m_db(db) {}
    // close_v2: the prepared statements (members) are finalized after this body runs.
    ~SqliteStore() override { sqlite3_close_v2(m_db); }
    SqliteStore(const SqliteStore&) = delete;
    SqliteStore& operator=(const SqliteStore&) = delete;

    StoreResult<void> init() {
        if (auto r = exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                          "PRAGMA foreign_keys=OFF; PRAGMA busy_timeout=5000;");
            !r) {
            return r;
        }
        return exec(sqlite_schema_sql);
    }

    StoreResult<void> append_states(std::span<const EntityState> states) override {
        if (states.empty()) {
            return {};
        }
        if (auto r = exec("BEGIN"); !r) {
            return r;
        }
        for (const EntityState& s : states) {
            auto entity = entity_key(s.entity_id);
            if (!entity) {
                exec("ROLLBACK");
                return tl::unexpected(entity.error());
            }
            auto attributes = attributes_key(s.attributes);
            if (!attributes) {
                exec("ROLLBACK");
                return tl::unexpected(attributes.error());
            }
            for (Statement* st : {&m_insert_state, &m_upsert_current}) {
                if (st->get() == nullptr && !prepare_state_statements()) {
                    exec("ROLLBACK");
                    return fail("prepare");
                }
                st->reset();
                st->bind(1, *entity);
                st->bind(2, s.last_updated_ms);
                st->bind(3, s.last_changed_ms);
                st->bind(4, s.state);
                st->bind(5, *attributes);
                if (st->step() != SQLITE_DONE) {
                    auto error = fail("append_states");
                    exec("ROLLBACK");
                    return error;
                }
            }
        }
        return exec("COMMIT");
    }

    StoreResult<void> append_event(const StoredEvent& event) override {
        Statement st;
        if (!st.prepare(m_db, "INSERT INTO events(type, t_ms, data) VALUES (?, ?, ?)")) {
            return fail("append_event");
        }
        st.bind(1, event.type);
        st.bind(2, event.time_ms);
        st.bind(3, event.data.dump());
        return st.step() == SQLITE_DONE ? StoreResult<void>{} : fail("append_event");
    }

    StoreResult<std::vector<EntityState>> history(const std::string& entity_id, TimestampMs from_ms,
                                                  TimestampMs to_ms, std::size_t limit) override {
        Statement st;
        if (!st.prepare(m_db, "SELECT s.t_ms, s.changed_ms, s.state, a.json FROM states s "
                              "JOIN entities e ON e.id = s.entity "
                              "JOIN attributes a ON a.id = s.attributes "
                              "WHERE e.entity_id = ? AND s.t_ms >= ? AND s.t_ms < ? "
                              "ORDER BY s.t_ms, s.rowid LIMIT ?")) {
            return tl::unexpected(error("history"));
        }
        st.bind(1, entity_id);
        st.bind(2, from_ms);
        st.bind(3, to_ms);
        st.bind(4, static_cast<std::int64_t>(limit));
        std::vector<EntityState> out;
        int rc = 0;
        while ((rc = st.step()) == SQLITE_ROW) {
            out.push_back(
                {entity_id, st.text(2), stored_json(st.text(3)), st.int64(1), st.int64(0)});
        }
        if (rc != SQLITE_DONE) {
            return tl::unexpected(error("history"));
        }
        return out;
    }

    StoreResult<std::vector<StoredEvent>> events(const std::string& type, TimestampMs from_ms,
                                                 TimestampMs to_ms, std::size_t limit) override {
        Statement st;
        if (!st.prepare(m_db, "SELECT type, t_ms, data FROM events WHERE (?1 = '' OR type = ?1) "
                              "AND t_ms >= ?2 AND t_ms < ?3 ORDER BY t_ms, rowid LIMIT ?4")) {
            return tl::unexpected(error("events"));
        }
        st.bind(1, type);
        st.bind(2, from_ms);
        st.bind(3, to_ms);
        st.bind(4, static_cast<std::int64_t>(limit));
        std::vector<StoredEvent> out;
        int rc = 0;
        while ((rc = st.step()) == SQLITE_ROW) {
            out.push_back({st.text(0), stored_json(st.text(2)), st.int64(1)});
        }
        if (rc != SQLITE_DONE) {
            return tl::unexpected(error("events"));
        }
        return out;
    }

    StoreResult<std::vector<EntityState>> latest_states() override {
        Statement st;
        if (!st.prepare(m_db, "SELECT e.entity_id, c.t_ms, c.changed_ms, c.state, a.json "
                              "FROM current_states c JOIN entities e ON e.id = c.entity "
                              "JOIN attributes a ON a.id = c.attributes ORDER BY e.entity_id")) {
            return tl::unexpected(error("latest_states"));
        }
        std::vector<EntityState> out;
        int rc = 0;
        while ((rc = st.step()) == SQLITE_ROW) {
            out.push_back(
                {st.text(0), st.text(3), stored_json(st.text(4)), st.int64(2), st.int64(1)});
        }
        if (rc != SQLITE_DONE) {
            return tl::unexpected(error("latest_states"));
        }
        return out;
    }

    StoreResult<void> apply_retention(TimestampMs now_ms, const RetentionPolicy& policy) override {
        constexpr TimestampMs day_ms = 24LL * 3600 * 1000;
        if (auto r = exec("BEGIN"); !r) {
            return r;
        }
        auto r =
            fold_statistics(StatisticPeriod::FiveMinutes, now_ms)
                .and_then([&] { return fold_statistics(StatisticPeriod::Hour, now_ms); })
                .and_then([&] {
                    return delete_before("DELETE FROM states WHERE t_ms < ?",
                                         now_ms - policy.raw_days * day_ms);
                })
                .and_then([&] {
                    return delete_before("DELETE FROM events WHERE t_ms < ?",
                                         now_ms - policy.raw_days * day_ms);
                })
                .and_then([&] {
                    return delete_before("DELETE FROM statistics WHERE period = 0 AND start_ms < ?",
                                         now_ms - policy.five_minute_days * day_ms);
                })
                .and_then([&] {
                    return exec("DELETE FROM attributes WHERE id NOT IN "
                                "(SELECT attributes FROM states UNION "
                                "SELECT attributes FROM current_states)");
                });
        if (!r) {
            exec("ROLLBACK");
            return r;
        }
        return exec("COMMIT");
    }

    StoreResult<std::vector<Statistic>> statistics(const std::string& entity_id,
                                                   StatisticPeriod period, TimestampMs from_ms,
                                                   TimestampMs to_ms) override {
        Statement st;
        if (!st.prepare(m_db, "SELECT s.start_ms, s.mean, s.min, s.max, s.last, s.count "
                              "FROM statistics s JOIN entities e ON e.id = s.entity "
                              "WHERE e.entity_id = ? AND s.period = ? AND s.start_ms >= ? "
                              "AND s.start_ms < ? ORDER BY s.start_ms")) {
            return tl::unexpected(error("statistics"));
        }
        st.bind(1, entity_id);
        st.bind(2, static_cast<std::int64_t>(period));
        st.bind(3, from_ms);
        st.bind(4, to_ms);
        std::vector<Statistic> out;
        int rc = 0;
        while ((rc = st.step()) == SQLITE_ROW) {
            out.push_back({entity_id, period, st.int64(0), st.real(1), st.real(2), st.real(3),
                           st.real(4), st.int64(5)});
        }
        if (rc != SQLITE_DONE) {
            return tl::unexpected(error("statistics"));
        }
        return out;
    }

    StoreResult<std::pair<std::int64_t, bool>> add_activity(const StoredActivity& a) override {
        Statement find;
        if (!find.prepare(m_db, "SELECT id FROM activities WHERE content_hash = ?")) {
            return tl::unexpected(error("add_activity"));
        }
        find.bind(1, a.content_hash);
        if (find.step() == SQLITE_ROW) {
            return std::pair{find.int64(0), false};
        }
        Statement st;
        if (!st.prepare(m_db, "INSERT INTO activities(content_hash, file_name, format, start_ms, "
                              "sport, summary) VALUES (?, ?, ?, ?, ?, ?)")) {
            return tl::unexpected(error("add_activity"));
        }
        st.bind(1, a.content_hash);
        st.bind(2, a.file_name);
        st.bind(3, a.format);
        st.bind(4, a.start_ms);
        st.bind(5, a.sport);
        st.bind(6, a.summary.dump());
        if (st.step() != SQLITE_DONE) {
            return tl::unexpected(error("add_activity"));
        }
        return std::pair{static_cast<std::int64_t>(sqlite3_last_insert_rowid(m_db)), true};
    }

    StoreResult<std::vector<StoredActivity>> activities(TimestampMs from_ms,
                                                        TimestampMs to_ms) override {
        Statement st;
        if (!st.prepare(m_db, "SELECT id, content_hash, file_name, format, start_ms, sport, "
                              "summary FROM activities WHERE start_ms >= ? AND start_ms < ? "
                              "ORDER BY start_ms, id")) {
            return tl::unexpected(error("activities"));
        }
        st.bind(1, from_ms);
        st.bind(2, to_ms);
        std::vector<StoredActivity> out;
        int rc = 0;
        while ((rc = st.step()) == SQLITE_ROW) {
            out.push_back({st.int64(0), st.text(1), st.text(2), st.text(3), st.int64(4), st.text(5),
                           stored_json(st.text(6))});
        }
        if (rc != SQLITE_DONE) {
            return tl::unexpected(error("activities"));
        }
        return out;
    }

    StoreResult<void> put_health_day(const std::string& day, const std::string& kind,
                                     const nlohmann::json& result) override {
        Statement st;
        if (!st.prepare(m_db, "INSERT INTO health_days(day, kind, result) VALUES (?, ?, ?) "
                              "ON CONFLICT(day, kind) DO UPDATE SET result = excluded.result")) {
            return fail("put_health_day");
        }
        st.bind(1, day);
        st.bind(2, kind);
        st.bind(3, result.dump());
        return st.step() == SQLITE_DONE ? StoreResult<void>{} : fail("put_health_day");
    }

    StoreResult<std::optional<nlohmann::json>> health_day(const std::string& day,
                                                          const std::string& kind) override {
        Statement st;
        if (!st.prepare(m_db, "SELECT result FROM health_days WHERE day = ? AND kind = ?")) {
            return tl::unexpected(error("health_day"));
        }
        st.bind(1, day);
        st.bind(2, kind);
        const int rc = st.step();
        if (rc == SQLITE_ROW) {
            return std::optional<nlohmann::json>(stored_json(st.text(0)));
        }
        if (rc != SQLITE_DONE) {
            return tl::unexpected(error("health_day"));
        }
        return std::optional<nlohmann::json>();
    }

private:
    StoreError error(std::string_view what) const {
        return {"sqlite: " + std::string(what) + ": " + sqlite3_errmsg(m_db)};
    }
    tl::unexpected<StoreError> fail(std::string_view what) const {
        return tl::unexpected(error(what));
    }

    StoreResult<void> exec(const char* sql) {
        char* message = nullptr;
        if (sqlite3_exec(m_db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
            StoreError e{std::string("sqlite: ") + (message != nullptr ? message : "error")};
            sqlite3_free(message);
            return tl::unexpected(e);
        }
        return {};
    }

    bool prepare_state_statements() {
        return m_insert_state.prepare(m_db, "INSERT INTO states(entity, t_ms, changed_ms, state, "
                                            "attributes) VALUES (?, ?, ?, ?, ?)") &&
               m_upsert_current.prepare(
                   m_db, "INSERT INTO current_states(entity, t_ms, changed_ms, state, attributes) "
                         "VALUES (?, ?, ?, ?, ?) ON CONFLICT(entity) DO UPDATE SET "
                         "t_ms = excluded.t_ms, changed_ms = excluded.changed_ms, "
                         "state = excluded.state, attributes = excluded.attributes "
                         "WHERE excluded.t_ms >= current_states.t_ms");
    }

    StoreResult<std::int64_t> entity_key(const std::string& entity_id) {
        if (auto it = m_entity_keys.find(entity_id); it != m_entity_keys.end()) {
            return it->second;
        }
        Statement st;
        if (!st.prepare(m_db, "INSERT INTO entities(entity_id) VALUES (?) ON CONFLICT(entity_id) "
                              "DO UPDATE SET entity_id = excluded.entity_id RETURNING id")) {
            return tl::unexpected(error("entity"));
        }
        st.bind(1, entity_id);
        if (st.step() != SQLITE_ROW) {
            return tl::unexpected(error("entity"));
        }
        const std::int64_t key = st.int64(0);
        m_entity_keys.emplace(entity_id, key);
        return key;
    }

    StoreResult<std::int64_t> attributes_key(const nlohmann::json& attributes) {
        const std::string text = attributes.dump();
        if (auto it = m_attribute_keys.find(text); it != m_attribute_keys.end()) {
            return it->second;
        }
        const std::int64_t hash = stable_hash(text);
        Statement find;
        if (!find.prepare(m_db, "SELECT id FROM attributes WHERE hash = ? AND json = ?")) {
            return tl::unexpected(error("attributes"));
        }
        find.bind(1, hash);
        find.bind(2, text);
        std::int64_t key = 0;
        if (find.step() == SQLITE_ROW) {
            key = find.int64(0);
        } else {
            Statement insert;
            if (!insert.prepare(m_db, "INSERT INTO attributes(hash, json) VALUES (?, ?)")) {
                return tl::unexpected(error("attributes"));
            }
            insert.bind(1, hash);
            insert.bind(2, text);
            if (insert.step() != SQLITE_DONE) {
                return tl::unexpected(error("attributes"));
            }
            key = sqlite3_last_insert_rowid(m_db);
        }
        if (m_attribute_keys.size() > 4096) {
            m_attribute_keys.clear(); // bounded cache
        }
        m_attribute_keys.emplace(text, key);
        return key;
    }

    StoreResult<void> fold_statistics(StatisticPeriod period, TimestampMs now_ms) {
        const TimestampMs length_ms = statistic_length_ms(period);
        const std::string key =
            period == StatisticPeriod::FiveMinutes ? "stats5_done_ms" : "stats60_done_ms";
        Statement get;
        if (!get.prepare(m_db, "SELECT value FROM meta WHERE key = ?")) {
            return fail("statistics watermark");
        }
        get.bind(1, key);
        TimestampMs done_ms = 0;
        if (get.step() == SQLITE_ROW) {
            done_ms = get.int64(0);
        } else {
            Statement first;
            if (!first.prepare(m_db, "SELECT MIN(t_ms) FROM states") ||
                first.step() != SQLITE_ROW) {
                return fail("statistics start");
            }
            done_ms = (first.int64(0) / length_ms) * length_ms;
        }
        const TimestampMs until_ms = (now_ms / length_ms) * length_ms;
        if (until_ms <= done_ms) {
            return {};
        }
        // Numeric states only ("21.5", "-3", "1e3"). The window function carries each
        // period's last value out of the grouping.
        Statement fold;
        if (!fold.prepare(m_db, "INSERT OR REPLACE INTO statistics(entity, period, start_ms, mean, "
                                "min, max, last, count) SELECT entity, ?1, start, AVG(v), MIN(v), "
                                "MAX(v), MAX(last_v), COUNT(*) FROM (SELECT entity, "
                                "(t_ms / ?2) * ?2 AS start, CAST(state AS REAL) AS v, "
                                "LAST_VALUE(CAST(state AS REAL)) OVER (PARTITION BY entity, "
                                "(t_ms / ?2) ORDER BY t_ms, rowid ROWS BETWEEN UNBOUNDED PRECEDING "
                                "AND UNBOUNDED FOLLOWING) AS last_v FROM states "
                                "WHERE t_ms >= ?3 AND t_ms < ?4 AND state <> '' AND "
                                "state NOT GLOB '*[^0-9.eE+-]*' AND state GLOB '*[0-9]*') "
                                "GROUP BY entity, start")) {
            return fail("statistics");
        }
        fold.bind(1, static_cast<std::int64_t>(period));
        fold.bind(2, length_ms);
        fold.bind(3, done_ms);
        fold.bind(4, until_ms);
        if (fold.step() != SQLITE_DONE) {
            return fail("statistics");
        }
        Statement set;
        if (!set.prepare(m_db, "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) "
                               "DO UPDATE SET value = excluded.value")) {
            return fail("statistics watermark");
        }
        set.bind(1, key);
        set.bind(2, until_ms);
        return set.step() == SQLITE_DONE ? StoreResult<void>{} : fail("statistics watermark");
    }

    StoreResult<void> delete_before(const char* sql, TimestampMs before_ms) {
        Statement st;
        if (!st.prepare(m_db, sql)) {
            return fail("retention");
        }
        st.bind(1, before_ms);
        return st.step() == SQLITE_DONE ? StoreResult<void>{} : fail("retention");
    }

    sqlite3* m_db;
    Statement m_insert_state;
    Statement m_upsert_current;
    std::unordered_map<std::string, std::int64_t> m_entity_keys;
    std::unordered_map<std::string, std::int64_t> m_attribute_keys;
};

} // namespace

StoreResult<std::unique_ptr<Store>> open_sqlite_store(const std::string& path) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
        StoreError e{"sqlite: cannot open " + path + ": " +
                     (db != nullptr ? sqlite3_errmsg(db) : "out of memory")};
        sqlite3_close(db);
        return tl::unexpected(e);
    }
    auto store = std::make_unique<SqliteStore>(db);
    if (auto r = store->init(); !r) {
        return tl::unexpected(StoreError{"sqlite: " + path + ": " + r.error().message});
    }
    return std::unique_ptr<Store>(std::move(store));
}

} // namespace hearth::hub
