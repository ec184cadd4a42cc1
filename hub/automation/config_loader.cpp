#include "automation/config_loader.h"

#include <algorithm>
#include <exception>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <set>
#include <sstream>
#include <system_error>
#include <utility>

#include <yaml-cpp/yaml.h>

#include "automation/config_values.h"
#include "core/entity.h"

namespace hearth::hub::automation {

namespace {

using nlohmann::json;
using YAML::Node;

// Conditions and actions nest (and/or/not, choose, if, wait_for_trigger); deeper than this is
// certainly a mistake, and the limit keeps the recursion's stack use small on hostile input.
constexpr int max_nesting = 24;

// Aliases let a small file name the same subtree many times ("billion laughs"); every node the
// loader looks at counts against this budget so that such a file is a problem, not a hang.
constexpr std::size_t max_nodes_visited = 1'000'000;

const std::set<std::string, std::less<>> watch_events = {"fell_asleep",     "woke_up",
                                                         "workout_started", "workout_ended",
                                                         "heart_rate_high", "heart_rate_low"};

struct KnownDomain {
    std::string_view domain;
    std::vector<std::string_view> services;
    bool any_entity_domain; // homeassistant.turn_on works on every domain
};

// Services of the domains the hub drives. Other domains are accepted as written (the engine
// reports a service it cannot run); these catch typos such as `light.turn_of`.
const std::vector<KnownDomain>& known_domains() {
    static const std::vector<KnownDomain> domains = {
        {"light", {"turn_on", "turn_off", "toggle"}, false},
        {"switch", {"turn_on", "turn_off", "toggle"}, false},
        {"fan", {"turn_on", "turn_off", "toggle", "set_percentage"}, false},
        {"cover",
         {"open_cover", "close_cover", "stop_cover", "set_cover_position", "toggle"},
         false},
        {"lock", {"lock", "unlock", "open"}, false},
        {"climate", {"set_temperature", "set_hvac_mode", "turn_on", "turn_off"}, false},
        {"scene", {"turn_on", "create", "apply"}, false},
        {"automation", {"trigger", "turn_on", "turn_off", "toggle"}, false},
        {"homeassistant", {"turn_on", "turn_off", "toggle"}, true},
    };
    return domains;
}

struct NumericField {
    std::string_view key;
    double min;
    double max;
};

// Service data fields that must be numbers, with Home Assistant's ranges.
const std::vector<NumericField>& numeric_data_fields() {
    static const std::vector<NumericField> fields = {
        {"brightness", 0, 255},
        {"brightness_pct", 0, 100},
        {"brightness_step", -255, 255},
        {"brightness_step_pct", -100, 100},
        {"color_temp", 0, 1000},
        {"color_temp_kelvin", 1000, 40000},
        {"kelvin", 1000, 40000},
        {"transition", 0, 3600},
        {"position", 0, 100},
        {"temperature", -100, 100},
        {"target_temp_high", -100, 100},
        {"target_temp_low", -100, 100},
        {"percentage", 0, 100},
    };
    return fields;
}

std::string index_path(const std::string& path, std::size_t i) {
    return path + "[" + std::to_string(i) + "]";
}

std::string key_path(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] =
                std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0U : 1U)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

struct Field {
    std::string key;
    Node key_node;
    Node value;
};

// A mapping's entries in file order, looked up by key.
struct MapView {
    std::vector<Field> fields;
    std::vector<std::string> suggested; // allowed keys offered for a misspelt one

    [[nodiscard]] const Field* find(std::string_view key) const {
        for (const auto& f : fields) {
            if (f.key == key) {
                return &f;
            }
        }
        return nullptr;
    }
    [[nodiscard]] bool has(std::string_view key) const { return find(key) != nullptr; }
};

using Keys = std::initializer_list<std::string_view>;

class Parser {
public:
    explicit Parser(std::string file) : m_file(std::move(file)) {}

    HomeConfig parse(std::string_view text) {
        HomeConfig config;
        Node root;
        try {
            root = YAML::Load(std::string(text));
        } catch (const YAML::Exception& e) {
            ConfigProblem p;
            p.where = {m_file, e.mark.line >= 0 ? e.mark.line + 1 : 0,
                       e.mark.column >= 0 ? e.mark.column + 1 : 0};
            p.message = "YAML syntax error: " + e.msg;
            config.problems.push_back(std::move(p));
            return config;
        }
        try {
            parse_root(root, config);
        } catch (const std::exception& e) {
            // Nothing above should throw; if yaml-cpp does anyway, say so instead of crashing.
            ConfigProblem p;
            p.where = {m_file, 0, 0};
            p.message = std::string("could not read the file: ") + e.what();
            config.problems.push_back(std::move(p));
        }
        return config;
    }

private:
    std::string m_file;
    std::string m_item;
    std::vector<ConfigProblem> m_problems; // of the item being parsed
    std::size_t m_nodes_visited = 0;
    bool m_budget_exhausted = false;
    bool m_budget_reported = false;

    // After an item: if the node budget ran out while reading it, the item is not complete.
    void check_budget(const Node& node) {
        if (m_budget_exhausted && !m_budget_reported) {
            m_budget_reported = true;
            problem(node, "", "the file is too large or too repetitive (YAML aliases) to check");
        }
    }

    // ---- problems and locations -------------------------------------------------------------

    SourceLocation where(const Node& node) const {
        try {
            const YAML::Mark m = node.Mark();
            return {m_file, m.line >= 0 ? m.line + 1 : 0, m.column >= 0 ? m.column + 1 : 0};
        } catch (const YAML::Exception&) {
            return {m_file, 0, 0};
        }
    }

    void problem(const Node& node, const std::string& key, std::string message) {
        m_problems.push_back({where(node), key, std::move(message), m_item});
    }

    bool visit() {
        if (++m_nodes_visited > max_nodes_visited) {
            m_budget_exhausted = true;
            return false;
        }
        return true;
    }

    // ---- mappings ---------------------------------------------------------------------------

    // The entries of a mapping; reports a non-mapping and keys not in `allowed` (with the
    // closest allowed key as a hint, for typos like `entity-id`).
    std::optional<MapView> map_of(const Node& node, const std::string& path, Keys allowed,
                                  std::string_view what) {
        if (!node.IsMap()) {
            problem(node, path, "expected " + std::string(what) + " (a mapping of keys)");
            return std::nullopt;
        }
        MapView view;
        for (auto it = node.begin(); it != node.end(); ++it) {
            if (!visit()) {
                return std::nullopt;
            }
            const Node key = it->first;
            if (!key.IsScalar()) {
                problem(key, path, "keys must be plain text");
                continue;
            }
            std::string name = key.Scalar();
            if (view.has(name)) {
                problem(key, key_path(path, name), "duplicate key");
                continue;
            }
            if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
                std::string message = "unknown key '" + name + "'";
                std::string_view best;
                std::size_t best_distance = 3;
                for (const auto candidate : allowed) {
                    const std::size_t d = edit_distance(name, candidate);
                    if (d < best_distance) {
                        best_distance = d;
                        best = candidate;
                    }
                }
                if (!best.empty()) {
                    message += " (did you mean '" + std::string(best) + "'?)";
                    view.suggested.emplace_back(best);
                } else if (name.find("template") != std::string::npos) {
                    message += " (templates are not supported)";
                }
                problem(key, key_path(path, name), std::move(message));
                continue;
            }
            view.fields.push_back({std::move(name), key, it->second});
        }
        return view;
    }

