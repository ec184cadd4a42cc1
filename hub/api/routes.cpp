#include "api/routes.h"

#include <charconv>

#include "automation/runner.h"
#include "common/iso8601.h"
#include "importer/importer.h"

namespace hearth::hub {

namespace {

using json = nlohmann::json;

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

std::string url_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out.push_back(' ');
        } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
                   hex_value(s[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
            i += 2;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

ApiResponse error(int status, const std::string& message) {
    return {status, {{"error", message}}};
}

// A time parameter: ISO 8601 or milliseconds since the epoch.
std::optional<TimestampMs> parse_time(const std::string& text) {
    TimestampMs ms = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
    if (ec == std::errc() && ptr == text.data() + text.size()) {
        return ms;
    }
    if (auto t = formats::parse_iso8601(text)) {
        return t->unix_ms();
    }
    return std::nullopt;
}

std::string iso(TimestampMs ms) {
    return formats::format_iso8601(formats::UtcTime::from_unix_ms(ms));
}

} // namespace

json state_to_json(const EntityState& s) {
    return {{"entity_id", s.entity_id},
            {"state", s.state},
            {"attributes", s.attributes},
            {"last_changed", iso(s.last_changed_ms)},
            {"last_updated", iso(s.last_updated_ms)}};
}

namespace {

struct TimeRange {
    TimestampMs start_ms;
    TimestampMs end_ms;
};

// start/end from the query; defaults: the last 24 h up to now.
std::optional<TimeRange> time_range(const ParsedTarget& t, TimestampMs now_ms,
                                    std::string& problem) {
    TimeRange r{now_ms - 24LL * 3600 * 1000, now_ms + 1};
    if (auto it = t.query.find("start"); it != t.query.end()) {
        auto v = parse_time(it->second);
        if (!v) {
            problem = "start is not a time: " + it->second;
            return std::nullopt;
        }
        r.start_ms = *v;
    }
    if (auto it = t.query.find("end"); it != t.query.end()) {
        auto v = parse_time(it->second);
        if (!v) {
            problem = "end is not a time: " + it->second;
            return std::nullopt;
        }
        r.end_ms = *v;
    }
    return r;
}

} // namespace

ParsedTarget parse_target(const std::string& target) {
    ParsedTarget out;
    const std::size_t q = target.find('?');
    out.path = url_decode(target.substr(0, q));
    if (q == std::string::npos) {
        return out;
    }
    std::string_view rest(target);
    rest.remove_prefix(q + 1);
    while (!rest.empty()) {
        const std::size_t amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        const std::size_t eq = pair.find('=');
        out.query[url_decode(pair.substr(0, eq))] =
            eq == std::string_view::npos ? std::string() : url_decode(pair.substr(eq + 1));
        rest.remove_prefix(amp == std::string_view::npos ? rest.size() : amp + 1);
    }
    return out;
}

tl::expected<json, std::string>
ApiRoutes::call_service(const std::string& domain, const std::string& service, json data) const {
    if (m_automations != nullptr) {
        auto handled = m_automations->call_service(domain, service, data);
        if (handled.handled) {
            if (!handled.result) {
                return tl::unexpected(handled.result.error());
            }
            json out = {{"result", "done"}};
            if (handled.result->is_object()) {
                out.update(*handled.result);
            }
            return out;
        }
    } else if (domain == "scene" || domain == "automation") {
        return tl::unexpected(std::string("automations are not running in this hub"));
    }
    if (!data.contains("entity_id") || !data["entity_id"].is_string()) {
        return tl::unexpected(std::string("entity_id (a string) is required"));
    }
    const std::string entity = data["entity_id"].get<std::string>();
    data.erase("entity_id");
    auto r = m_hub.call_service({domain, service, entity, std::move(data)});
    if (!r) {
        return tl::unexpected(r.error());
    }
    return json{{"result", "sent"}};
}

namespace {

const char* mode_name(automation::Mode mode) {
    switch (mode) {
    case automation::Mode::Single:
        return "single";
    case automation::Mode::Restart:
        return "restart";
    case automation::Mode::Queued:
        return "queued";
    case automation::Mode::Parallel:
        return "parallel";
    }
    return "single";
}

std::string source_text(const automation::SourceLocation& where) {
    return where.file.empty() ? std::string() : where.file + ":" + std::to_string(where.line);
}

} // namespace

std::optional<ApiResponse> ApiRoutes::handle_automations(const ApiRequest& request,
                                                         const ParsedTarget& t) const {
    const std::string& p = t.path;
    const bool get = request.method == "GET";
    const bool post = request.method == "POST";
    const bool ours = p == "/api/automations" || p == "/api/automations/reload" ||
                      p == "/api/scenes" || p == "/api/traces" || p.starts_with("/api/traces/");
    if (!ours) {
        return std::nullopt;
    }
    if (m_automations == nullptr) {
        return error(503, "automations are not running in this hub");
    }
    if (p == "/api/automations" && get) {
        json list = json::array();
        for (const auto& a : m_automations->automations()) {
            list.push_back({{"id", a.id},
                            {"entity_id", "automation." + a.id},
                            {"alias", a.alias},
                            {"mode", mode_name(a.mode)},
                            {"enabled", a.enabled},
                            {"running", a.running},
                            {"queued", a.queued},
                            {"skipped", a.skipped},
                            {"last_triggered",
                             a.last_triggered_ms ? json(iso(*a.last_triggered_ms)) : json(nullptr)},
                            {"source", source_text(a.where)}});
        }
        return ApiResponse{200,
                           {{"automations", list},
                            {"problems", automation::problems_to_json(m_automations->problems())}}};
    }
    if (p == "/api/automations/reload" && post) {
        const auto r = m_automations->reload();
        return ApiResponse{200,
                           {{"automations", r.automations},
                            {"scenes", r.scenes},
                            {"problems", automation::problems_to_json(r.problems)}}};
    }
    if (p == "/api/scenes" && get) {
        json list = json::array();
        for (const auto& s : m_automations->scenes()) {
            json entities = json::object();
            for (const auto& [id, e] : s.entities) {
                entities[id] = {{"state", e.state}, {"attributes", e.attributes}};
            }
            list.push_back({{"id", s.id},
                            {"entity_id", "scene." + s.id},
                            {"name", s.name},
                            {"entities", entities},
                            {"source", source_text(s.where)}});
        }
        return ApiResponse{200, list};
    }
    if (p == "/api/traces" && get) {
        const std::string id = t.query.contains("automation_id") ? t.query.at("automation_id") : "";
        json list = json::array();
        for (const auto& trace : m_automations->traces(id)) {
            list.push_back(automation::to_json(trace));
        }
        return ApiResponse{200, list};
    }
    if (p.starts_with("/api/traces/") && get) {
        const std::string text = p.substr(std::string("/api/traces/").size());
        std::uint64_t run_id = 0;
        const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), run_id);
        if (ec != std::errc() || ptr != text.data() + text.size()) {
            return error(400, "a run id is a number: " + text);
        }
        if (auto trace = m_automations->trace(run_id)) {
            return ApiResponse{200, automation::to_json(*trace)};
        }
        return error(404, "no trace " + text);
    }
    return error(405, request.method + " is not allowed on " + p);
}

