#include "core/entity.h"

namespace hearth::hub {

namespace {

bool valid_part(std::string_view part) {
    if (part.empty()) {
        return false;
    }
    for (const char c : part) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        if (!ok) {
            return false;
        }
    }
    return true;
}

} // namespace

std::optional<EntityId> parse_entity_id(std::string_view text) {
    const std::size_t dot = text.find('.');
    if (dot == std::string_view::npos) {
        return std::nullopt;
    }
    const std::string_view domain = text.substr(0, dot);
    const std::string_view object = text.substr(dot + 1);
    if (!valid_part(domain) || !valid_part(object)) {
        return std::nullopt;
    }
    return EntityId{std::string(domain), std::string(object)};
}

std::string slugify(std::string_view name) {
    std::string out;
    bool pending_separator = false;
    for (const char raw : name) {
        char c = raw;
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
        const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!keep) {
            pending_separator = !out.empty();
            continue;
        }
        if (pending_separator) {
            out += '_';
            pending_separator = false;
        }
        out += c;
    }
    return out.empty() ? std::string("unnamed") : out;
}

nlohmann::json to_json(const EntityState& state) {
    return {{"entity_id", state.entity_id},
            {"state", state.state},
            {"attributes", state.attributes},
            {"last_changed_ms", state.last_changed_ms},
            {"last_updated_ms", state.last_updated_ms}};
}

} // namespace hearth::hub