    void require(const MapView& view, const Node& node, const std::string& path,
                 std::string_view key) {
        const bool misspelt =
            std::find(view.suggested.begin(), view.suggested.end(), key) != view.suggested.end();
        if (!view.has(key) && !misspelt) {
            problem(node, key_path(path, key), "missing required key '" + std::string(key) + "'");
        }
    }

    // A mapping or a list of mappings, as Home Assistant accepts for triggers, conditions and
    // action sequences; calls `each` with every element and its path.
    void each_item(const Node& node, const std::string& path,
                   const std::function<void(const Node&, const std::string&, std::size_t)>& each) {
        if (node.IsNull()) {
            return;
        }
        if (node.IsMap()) {
            each(node, index_path(path, 0), 0);
            return;
        }
        if (!node.IsSequence()) {
            problem(node, path, "expected a list");
            return;
        }
        for (std::size_t i = 0; i < node.size(); ++i) {
            if (!visit()) {
                return;
            }
            each(node[i], index_path(path, i), i);
        }
    }

    // ---- scalar values ----------------------------------------------------------------------

    std::optional<std::string> text(const Node& node, const std::string& path) {
        if (!node.IsScalar()) {
            problem(node, path, "expected text");
            return std::nullopt;
        }
        return node.Scalar();
    }

    std::optional<std::string> nonempty_text(const Node& node, const std::string& path) {
        auto t = text(node, path);
        if (t && t->empty()) {
            problem(node, path, "must not be empty");
            return std::nullopt;
        }
        return t;
    }

    // A string or a list of strings; null is the empty list (any value).
    std::vector<std::string> text_list(const Node& node, const std::string& path) {
        std::vector<std::string> out;
        if (node.IsNull()) {
            return out;
        }
        if (node.IsScalar()) {
            out.push_back(node.Scalar());
            return out;
        }
        if (!node.IsSequence()) {
            problem(node, path, "expected text or a list of text");
            return out;
        }
        for (std::size_t i = 0; i < node.size(); ++i) {
            if (!visit()) {
                break;
            }
            if (auto t = text(node[i], index_path(path, i))) {
                out.push_back(std::move(*t));
            }
        }
        return out;
    }

    // Entity ids: a string (also comma-separated, as Home Assistant accepts) or a list; each
    // must be `domain.object_id`.
    std::vector<std::string> entity_ids(const Node& node, const std::string& path) {
        std::vector<std::string> raw;
        if (node.IsScalar()) {
            std::string_view all = node.Scalar();
            std::size_t start = 0;
            while (start <= all.size()) {
                const std::size_t comma = std::min(all.find(',', start), all.size());
                std::string_view part = all.substr(start, comma - start);
                while (!part.empty() && part.front() == ' ') {
                    part.remove_prefix(1);
                }
                while (!part.empty() && part.back() == ' ') {
                    part.remove_suffix(1);
                }
                raw.emplace_back(part);
                start = comma + 1;
            }
        } else if (node.IsSequence()) {
            raw = text_list(node, path);
        } else {
            problem(node, path, "expected an entity id or a list of entity ids");
            return {};
        }
        std::vector<std::string> out;
        for (auto& id : raw) {
            if (!parse_entity_id(id)) {
                problem(node, path,
                        "'" + id +
                            "' is not an entity id (domain.object_id: lower-case letters, "
                            "digits and '_')");
                continue;
            }
            out.push_back(std::move(id));
        }
        if (out.empty() && raw.empty()) {
            problem(node, path, "expected at least one entity id");
        }
        return out;
    }

    std::optional<double> number(const Node& node, const std::string& path) {
        if (node.IsScalar()) {
            if (auto v = parse_number(node.Scalar())) {
                return v;
            }
            problem(node, path,
                    "expected a number, got '" + node.Scalar() +
                        "' (entity ids and templates are not supported here)");
            return std::nullopt;
        }
        problem(node, path, "expected a number");
        return std::nullopt;
    }

    std::optional<bool> boolean(const Node& node, const std::string& path) {
        if (node.IsScalar()) {
            if (auto v = parse_bool(node.Scalar())) {
                return v;
            }
        }
        problem(node, path, "expected true or false");
        return std::nullopt;
    }

    std::optional<DurationMs> duration(const Node& node, const std::string& path) {
        if (node.IsScalar()) {
            if (auto d = parse_duration_text(node.Scalar())) {
                return d;
            }
            problem(node, path,
                    "expected a duration like \"00:05:00\" (HH:MM:SS), \"00:05\" (HH:MM) or a "
                    "number of seconds, got '" +
                        node.Scalar() + "'");
            return std::nullopt;
        }
        if (node.IsMap()) {
            const auto view = map_of(
                node, path, {"days", "hours", "minutes", "seconds", "milliseconds"}, "a duration");
            if (!view) {
                return std::nullopt;
            }
            double total_ms = 0;
            bool ok = true;
            for (const auto& f : view->fields) {
                const auto v = number(f.value, key_path(path, f.key));
                if (!v) {
                    ok = false;
                    continue;
                }
                if (*v < 0) {
                    problem(f.value, key_path(path, f.key), "must not be negative");
                    ok = false;
                    continue;
                }
                const double scale = f.key == "days"      ? 86'400'000.0
                                     : f.key == "hours"   ? 3'600'000.0
                                     : f.key == "minutes" ? 60'000.0
                                     : f.key == "seconds" ? 1000.0
                                                          : 1.0;
                total_ms += *v * scale;
            }
            if (!ok) {
                return std::nullopt;
            }
            if (total_ms > static_cast<double>(max_duration_ms)) {
                problem(node, path, "duration longer than 366 days");
                return std::nullopt;
            }
            return static_cast<DurationMs>(total_ms + 0.5);
        }
        problem(node, path, "expected a duration");
        return std::nullopt;
    }

    std::optional<int> time_of_day(const Node& node, const std::string& path) {
        if (node.IsScalar()) {
            if (auto t = parse_time_of_day(node.Scalar())) {
                return t;
            }
            problem(node, path,
                    "expected a time of day like \"07:30\" or \"07:30:00\", got '" + node.Scalar() +
                        "' (entity times are not supported)");
            return std::nullopt;
        }
        problem(node, path, "expected a time of day like \"07:30:00\"");
        return std::nullopt;
    }

    // Any YAML value as JSON: quoted scalars stay text; plain ones become numbers, true/false or
    // null when they read as such (`brightness: 120` is the number 120; `state: on` stays "on").
    json to_json(const Node& node, const std::string& path, int depth) {
        if (!visit()) {
            return nullptr;
        }
        if (depth > max_nesting) {
            problem(node, path, "nested too deeply");
            return nullptr;
        }
        if (node.IsNull()) {
            return nullptr;
        }
        if (node.IsScalar()) {
            const std::string& s = node.Scalar();
            if (node.Tag() == "!") {
                return s;
            }
            if (s == "true" || s == "True" || s == "TRUE") {
                return true;
            }
            if (s == "false" || s == "False" || s == "FALSE") {
                return false;
            }
            bool integral = !s.empty();
            for (std::size_t i = 0; i < s.size(); ++i) {
                const char c = s[i];
                if (!((c >= '0' && c <= '9') || (i == 0 && c == '-' && s.size() > 1))) {
                    integral = false;
                    break;
                }
            }
            if (integral && s.size() < 18) {
                return std::stoll(s);
            }
            if (auto v = parse_number(s); v && s.find_first_of(".eE") != std::string::npos) {
                return *v;
            }
            return s;
        }
        if (node.IsSequence()) {
            json out = json::array();
            for (std::size_t i = 0; i < node.size(); ++i) {
                out.push_back(to_json(node[i], index_path(path, i), depth + 1));
            }
            return out;
        }
        if (node.IsMap()) {
            json out = json::object();
            for (auto it = node.begin(); it != node.end(); ++it) {
                if (!it->first.IsScalar()) {
                    problem(it->first, path, "keys must be plain text");
                    continue;
                }
                const std::string key = it->first.Scalar();
                out[key] = to_json(it->second, key_path(path, key), depth + 1);
            }
            return out;
        }
        return nullptr;
    }