bool ApiRoutes::authorized(const std::string& authorization) const {
    constexpr std::string_view prefix = "Bearer ";
    return authorization.starts_with(prefix) &&
           m_tokens.verify(authorization.substr(prefix.size()));
}

ApiResponse ApiRoutes::handle(const ApiRequest& request) const {
    if (!authorized(request.authorization)) {
        return error(401,
                     "missing or invalid bearer token (create one with `hearth token create`)");
    }
    const ParsedTarget t = parse_target(request.target);
    const std::string& p = t.path;
    const bool get = request.method == "GET";
    const bool post = request.method == "POST";

    if (p == "/api" || p == "/api/") {
        return {200, {{"message", "Hearth API running."}}};
    }
    if (p == "/api/states" && get) {
        json out = json::array();
        for (const auto& s : m_hub.states()) {
            out.push_back(state_to_json(s));
        }
        return {200, out};
    }
    if (p.starts_with("/api/states/") && get) {
        const std::string id = p.substr(std::string("/api/states/").size());
        if (auto s = m_hub.state(id)) {
            return {200, state_to_json(*s)};
        }
        return error(404, "no entity " + id);
    }
    if (p.starts_with("/api/services/") && post) {
        const std::string rest = p.substr(std::string("/api/services/").size());
        const std::size_t slash = rest.find('/');
        if (slash == std::string::npos || slash == 0 || slash + 1 == rest.size()) {
            return error(404, "use /api/services/<domain>/<service>");
        }
        json data =
            request.body.empty() ? json::object() : json::parse(request.body, nullptr, false);
        if (!data.is_object()) {
            return error(400, "the body must be a JSON object");
        }
        auto r = call_service(rest.substr(0, slash), rest.substr(slash + 1), std::move(data));
        if (!r) {
            return error(400, r.error());
        }
        return {200, *r};
    }
    if (auto automations = handle_automations(request, t)) {
        return *automations;
    }
    if (p == "/api/history" && get) {
        auto entity = t.query.find("entity_id");
        if (entity == t.query.end()) {
            return error(400, "entity_id is required");
        }
        std::string problem;
        auto range = time_range(t, m_clock.now_ms(), problem);
        if (!range) {
            return error(400, problem);
        }
        auto rows = m_hub.with_store([&](Store& store) {
            return store.history(entity->second, range->start_ms, range->end_ms, 100'000);
        });
        if (!rows) {
            return error(500, rows.error().message);
        }
        json out = json::array();
        for (const auto& s : *rows) {
            out.push_back(state_to_json(s));
        }
        return {200, out};
    }
    if (p == "/api/statistics" && get) {
        auto entity = t.query.find("entity_id");
        if (entity == t.query.end()) {
            return error(400, "entity_id is required");
        }
        const std::string period_text = t.query.contains("period") ? t.query.at("period") : "1h";
        if (period_text != "5m" && period_text != "1h") {
            return error(400, "period must be 5m or 1h");
        }
        std::string problem;
        auto range = time_range(t, m_clock.now_ms(), problem);
        if (!range) {
            return error(400, problem);
        }
        const auto period =
            period_text == "5m" ? StatisticPeriod::FiveMinutes : StatisticPeriod::Hour;
        auto rows = m_hub.with_store([&](Store& store) {
            return store.statistics(entity->second, period, range->start_ms, range->end_ms);
        });
        if (!rows) {
            return error(500, rows.error().message);
        }
        json out = json::array();
        for (const auto& s : *rows) {
            out.push_back({{"start", iso(s.start_ms)},
                           {"mean", s.mean},
                           {"min", s.min},
                           {"max", s.max},
                           {"last", s.last},
                           {"count", s.count}});
        }
        return {200, out};
    }
    if (p == "/api/activities" && post) {
        // The body is the file's bytes; ?name= names it, ?start= anchors a CSV recording's
        // t_s = 0 (default: the recording ends now).
        ImporterOptions options;
        options.recording = {RecordingTime::Anchor::End, m_clock.now_ms()};
        if (auto it = t.query.find("start"); it != t.query.end()) {
            auto v = parse_time(it->second);
            if (!v) {
                return error(400, "start is not a time: " + it->second);
            }
            options.recording = {RecordingTime::Anchor::Start, *v};
        }
        const std::string name = t.query.contains("name") ? t.query.at("name") : "upload";
        const std::span<const std::uint8_t> bytes(
            reinterpret_cast<const std::uint8_t*>(request.body.data()), request.body.size());
        // Decoding and analysis run outside the store lock; only the writes hold it.
        auto prepared = prepare_import(bytes, name, options);
        if (!prepared) {
            return error(400, prepared.error().message);
        }
        auto imported =
            m_hub.with_store([&](Store& store) { return store_import(store, *prepared); });
        if (!imported) {
            return error(imported.error().code == ImportError::Code::Store ? 500 : 400,
                         imported.error().message);
        }
        json ids = json::array();
        json items = json::array();
        for (const auto& item : imported->items) {
            json j = {{"added", item.added}};
            if (item.kind == ImportedKind::Activity) {
                j["id"] = item.activity_id;
                j["sport"] = item.sport;
                j["start_time"] = iso(item.start_ms);
                if (item.added) {
                    ids.push_back(item.activity_id);
                }
            } else {
                j["day"] = item.day;
                j["kind"] = item.health_kind;
            }
            items.push_back(std::move(j));
        }
        return {imported->added() > 0 ? 201 : 200,
                {{"format", imported->format},
                 {"added_ids", ids},
                 {"items", items},
                 {"warnings", imported->warnings}}};
    }
    if (p == "/api/activities" && get) {
        std::string problem;
        ParsedTarget all = t;
        if (!all.query.contains("start")) {
            all.query["start"] = "0";
        }
        auto range = time_range(all, m_clock.now_ms(), problem);
        if (!range) {
            return error(400, problem);
        }
        auto rows = m_hub.with_store(
            [&](Store& store) { return store.activities(range->start_ms, range->end_ms); });
        if (!rows) {
            return error(500, rows.error().message);
        }
        json out = json::array();
        for (const auto& a : *rows) {
            out.push_back({{"id", a.id},
                           {"file", a.file_name},
                           {"format", a.format},
                           {"start_time", iso(a.start_ms)},
                           {"sport", a.sport},
                           {"summary", a.summary}});
        }
        return {200, out};
    }
    if (p.starts_with("/api/health/") && get) {
        // /api/health/<kind>?day=YYYY-MM-DD
        const std::string kind = p.substr(std::string("/api/health/").size());
        auto day = t.query.find("day");
        if (kind.empty() || day == t.query.end()) {
            return error(400, "use /api/health/<kind>?day=YYYY-MM-DD");
        }
        auto result =
            m_hub.with_store([&](Store& store) { return store.health_day(day->second, kind); });
        if (!result) {
            return error(500, result.error().message);
        }
        if (!result->has_value()) {
            return error(404, "no " + kind + " result for " + day->second);
        }
        return {200, **result};
    }
    if (p == "/api/stats" && get) {
        const HubStats s = m_hub.stats();
        return {200,
                {{"messages_received", s.messages_received},
                 {"messages_processed", s.messages_processed},
                 {"messages_replayed", s.messages_replayed},
                 {"state_changes", s.state_changes},
                 {"states_stored", s.states_stored},
                 {"problems", s.problems},
                 {"problem_counts", s.problem_counts},
                 {"queue_depth", s.queue_depth},
                 {"entities", s.entities},
                 {"mqtt_connected", s.mqtt_connected},
                 {"mqtt_subscribed", s.mqtt_subscribed}}};
    }
    return error(404, "no route " + request.method + " " + p);
}

} // namespace hearth::hub