    std::optional<json> json_object(const Node& node, const std::string& path) {
        if (node.IsNull()) {
            return json::object();
        }
        if (!node.IsMap()) {
            problem(node, path, "expected a mapping");
            return std::nullopt;
        }
        return to_json(node, path, 0);
    }

    // ---- triggers ---------------------------------------------------------------------------

    std::optional<Trigger> trigger(const Node& node, const std::string& path, std::size_t index) {
        if (!node.IsMap()) {
            problem(node, path, "expected a trigger (a mapping with `trigger:`)");
            return std::nullopt;
        }
        const Node kind_node = node["trigger"] ? node["trigger"] : node["platform"];
        if (node["trigger"] && node["platform"]) {
            problem(node, path, "use either `trigger:` or `platform:`, not both");
            return std::nullopt;
        }
        if (!kind_node) {
            problem(node, key_path(path, "trigger"), "missing required key 'trigger'");
            return std::nullopt;
        }
        const std::string kind_key = node["trigger"] ? "trigger" : "platform";
        const auto kind = text(kind_node, key_path(path, kind_key));
        if (!kind) {
            return std::nullopt;
        }
        Trigger t;
        t.where = where(node);
        t.id = std::to_string(index);
        const std::size_t before = m_problems.size();
        std::optional<MapView> view;
        auto field = [&](std::string_view key) -> const Field* { return view->find(key); };
        auto sub = [&](std::string_view key) { return key_path(path, key); };

        if (*kind == "state") {
            view = map_of(node, path,
                          {"trigger", "platform", "id", "alias", "enabled", "entity_id",
                           "attribute", "from", "to", "not_from", "not_to", "for"},
                          "a state trigger");
            if (!view) {
                return std::nullopt;
            }
            require(*view, node, path, "entity_id");
            StateTrigger s;
            if (const auto* f = field("entity_id")) {
                s.entity_ids = entity_ids(f->value, sub("entity_id"));
            }
            if (const auto* f = field("attribute")) {
                s.attribute = nonempty_text(f->value, sub("attribute"));
            }
            if (const auto* f = field("from")) {
                s.from = text_list(f->value, sub("from"));
            }
            if (const auto* f = field("to")) {
                s.to = text_list(f->value, sub("to"));
            }
            if (const auto* f = field("not_from")) {
                s.not_from = text_list(f->value, sub("not_from"));
                if (view->has("from")) {
                    problem(f->key_node, sub("not_from"), "use either `from` or `not_from`");
                }
            }
            if (const auto* f = field("not_to")) {
                s.not_to = text_list(f->value, sub("not_to"));
                if (view->has("to")) {
                    problem(f->key_node, sub("not_to"), "use either `to` or `not_to`");
                }
            }
            if (const auto* f = field("for")) {
                s.for_ms = duration(f->value, sub("for"));
            }
            t.kind = std::move(s);
        } else if (*kind == "numeric_state") {
            view = map_of(node, path,
                          {"trigger", "platform", "id", "alias", "enabled", "entity_id",
                           "attribute", "above", "below", "for"},
                          "a numeric_state trigger");
            if (!view) {
                return std::nullopt;
            }
            require(*view, node, path, "entity_id");
            NumericStateTrigger s;
            if (const auto* f = field("entity_id")) {
                s.entity_ids = entity_ids(f->value, sub("entity_id"));
            }
            if (const auto* f = field("attribute")) {
                s.attribute = nonempty_text(f->value, sub("attribute"));
            }
            range(*view, node, path, s.above, s.below);
            if (const auto* f = field("for")) {
                s.for_ms = duration(f->value, sub("for"));
            }
            t.kind = std::move(s);
        } else if (*kind == "time") {
            view = map_of(node, path, {"trigger", "platform", "id", "alias", "enabled", "at"},
                          "a time trigger");
            if (!view) {
                return std::nullopt;
            }
            require(*view, node, path, "at");
            TimeTrigger s;
            if (const auto* f = field("at")) {
                if (f->value.IsSequence()) {
                    for (std::size_t i = 0; i < f->value.size(); ++i) {
                        if (auto at = time_of_day(f->value[i], index_path(sub("at"), i))) {
                            s.at_seconds_of_day.push_back(*at);
                        }
                    }
                    if (f->value.size() == 0) {
                        problem(f->value, sub("at"), "expected at least one time");
                    }
                } else if (auto at = time_of_day(f->value, sub("at"))) {
                    s.at_seconds_of_day.push_back(*at);
                }
            }
            t.kind = std::move(s);
        } else if (*kind == "time_pattern") {
            view = map_of(
                node, path,
                {"trigger", "platform", "id", "alias", "enabled", "hours", "minutes", "seconds"},
                "a time_pattern trigger");
            if (!view) {
                return std::nullopt;
            }
            TimePatternTrigger s;
            auto pattern = [&](std::string_view key, int max_value) {
                const auto* f = field(key);
                if (!f) {
                    return std::optional<TimePatternField>();
                }
                if (f->value.IsScalar()) {
                    if (auto v = parse_time_pattern_field(f->value.Scalar(), max_value)) {
                        return v;
                    }
                }
                problem(f->value, sub(key),
                        "expected \"*\", \"/N\" or a number from 0 to " +
                            std::to_string(max_value));
                return std::optional<TimePatternField>();
            };
            const auto hours = pattern("hours", 23);
            auto minutes = pattern("minutes", 59);
            auto seconds = pattern("seconds", 59);
            if (!view->has("hours") && !view->has("minutes") && !view->has("seconds")) {
                problem(node, path, "a time_pattern needs hours, minutes or seconds");
            }
            // As Home Assistant: a larger unit given makes the smaller ones default to 0.
            const TimePatternField zero{TimePatternField::Kind::Exact, 0};
            if (!view->has("minutes") && view->has("hours")) {
                minutes = zero;
            }
            if (!view->has("seconds") && (view->has("minutes") || view->has("hours"))) {
                seconds = zero;
            }
            s.hours = hours.value_or(TimePatternField{});
            s.minutes = minutes.value_or(TimePatternField{});
            s.seconds = seconds.value_or(TimePatternField{});
            t.kind = s;
        } else if (*kind == "event") {
            view = map_of(
                node, path,
                {"trigger", "platform", "id", "alias", "enabled", "event_type", "event_data"},
                "an event trigger");
            if (!view) {
                return std::nullopt;
            }
            require(*view, node, path, "event_type");
            EventTrigger s;
            if (const auto* f = field("event_type")) {
                if (f->value.IsSequence()) {
                    problem(f->value, sub("event_type"),
                            "one event type per trigger (write one trigger for each)");
                } else if (auto e = nonempty_text(f->value, sub("event_type"))) {
                    s.event_type = *e;
                }
            }
            if (const auto* f = field("event_data")) {
                if (auto d = json_object(f->value, sub("event_data"))) {
                    s.event_data = std::move(*d);
                }
            }
            t.kind = std::move(s);
        } else if (*kind == "watch") {
            view = map_of(node, path,
                          {"trigger", "platform", "id", "alias", "enabled", "event", "watch"},
                          "a watch trigger");
            if (!view) {
                return std::nullopt;
            }
            require(*view, node, path, "event");
            EventTrigger s;
            s.event_data = json{{"source", "watch"}};
            if (const auto* f = field("event")) {
                if (auto e = text(f->value, sub("event"))) {
                    if (watch_events.count(*e) == 0) {
                        problem(f->value, sub("event"),
                                "unknown watch event '" + *e +
                                    "' (fell_asleep, woke_up, workout_started, workout_ended, "
                                    "heart_rate_high, heart_rate_low)");
                    }
                    s.event_type = *e;
                }
            }
            if (const auto* f = field("watch")) {
                if (auto w = nonempty_text(f->value, sub("watch"))) {
                    s.event_data["watch"] = *w;
                }
            }
            t.kind = std::move(s);
        } else if (*kind == "sun") {
            problem(kind_node, key_path(path, kind_key), "sun triggers are not supported");
            return std::nullopt;
        } else {
            problem(kind_node, key_path(path, kind_key),
                    "unknown trigger '" + *kind +
                        "' (state, numeric_state, time, time_pattern, event, watch)");
            return std::nullopt;
        }
        if (const auto* f = field("id")) {
            if (auto id = nonempty_text(f->value, sub("id"))) {
                t.id = *id;
            }
        }
        if (const auto* f = field("enabled")) {
            boolean(f->value, sub("enabled"));
        }
        if (const auto* f = field("alias")) {
            text(f->value, sub("alias"));
        }
        if (m_problems.size() != before) {
            return std::nullopt;
        }
        return t;
    }

    // above/below of numeric_state triggers and conditions: at least one, above < below.
    void range(const MapView& view, const Node& node, const std::string& path,
               std::optional<double>& above, std::optional<double>& below) {
        if (const auto* f = view.find("above")) {
            above = number(f->value, key_path(path, "above"));
        }
        if (const auto* f = view.find("below")) {
            below = number(f->value, key_path(path, "below"));
        }
        if (!view.has("above") && !view.has("below")) {
            problem(node, path, "needs `above`, `below` or both");
        }
        if (above && below && *above >= *below) {
            problem(view.find("above")->value, key_path(path, "above"),
                    "above must be less than below (both are exclusive)");
        }
    }

    std::vector<Trigger> triggers(const Node& node, const std::string& path) {
        std::vector<Trigger> out;
        each_item(node, path, [&](const Node& item, const std::string& p, std::size_t i) {
            auto t = trigger(item, p, i);
            // A disabled trigger is checked, then left out, as Home Assistant does.
            const bool disabled = item.IsMap() && item["enabled"] && item["enabled"].IsScalar() &&
                                  parse_bool(item["enabled"].Scalar()) == false;
            if (t && !disabled) {
                out.push_back(std::move(*t));
            }
        });
        return out;
    }

    // ---- conditions -------------------------------------------------------------------------

    std::optional<Condition> condition(const Node& node, const std::string& path, int depth) {
        if (depth > max_nesting) {
            problem(node, path, "nested too deeply");
            return std::nullopt;
        }
        if (node.IsScalar()) {
            problem(node, path, "expected a condition mapping (templates are not supported)");
            return std::nullopt;
        }
        if (!node.IsMap()) {
            problem(node, path, "expected a condition (a mapping with `condition:`)");
            return std::nullopt;
        }
        Condition c;
        c.where = where(node);
        const std::size_t before = m_problems.size();
        auto sub = [&](std::string_view key) { return key_path(path, key); };

        // Shorthand: `and: [...]`, `or: [...]`, `not: [...]`.
        for (const std::string_view shorthand : {"and", "or", "not"}) {
            if (node[std::string(shorthand)] && !node["condition"]) {
                const auto view =
                    map_of(node, path, {shorthand, "alias", "enabled"}, "a condition");
                if (!view) {
                    return std::nullopt;
                }
                auto list = conditions(view->find(shorthand)->value, sub(shorthand), depth + 1);
                if (shorthand == "and") {
                    c.kind = AndCondition{std::move(list)};
                } else if (shorthand == "or") {
                    c.kind = OrCondition{std::move(list)};
                } else {
                    c.kind = NotCondition{std::move(list)};
                }
                return m_problems.size() == before ? std::optional<Condition>(std::move(c))
                                                   : std::nullopt;
            }
        }
        if (!node["condition"]) {
            problem(node, sub("condition"), "missing required key 'condition'");
            return std::nullopt;
        }
        const auto kind = text(node["condition"], sub("condition"));
        if (!kind) {
            return std::nullopt;
        }
        std::optional<MapView> view;
        if (*kind == "state") {
            view =
                map_of(node, path,
                       {"condition", "alias", "enabled", "entity_id", "attribute", "state", "for"},
                       "a state condition");
            if (!view) {
                return std::nullopt;
            }
            require(*view, node, path, "entity_id");
            require(*view, node, path, "state");
            StateCondition s;
            if (const auto* f = view->find("entity_id")) {
                s.entity_ids = entity_ids(f->value, sub("entity_id"));
            }
            if (const auto* f = view->find("attribute")) {
                s.attribute = nonempty_text(f->value, sub("attribute"));
            }
            if (const auto* f = view->find("state")) {
                s.state = text_list(f->value, sub("state"));
                if (s.state.empty()) {
                    problem(f->value, sub("state"), "expected at least one state");
                }
            }
            if (const auto* f = view->find("for")) {
                s.for_ms = duration(f->value, sub("for"));
            }
            c.kind = std::move(s);
        } else if (*kind == "numeric_state") {
            view = map_of(
                node, path,
                {"condition", "alias", "enabled", "entity_id", "attribute", "above", "below"},
                "a numeric_state condition");
            if (!view) {
                return std::nullopt;
            }
            require(*view, node, path, "entity_id");
            NumericStateCondition s;
            if (const auto* f = view->find("entity_id")) {
                s.entity_ids = entity_ids(f->value, sub("entity_id"));
            }
            if (const auto* f = view->find("attribute")) {
                s.attribute = nonempty_text(f->value, sub("attribute"));
            }
            range(*view, node, path, s.above, s.below);
            c.kind = std::move(s);
        } else if (*kind == "time") {
            view =
                map_of(node, path, {"condition", "alias", "enabled", "after", "before", "weekday"},
                       "a time condition");
            if (!view) {
                return std::nullopt;
            }
            TimeCondition s;
            if (const auto* f = view->find("after")) {
                s.after_seconds_of_day = time_of_day(f->value, sub("after"));
            }
            if (const auto* f = view->find("before")) {
                s.before_seconds_of_day = time_of_day(f->value, sub("before"));
            }
            if (const auto* f = view->find("weekday")) {
                s.weekdays = 0;
                for (const auto& day : text_list(f->value, sub("weekday"))) {
                    if (auto d = parse_weekday(day)) {
                        s.weekdays = static_cast<std::uint8_t>(s.weekdays | (1U << *d));
                    } else {
                        problem(f->value, sub("weekday"),
                                "'" + day +
                                    "' is not a weekday (mon, tue, wed, thu, fri, sat, sun)");
                    }
                }
                if (s.weekdays == 0 && m_problems.size() == before) {
                    problem(f->value, sub("weekday"), "expected at least one weekday");
                }
            }
            if (!view->has("after") && !view->has("before") && !view->has("weekday")) {
                problem(node, path, "a time condition needs after, before or weekday");
            }
            c.kind = s;
        } else if (*kind == "and" || *kind == "or" || *kind == "not") {
            view =
                map_of(node, path, {"condition", "alias", "enabled", "conditions"}, "a condition");
            if (!view) {
                return std::nullopt;
            }
            require(*view, node, path, "conditions");
            std::vector<Condition> list;
            if (const auto* f = view->find("conditions")) {
                list = conditions(f->value, sub("conditions"), depth + 1);
            }
            if (*kind == "and") {
                c.kind = AndCondition{std::move(list)};
            } else if (*kind == "or") {
                c.kind = OrCondition{std::move(list)};
            } else {
                c.kind = NotCondition{std::move(list)};
            }
        } else if (*kind == "trigger") {
            view =
                map_of(node, path, {"condition", "alias", "enabled", "id"}, "a trigger condition");
            if (!view) {
                return std::nullopt;
            }
            require(*view, node, path, "id");
            TriggerCondition s;
            if (const auto* f = view->find("id")) {
                s.ids = text_list(f->value, sub("id"));
            }
            c.kind = std::move(s);
        } else {
            problem(node["condition"], sub("condition"),
                    "unknown condition '" + *kind +
                        "' (state, numeric_state, time, and, or, not, trigger; templates are not "
                        "supported)");
            return std::nullopt;
        }
        if (const auto* f = view->find("enabled")) {
            boolean(f->value, sub("enabled"));
        }
        if (const auto* f = view->find("alias")) {
            text(f->value, sub("alias"));
        }
        if (m_problems.size() != before) {
            return std::nullopt;
        }
        return c;
    }

    std::vector<Condition> conditions(const Node& node, const std::string& path, int depth) {
        std::vector<Condition> out;
        each_item(node, path, [&](const Node& item, const std::string& p, std::size_t) {
            auto c = condition(item, p, depth);
            const bool disabled = item.IsMap() && item["enabled"] && item["enabled"].IsScalar() &&
                                  parse_bool(item["enabled"].Scalar()) == false;
            if (c && !disabled) {
                out.push_back(std::move(*c));
            }
        });
        return out;
    }

    // ---- actions ----------------------------------------------------------------------------

    std::optional<Target> target(const Node& node, const std::string& path) {
        const std::size_t before = m_problems.size();
        const auto view = map_of(node, path, {"entity_id", "area_id"}, "a target");
        if (!view) {
            return std::nullopt;
        }
        Target t;
        if (const auto* f = view->find("entity_id")) {
            t.entity_ids = entity_ids(f->value, key_path(path, "entity_id"));
        }
        if (const auto* f = view->find("area_id")) {
            t.area_ids = text_list(f->value, key_path(path, "area_id"));
            for (const auto& area : t.area_ids) {
                if (!parse_entity_id("area." + area)) {
                    problem(f->value, key_path(path, "area_id"),
                            "'" + area + "' is not an area id (lower-case letters, digits, '_')");
                }
            }
        }
        if (t.entity_ids.empty() && t.area_ids.empty() && m_problems.size() == before) {
            problem(node, path, "a target needs entity_id or area_id");
        }
        return t;
    }

    void check_service(const ServiceAction& s, const Node& node, const MapView& view,
                       const std::string& path, const std::string& service_key, bool has_target) {
        const Node service_node = view.find(service_key)->value;
        // Where the entity ids were written: target.entity_id, or entity_id on the action.
        Node ids_node = node;
        std::string ids_path = key_path(path, "entity_id");
        if (const auto* t = view.find("target"); t && t->value.IsMap() && t->value["entity_id"]) {
            ids_node = t->value["entity_id"];
            ids_path = key_path(path, "target.entity_id");
        } else if (const auto* e = view.find("entity_id")) {
            ids_node = e->value;
        }
        const auto& domains = known_domains();
        const auto known = std::find_if(domains.begin(), domains.end(),
                                        [&](const KnownDomain& d) { return d.domain == s.domain; });
        if (known == domains.end()) {
            return;
        }
        if (std::find(known->services.begin(), known->services.end(), s.service) ==
            known->services.end()) {
            std::string list;
            for (const auto svc : known->services) {
                list += (list.empty() ? "" : ", ") + std::string(svc);
            }
            problem(service_node, key_path(path, service_key),
                    "unknown service '" + s.domain + "." + s.service + "' (" + s.domain + " has " +
                        list + ")");
            return;
        }
        const bool needs_target =
            !(s.domain == "scene" && (s.service == "create" || s.service == "apply"));
        if (needs_target && !has_target) {
            problem(node, key_path(path, "target"),
                    s.domain + "." + s.service + " needs a target (entity_id or area_id)");
        }
        if (!known->any_entity_domain) {
            for (const auto& id : s.target.entity_ids) {
                if (id.substr(0, id.find('.')) != s.domain) {
                    problem(ids_node, ids_path,
                            "'" + id + "' is not a " + s.domain + " entity (" + s.domain + "." +
                                s.service + " acts on " + s.domain + ".*)");
                }
            }
        }
        for (const auto& field : numeric_data_fields()) {
            const std::string key(field.key);
            if (!s.data.contains(key)) {
                continue;
            }
            const json& v = s.data[key];
            const Node data_node = view.find("data")->value;
            const Node value_node = data_node.IsMap() && data_node[key] ? data_node[key] : node;
            if (!v.is_number()) {
                problem(value_node, key_path(path, "data." + key), "expected a number");
            } else if (v.get<double>() < field.min || v.get<double>() > field.max) {
                std::ostringstream range;
                range << field.min << " to " << field.max;
                problem(value_node, key_path(path, "data." + key),
                        "out of range (" + range.str() + ")");
            }
        }
    }

    std::optional<Action> action(const Node& node, const std::string& path, int depth) {
        if (depth > max_nesting) {
            problem(node, path, "nested too deeply");
            return std::nullopt;
        }
        if (!node.IsMap()) {
            problem(node, path, "expected an action (a mapping such as `action: light.turn_on`)");
            return std::nullopt;
        }
        Action a;
        a.where = where(node);
        const std::size_t before = m_problems.size();
        auto sub = [&](std::string_view key) { return key_path(path, key); };
        std::optional<MapView> view;

        if (node["action"] || node["service"]) {
            if (node["action"] && node["service"]) {
                problem(node, path, "use either `action:` or `service:`, not both");
                return std::nullopt;
            }
            const std::string service_key = node["action"] ? "action" : "service";
            const Node service_node = node[service_key];
            const auto name = text(service_node, sub(service_key));
            if (!name) {
                return std::nullopt;
            }
            const std::size_t dot = name->find('.');
            if (dot == std::string::npos || !parse_entity_id(*name)) {
                problem(service_node, sub(service_key),
                        "'" + *name + "' is not a service (domain.service, e.g. light.turn_on)");
                return std::nullopt;
            }
            const std::string domain = name->substr(0, dot);
            const std::string service = name->substr(dot + 1);
            if (domain == "notify") {
                view = map_of(node, path, {"action", "service", "alias", "enabled", "data"},
                              "a notify action");
                if (!view) {
                    return std::nullopt;
                }
                require(*view, node, path, "data");
                NotifyAction n;
                n.service = service;
                if (const auto* f = view->find("data")) {
                    const auto data =
                        map_of(f->value, sub("data"), {"message", "title", "data"}, "notify data");
                    if (data) {
                        require(*data, f->value, sub("data"), "message");
                        if (const auto* m = data->find("message")) {
                            if (auto t = text(m->value, sub("data.message"))) {
                                n.message = *t;
                            }
                        }
                        if (const auto* m = data->find("title")) {
                            if (auto t = text(m->value, sub("data.title"))) {
                                n.title = *t;
                            }
                        }
                        if (const auto* m = data->find("data")) {
                            if (auto d = json_object(m->value, sub("data.data"))) {
                                n.data = std::move(*d);
                            }
                        }
                    }
                }
                a.kind = std::move(n);
            } else {
                view = map_of(node, path,
                              // `metadata` is what Home Assistant's editor writes (ignored).
                              {"action", "service", "alias", "enabled", "target", "data",
                               "entity_id", "metadata"},
                              "a service action");
                if (!view) {
                    return std::nullopt;
                }
                ServiceAction s;
                s.domain = domain;
                s.service = service;
                bool has_target = false;
                if (const auto* f = view->find("target")) {
                    if (auto t = target(f->value, sub("target"))) {
                        s.target = std::move(*t);
                        has_target = true;
                    }
                }
                if (const auto* f = view->find("entity_id")) {
                    // Home Assistant's older spelling: entity_id directly on the action.
                    for (auto& id : entity_ids(f->value, sub("entity_id"))) {
                        s.target.entity_ids.push_back(std::move(id));
                    }
                    has_target = true;
                }
                if (const auto* f = view->find("data")) {
                    if (auto d = json_object(f->value, sub("data"))) {
                        s.data = std::move(*d);
                    }
                    // Targets inside data, as older configurations write them.
                    if (s.data.contains("entity_id")) {
                        problem(f->value, sub("data.entity_id"),
                                "put entity_id in `target:` (or directly on the action)");
                    }
                }
                if (m_problems.size() == before) {
                    check_service(s, node, *view, path, service_key, has_target);
                }
                a.kind = std::move(s);
            }
        } else if (node["scene"]) {
            view = map_of(node, path, {"scene", "alias", "enabled"}, "a scene action");
            if (!view) {
                return std::nullopt;
            }
            ServiceAction s;
            s.domain = "scene";
            s.service = "turn_on";
            for (auto& id : entity_ids(view->find("scene")->value, sub("scene"))) {
                if (id.rfind("scene.", 0) != 0) {
                    problem(view->find("scene")->value, sub("scene"),
                            "'" + id + "' is not a scene (scene.<id>)");
                }
                s.target.entity_ids.push_back(std::move(id));
            }
            a.kind = std::move(s);
        } else if (node["delay"]) {
            view = map_of(node, path, {"delay", "alias", "enabled"}, "a delay action");
            if (!view) {
                return std::nullopt;
            }
            DelayAction d;
            if (auto ms = duration(view->find("delay")->value, sub("delay"))) {
                d.duration_ms = *ms;
            }
            a.kind = d;
        } else if (node["wait_for_trigger"]) {
            view =
                map_of(node, path,
                       {"wait_for_trigger", "timeout", "continue_on_timeout", "alias", "enabled"},
                       "a wait_for_trigger action");
            if (!view) {
                return std::nullopt;
            }
            WaitForTriggerAction w;
            w.triggers = triggers(view->find("wait_for_trigger")->value, sub("wait_for_trigger"));
            if (w.triggers.empty() && m_problems.size() == before) {
                problem(node, sub("wait_for_trigger"), "expected at least one trigger");
            }
            if (const auto* f = view->find("timeout")) {
                w.timeout_ms = duration(f->value, sub("timeout"));
            }
            if (const auto* f = view->find("continue_on_timeout")) {
                w.continue_on_timeout =
                    boolean(f->value, sub("continue_on_timeout")).value_or(true);
            }
            a.kind = std::move(w);
        } else if (node["choose"]) {
            view = map_of(node, path, {"choose", "default", "alias", "enabled"}, "a choose action");
            if (!view) {
                return std::nullopt;
            }
            ChooseAction c;
            each_item(view->find("choose")->value, sub("choose"),
                      [&](const Node& item, const std::string& p, std::size_t) {
                          const auto option = map_of(item, p, {"conditions", "sequence", "alias"},
                                                     "a choose option");
                          if (!option) {
                              return;
                          }
                          require(*option, item, p, "conditions");
                          require(*option, item, p, "sequence");
                          ChooseOption o;
                          if (const auto* f = option->find("conditions")) {
                              o.conditions =
                                  conditions(f->value, key_path(p, "conditions"), depth + 1);
                          }
                          if (const auto* f = option->find("sequence")) {
                              o.sequence = actions(f->value, key_path(p, "sequence"), depth + 1);
                          }
                          c.options.push_back(std::move(o));
                      });
            if (c.options.empty() && m_problems.size() == before) {
                problem(node, sub("choose"), "expected at least one option");
            }
            if (const auto* f = view->find("default")) {
                c.default_sequence = actions(f->value, sub("default"), depth + 1);
            }
            a.kind = std::move(c);
        } else if (node["if"]) {
            view = map_of(node, path, {"if", "then", "else", "alias", "enabled"}, "an if action");
            if (!view) {
                return std::nullopt;
            }
            require(*view, node, path, "then");
            IfAction i;
            i.conditions = conditions(view->find("if")->value, sub("if"), depth + 1);
            if (const auto* f = view->find("then")) {
                i.then_sequence = actions(f->value, sub("then"), depth + 1);
            }
            if (const auto* f = view->find("else")) {
                i.else_sequence = actions(f->value, sub("else"), depth + 1);
            }
            a.kind = std::move(i);
        } else if (node["condition"] || node["and"] || node["or"] || node["not"]) {
            auto c = condition(node, path, depth + 1);
            if (!c) {
                return std::nullopt;
            }
            a.kind = ConditionAction{std::move(*c)};
            if (node["alias"] && node["alias"].IsScalar()) {
                a.alias = node["alias"].Scalar();
            }
            return a;
        } else if (node["event"]) {
            view =
                map_of(node, path, {"event", "event_data", "alias", "enabled"}, "an event action");
            if (!view) {
                return std::nullopt;
            }
            FireEventAction e;
            if (auto t = nonempty_text(view->find("event")->value, sub("event"))) {
                e.event_type = *t;
            }
            if (const auto* f = view->find("event_data")) {
                if (auto d = json_object(f->value, sub("event_data"))) {
                    e.event_data = std::move(*d);
                }
            }
            a.kind = std::move(e);
        } else {
            for (const char* unsupported :
                 {"repeat", "parallel", "sequence", "stop", "variables", "wait_template",
                  "device_id", "set_conversation_response"}) {
                if (node[unsupported]) {
                    problem(node, sub(unsupported),
                            "'" + std::string(unsupported) + "' actions are not supported");
                    return std::nullopt;
                }
            }
            problem(node, path,
                    "unknown action (expected action/service, scene, delay, wait_for_trigger, "
                    "choose, if, condition or event)");
            return std::nullopt;
        }
        if (const auto* f = view->find("alias")) {
            if (auto t = text(f->value, sub("alias"))) {
                a.alias = *t;
            }
        }
        if (const auto* f = view->find("enabled")) {
            a.enabled = boolean(f->value, sub("enabled")).value_or(true);
        }
        if (m_problems.size() != before) {
            return std::nullopt;
        }
        return a;
    }

    std::vector<Action> actions(const Node& node, const std::string& path, int depth) {
        std::vector<Action> out;
        each_item(node, path, [&](const Node& item, const std::string& p, std::size_t) {
            if (auto a = action(item, p, depth)) {
                out.push_back(std::move(*a));
            }
        });
        return out;
    }

    // ---- automations, scenes, areas ---------------------------------------------------------

    // The item's id for problem messages, before the item is parsed.
    static std::string item_id(const Node& node, const char* fallback_key,
                               const std::string& fallback) {
        if (node.IsMap()) {
            if (node["id"] && node["id"].IsScalar() && !node["id"].Scalar().empty()) {
                return node["id"].Scalar();
            }
            if (node[fallback_key] && node[fallback_key].IsScalar()) {
                return slugify(node[fallback_key].Scalar());
            }
        }
        return fallback;
    }

    void finish_item(HomeConfig& config) {
        for (auto& p : m_problems) {
            config.problems.push_back(std::move(p));
        }
        m_problems.clear();
    }

    void automation(const Node& node, std::size_t index, HomeConfig& config,
                    std::set<std::string>& seen) {
        m_item = item_id(node, "alias", "automation_" + std::to_string(index + 1));
        m_problems.clear();
        const auto view =
            map_of(node, "",
                   {"id", "alias", "description", "mode", "max", "max_exceeded", "initial_state",
                    "triggers", "trigger", "conditions", "condition", "actions", "action"},
                   "an automation");
        if (!view) {
            finish_item(config);
            return;
        }
        Automation a;
        a.where = where(node);
        a.id = m_item;
        if (const auto* f = view->find("id")) {
            if (auto id = nonempty_text(f->value, "id")) {
                a.id = *id;
            }
        }
        if (!seen.insert(a.id).second) {
            problem(view->has("id") ? view->find("id")->value : node, "id",
                    "duplicate automation id '" + a.id + "' (the first one is kept)");
        }
        if (const auto* f = view->find("alias")) {
            a.alias = text(f->value, "alias").value_or("");
        }
        if (const auto* f = view->find("description")) {
            a.description = text(f->value, "description").value_or("");
        }
        if (const auto* f = view->find("mode")) {
            if (auto m = text(f->value, "mode")) {
                if (*m == "single") {
                    a.mode = Mode::Single;
                } else if (*m == "restart") {
                    a.mode = Mode::Restart;
                } else if (*m == "queued") {
                    a.mode = Mode::Queued;
                } else if (*m == "parallel") {
                    a.mode = Mode::Parallel;
                } else {
                    problem(f->value, "mode",
                            "unknown mode '" + *m + "' (single, restart, queued, parallel)");
                }
            }
        }
        if (const auto* f = view->find("max")) {
            const auto v = f->value.IsScalar() ? parse_number(f->value.Scalar()) : std::nullopt;
            if (!v || *v < 1 || *v > 10000 || *v != static_cast<double>(static_cast<int>(*v))) {
                problem(f->value, "max", "expected a positive whole number (at most 10000)");
            } else {
                a.max_runs = static_cast<int>(*v);
            }
        }
        if (const auto* f = view->find("max_exceeded")) {
            text(f->value, "max_exceeded");
        }
        if (const auto* f = view->find("initial_state")) {
            a.initially_enabled = boolean(f->value, "initial_state").value_or(true);
        }
        auto section = [&](const char* plural, const char* singular) -> const Field* {
            const Field* p = view->find(plural);
            const Field* s = view->find(singular);
            if (p && s) {
                problem(s->key_node, singular,
                        std::string("use either `") + plural + "` or `" + singular + "`, not both");
            }
            return p ? p : s;
        };
        const std::size_t before_sections = m_problems.size();
        if (const auto* f = section("triggers", "trigger")) {
            a.triggers = triggers(f->value, f->key);
        }
        if (const auto* f = section("conditions", "condition")) {
            a.conditions = conditions(f->value, f->key, 0);
        }
        if (const auto* f = section("actions", "action")) {
            a.actions = actions(f->value, f->key, 0);
        }
        if (m_problems.size() == before_sections) {
            if (a.triggers.empty()) {
                problem(node, "triggers", "an automation needs at least one trigger");
            }
            if (a.actions.empty()) {
                problem(node, "actions", "an automation needs at least one action");
            }
        }
        check_budget(node);
        if (m_problems.empty()) {
            config.automations.push_back(std::move(a));
        }
        finish_item(config);
    }

    void scene(const Node& node, std::size_t index, HomeConfig& config,
               std::set<std::string>& seen) {
        m_item = item_id(node, "name", "scene_" + std::to_string(index + 1));
        m_problems.clear();
        const auto view = map_of(node, "", {"id", "name", "icon", "entities"}, "a scene");
        if (!view) {
            finish_item(config);
            return;
        }
        Scene s;
        s.where = where(node);
        s.id = m_item;
        if (const auto* f = view->find("id")) {
            if (auto id = nonempty_text(f->value, "id")) {
                s.id = *id;
                if (!parse_entity_id("scene." + s.id)) {
                    problem(f->value, "id",
                            "'" + s.id + "' is not a scene id (lower-case letters, digits, '_')");
                }
            }
        }
        if (!seen.insert(s.id).second) {
            problem(node, "id", "duplicate scene id '" + s.id + "' (the first one is kept)");
        }
        if (const auto* f = view->find("name")) {
            s.name = text(f->value, "name").value_or("");
        }
        if (const auto* f = view->find("icon")) {
            text(f->value, "icon");
        }
        require(*view, node, "", "entities");
        if (const auto* f = view->find("entities")) {
            if (!f->value.IsMap() || f->value.size() == 0) {
                problem(f->value, "entities",
                        "expected a mapping of entity ids to states (at least one)");
            } else {
                for (auto it = f->value.begin(); it != f->value.end(); ++it) {
                    if (!visit()) {
                        break;
                    }
                    scene_entity(it->first, it->second, s);
                }
            }
        }
        check_budget(node);
        if (m_problems.empty()) {
            config.scenes.push_back(std::move(s));
        }
        finish_item(config);
    }

    void scene_entity(const Node& key, const Node& value, Scene& s) {
        if (!key.IsScalar()) {
            problem(key, "entities", "keys must be entity ids");
            return;
        }
        const std::string& id = key.Scalar();
        const std::string path = "entities." + id;
        if (!parse_entity_id(id)) {
            problem(key, path, "'" + id + "' is not an entity id (domain.object_id)");
            return;
        }
        SceneEntity e;
        if (value.IsScalar()) {
            e.state = value.Scalar();
        } else if (value.IsMap()) {
            if (!value["state"]) {
                problem(value, path + ".state", "missing required key 'state'");
                return;
            }
            auto attributes = to_json(value, path, 0);
            if (!attributes["state"].is_null()) {
                if (auto st = text(value["state"], path + ".state")) {
                    e.state = *st;
                }
            }
            attributes.erase("state");
            e.attributes = std::move(attributes);
        } else {
            problem(value, path, "expected a state (\"on\") or a mapping with `state:`");
            return;
        }
        if (e.state.empty()) {
            problem(value, path, "the state must not be empty");
            return;
        }
        s.entities[id] = std::move(e);
    }

    void area(const Node& node, std::size_t index, HomeConfig& config,
              std::set<std::string>& seen) {
        m_item = item_id(node, "name", "area_" + std::to_string(index + 1));
        m_problems.clear();
        const auto view = map_of(node, "", {"id", "name", "entities"}, "an area");
        if (!view) {
            finish_item(config);
            return;
        }
        Area a;
        a.id = m_item;
        if (const auto* f = view->find("id")) {
            if (auto id = nonempty_text(f->value, "id")) {
                a.id = *id;
            }
        }
        if (!parse_entity_id("area." + a.id)) {
            problem(view->has("id") ? view->find("id")->value : node, "id",
                    "'" + a.id + "' is not an area id (lower-case letters, digits, '_')");
        }
        if (!seen.insert(a.id).second) {
            problem(node, "id", "duplicate area id '" + a.id + "' (the first one is kept)");
        }
        if (const auto* f = view->find("name")) {
            a.name = text(f->value, "name").value_or("");
        }
        if (const auto* f = view->find("entities")) {
            if (!f->value.IsNull()) {
                a.entity_ids = entity_ids(f->value, "entities");
            }
        }
        check_budget(node);
        if (m_problems.empty()) {
            config.areas.push_back(std::move(a));
        }
        finish_item(config);
    }

    void list_of(const Node& node, const std::string& what, HomeConfig& config,
                 void (Parser::*parse_one)(const Node&, std::size_t, HomeConfig&,
                                           std::set<std::string>&)) {
        if (node.IsNull()) {
            return;
        }
        if (!node.IsSequence()) {
            m_item.clear();
            problem(node, what, "expected a list");
            finish_item(config);
            return;
        }
        std::set<std::string> seen;
        for (std::size_t i = 0; i < node.size(); ++i) {
            if (m_budget_exhausted) {
                break;
            }
            (this->*parse_one)(node[i], i, config, seen);
        }
    }

    void parse_root(const Node& root, HomeConfig& config) {
        if (root.IsNull()) {
            return;
        }
        if (root.IsSequence()) {
            list_of(root, "automations", config, &Parser::automation);
        } else if (root.IsMap()) {
            m_item.clear();
            const auto view =
                map_of(root, "", {"automations", "automation", "scenes", "scene", "areas"},
                       "a configuration");
            finish_item(config);
            if (view) {
                for (const auto& f : view->fields) {
                    if (f.key == "automations" || f.key == "automation") {
                        list_of(f.value, f.key, config, &Parser::automation);
                    } else if (f.key == "scenes" || f.key == "scene") {
                        list_of(f.value, f.key, config, &Parser::scene);
                    } else {
                        list_of(f.value, f.key, config, &Parser::area);
                    }
                }
            }
        } else {
            m_item.clear();
            problem(root, "",
                    "expected a list of automations, or a mapping with automations:, scenes: "
                    "and areas:");
            finish_item(config);
        }
        m_item.clear();
        check_budget(root);
        finish_item(config);
    }
};

// Area ids that actions target must be areas of the configuration; scenes turned on must be
// defined (or created by a scene.create). An automation that refers to a missing one is
// skipped.
void check_references(HomeConfig& config) {
    std::set<std::string> areas;
    for (const auto& a : config.areas) {
        areas.insert(a.id);
    }
    std::set<std::string> scenes;
    for (const auto& s : config.scenes) {
        scenes.insert("scene." + s.id);
    }
    using Visit = std::function<void(const Action&, const std::string&)>;
    std::function<void(const std::vector<Action>&, const std::string&, const Visit&)> walk =
        [&](const std::vector<Action>& list, const std::string& path, const Visit& f) {
            for (std::size_t i = 0; i < list.size(); ++i) {
                const Action& a = list[i];
                const std::string here = index_path(path, i);
                f(a, here);
                if (const auto* c = std::get_if<ChooseAction>(&a.kind)) {
                    for (std::size_t o = 0; o < c->options.size(); ++o) {
                        walk(c->options[o].sequence, index_path(here + ".choose", o) + ".sequence",
                             f);
                    }
                    walk(c->default_sequence, here + ".default", f);
                } else if (const auto* n = std::get_if<IfAction>(&a.kind)) {
                    walk(n->then_sequence, here + ".then", f);
                    walk(n->else_sequence, here + ".else", f);
                }
            }
        };
    for (const auto& automation : config.automations) {
        walk(automation.actions, "actions", [&](const Action& a, const std::string&) {
            const auto* s = std::get_if<ServiceAction>(&a.kind);
            if (s && s->domain == "scene" && s->service == "create" &&
                s->data.contains("scene_id") && s->data["scene_id"].is_string()) {
                scenes.insert("scene." + s->data["scene_id"].get<std::string>());
            }
        });
    }
    std::vector<Automation> kept;
    for (auto& automation : config.automations) {
        bool ok = true;
        walk(automation.actions, "actions", [&](const Action& a, const std::string& path) {
            const auto* s = std::get_if<ServiceAction>(&a.kind);
            if (!s) {
                return;
            }
            for (const auto& area : s->target.area_ids) {
                if (areas.count(area) == 0) {
                    config.problems.push_back({a.where, path + ".target.area_id",
                                               "unknown area '" + area + "'", automation.id});
                    ok = false;
                }
            }
            if (s->domain == "scene" && s->service == "turn_on") {
                for (const auto& id : s->target.entity_ids) {
                    if (scenes.count(id) == 0) {
                        config.problems.push_back(
                            {a.where, path, "unknown scene '" + id + "'", automation.id});
                        ok = false;
                    }
                }
            }
        });
        if (ok) {
            kept.push_back(std::move(automation));
        }
    }
    config.automations = std::move(kept);
}

} // namespace

std::string ConfigProblem::describe() const {
    std::string text = where.file.empty() ? std::string("<config>") : where.file;
    if (where.line > 0) {
        text += ":" + std::to_string(where.line);
        if (where.column > 0) {
            text += ":" + std::to_string(where.column);
        }
    }
    text += ": ";
    if (!item.empty()) {
        text += item + ": ";
    }
    if (!key.empty()) {
        text += key + ": ";
    }
    text += message;
    return text;
}

HomeConfig parse_home_config(std::string_view yaml_text, const std::string& file_name) {
    try {
        return Parser(file_name).parse(yaml_text);
    } catch (const std::exception& e) {
        HomeConfig config;
        config.problems.push_back(
            {{file_name, 0, 0}, "", std::string("could not read the file: ") + e.what(), ""});
        return config;
    }
}

HomeConfig load_home_config_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        HomeConfig config;
        config.problems.push_back({{path.string(), 0, 0}, "", "cannot read the file", ""});
        return config;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse_home_config(text.str(), path.string());
}

HomeConfig merge_home_configs(std::vector<HomeConfig> parts) {
    HomeConfig merged;
    std::set<std::string> automation_ids;
    std::set<std::string> scene_ids;
    std::set<std::string> area_ids;
    for (auto& part : parts) {
        for (auto& p : part.problems) {
            merged.problems.push_back(std::move(p));
        }
        for (auto& a : part.automations) {
            if (!automation_ids.insert(a.id).second) {
                merged.problems.push_back(
                    {a.where, "id",
                     "duplicate automation id '" + a.id + "' (the first one is kept)", a.id});
                continue;
            }
            merged.automations.push_back(std::move(a));
        }
        for (auto& s : part.scenes) {
            if (!scene_ids.insert(s.id).second) {
                merged.problems.push_back(
                    {s.where, "id", "duplicate scene id '" + s.id + "' (the first one is kept)",
                     s.id});
                continue;
            }
            merged.scenes.push_back(std::move(s));
        }
        for (auto& a : part.areas) {
            if (!area_ids.insert(a.id).second) {
                merged.problems.push_back(
                    {{}, "id", "duplicate area id '" + a.id + "' (the first one is kept)", a.id});
                continue;
            }
            merged.areas.push_back(std::move(a));
        }
    }
    check_references(merged);
    return merged;
}

HomeConfig load_home_config(const std::filesystem::path& file_or_folder) {
    std::error_code ec;
    if (!std::filesystem::is_directory(file_or_folder, ec)) {
        std::vector<HomeConfig> one;
        one.push_back(load_home_config_file(file_or_folder));
        return merge_home_configs(std::move(one));
    }
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(file_or_folder, ec)) {
        const auto ext = entry.path().extension();
        if (entry.is_regular_file(ec) && (ext == ".yaml" || ext == ".yml")) {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    std::vector<HomeConfig> parts;
    for (const auto& file : files) {
        parts.push_back(load_home_config_file(file));
    }
    return merge_home_configs(std::move(parts));
}

} // namespace hearth::hub::automation
