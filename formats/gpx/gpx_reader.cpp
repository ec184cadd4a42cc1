// GPX reader over pugixml. Elements are matched by local name so that files binding the GPX
// namespace to a prefix, or to none at all, read the same. GPX 1.0 and 1.1 elements are both
// accepted whatever the declared version, since exporters mix them (e.g. <speed> in 1.1 files).

#include "gpx/gpx.h"

#include <cmath>
#include <string>
#include <utility>

#include <pugixml.hpp>

#include "gpx/xml_text.h"

namespace hearth::formats {

namespace {

constexpr std::string_view gpx_1_0_namespace = "http://www.topografix.com/GPX/1/0";

// Line ends are kept as written (no parse_eol): the writer emits text byte for byte, so a
// carriage return from `&#13;` must not turn into a line feed when the output is read again.
constexpr unsigned parse_options = pugi::parse_default & ~pugi::parse_eol;

// Thrown inside the reader only, caught in parse_gpx: keeps the recursive descent readable.
struct ReadFailure {
    Error error;
};

bool named(pugi::xml_node node, std::string_view name) {
    return node.type() == pugi::node_element && xml::local_name(node.name()) == name;
}

// All character data directly inside the element (text split by comments or CDATA joined).
std::string text_of(pugi::xml_node node) {
    std::string out;
    for (const pugi::xml_node child : node.children()) {
        if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
            out += child.value();
        }
    }
    return std::string(xml::trim(out));
}

// Resolves the element's namespace from xmlns declarations on it and its ancestors.
// The namespace URI bound to `prefix` ("" for the default namespace) where `node` sits, from
// xmlns declarations on it and its ancestors; nullopt when nothing declares it.
std::optional<std::string> resolve_prefix(pugi::xml_node node, std::string_view prefix) {
    const std::string attribute = prefix.empty() ? "xmlns" : "xmlns:" + std::string(prefix);
    for (pugi::xml_node at = node; at && at.type() == pugi::node_element; at = at.parent()) {
        if (const pugi::xml_attribute declared = at.attribute(attribute.c_str())) {
            return std::string(declared.value());
        }
    }
    return std::nullopt;
}

std::string namespace_of(pugi::xml_node node) {
    return resolve_prefix(node, xml::prefix_of(node.name())).value_or(std::string{});
}

class Reader {
public:
    Reader(std::string_view text, GpxTimeOrder order) : m_text(text), m_order(order) {}

    GpxDocument read(pugi::xml_node root) {
        if (!named(root, "gpx")) {
            fail(root, ErrorCode::BadHeader,
                 "root element is <" + std::string(root.name()) + ">, not <gpx>");
        }
        m_gpx_namespace = namespace_of(root);
        GpxDocument document;
        const std::string_view version = xml::trim(root.attribute("version").value());
        if (version == "1.0" || (version.empty() && m_gpx_namespace == gpx_1_0_namespace)) {
            document.version = GpxVersion::V1_0;
        } else if (version.empty() || version == "1.1") {
            document.version = GpxVersion::V1_1;
        } else {
            fail(root, ErrorCode::Unsupported,
                 "GPX version '" + std::string(version) + "' (1.0 and 1.1 are read)");
        }
        if (const pugi::xml_attribute creator = root.attribute("creator")) {
            document.creator = creator.value();
        }
        GpxMetadata& metadata = document.metadata;
        for (const pugi::xml_node child : root.children()) {
            if (child.type() != pugi::node_element) {
                continue;
            }
            const std::string_view name = xml::local_name(child.name());
            if (name == "metadata") {
                read_metadata(child, metadata);
            } else if (name == "wpt") {
                document.waypoints.push_back(read_point(child));
            } else if (name == "rte") {
                document.routes.push_back(read_route(child));
            } else if (name == "trk") {
                document.tracks.push_back(read_track(child));
            } else if (name == "extensions") {
                document.extensions = read_extensions(child);
            } else {
                // GPX 1.0 keeps the metadata directly under <gpx>.
                read_metadata_field(child, name, metadata);
            }
        }
        return document;
    }

private:
    [[noreturn]] void fail(pugi::xml_node node, ErrorCode code, std::string message) const {
        throw ReadFailure{Error{code, std::move(message), "gpx", std::nullopt,
                                xml::line_at(m_text, node.offset_debug())}};
    }

    // Optional values: an empty element (`<ele/>`, written by some exporters for "unknown")
    // is the same as an absent one; anything else must parse.
    std::optional<double> number(pugi::xml_node node) const {
        const std::string text = text_of(node);
        if (text.empty()) {
            return std::nullopt;
        }
        if (const auto value = xml::parse_double(text)) {
            return *value;
        }
        fail(node, ErrorCode::InvalidSyntax,
             "<" + std::string(node.name()) + "> is not a number: '" + text + "'");
    }

    std::optional<int> integer(pugi::xml_node node) const {
        const std::string text = text_of(node);
        if (text.empty()) {
            return std::nullopt;
        }
        if (const auto value = xml::parse_integer(text);
            value && *value >= -2'147'483'647 && *value <= 2'147'483'647) {
            return static_cast<int>(*value);
        }
        fail(node, ErrorCode::InvalidSyntax,
             "<" + std::string(node.name()) + "> is not an integer: '" + text + "'");
    }

    std::optional<UtcTime> time(pugi::xml_node node) const {
        const std::string text = text_of(node);
        if (text.empty()) {
            return std::nullopt;
        }
        std::string why;
        if (const auto value = parse_iso8601(text, &why)) {
            return *value;
        }
        fail(node, ErrorCode::InvalidValue, "bad time '" + text + "': " + why);
    }

    double coordinate(pugi::xml_node node, const char* attribute, double limit) const {
        const pugi::xml_attribute value = node.attribute(attribute);
        if (!value) {
            fail(node, ErrorCode::MissingField,
                 "<" + std::string(node.name()) + "> without " + attribute);
        }
        const auto parsed = xml::parse_double(value.value());
        if (!parsed) {
            fail(node, ErrorCode::InvalidSyntax,
                 std::string(attribute) + " is not a number: '" + value.value() + "'");
        }
        if (std::fabs(*parsed) > limit) {
            fail(node, ErrorCode::InvalidValue,
                 std::string(attribute) + " " + value.value() + " out of range");
        }
        return *parsed;
    }

    GpxLink read_link(pugi::xml_node node) const {
        GpxLink link;
        link.href = node.attribute("href").value();
        for (const pugi::xml_node child : node.children()) {
            if (named(child, "text")) {
                link.text = text_of(child);
            } else if (named(child, "type")) {
                link.type = text_of(child);
            }
        }
        return link;
    }

    // GPX 1.0 writes a link as <url> plus an optional <urlname> beside it.
    static void read_url(pugi::xml_node node, std::vector<GpxLink>& links) {
        GpxLink link;
        link.href = text_of(node);
        for (const pugi::xml_node sibling : node.parent().children()) {
            if (named(sibling, "urlname")) {
                link.text = text_of(sibling);
            }
        }
        links.push_back(std::move(link));
    }

    GpxExtension read_extension(pugi::xml_node node) const {
        GpxExtension extension;
        extension.namespace_uri = namespace_of(node);
        if (extension.namespace_uri == m_gpx_namespace) {
            extension.namespace_uri.clear();
        }
        extension.name = xml::local_name(node.name());
        extension.value = text_of(node);
        for (const pugi::xml_attribute attribute : node.attributes()) {
            const std::string_view name = attribute.name();
            if (name == "xmlns" || name.starts_with("xmlns:")) {
                continue;
            }
            // Prefixed attributes are kept as `{uri}local` so that the writer can declare a
            // prefix for them; `xml:` needs no declaration and undeclared prefixes stay as read.
            const std::string_view prefix = xml::prefix_of(name);
            std::optional<std::string> uri;
            if (!prefix.empty() && prefix != "xml") {
                uri = resolve_prefix(node, prefix);
            }
            if (uri) {
                extension.attributes.emplace_back(
                    "{" + *uri + "}" + std::string(xml::local_name(name)), attribute.value());
            } else {
                extension.attributes.emplace_back(name, attribute.value());
            }
        }
        for (const pugi::xml_node child : node.children()) {
            if (child.type() == pugi::node_element) {
                extension.children.push_back(read_extension(child));
            }
        }
        return extension;
    }

    std::vector<GpxExtension> read_extensions(pugi::xml_node node) const {
        std::vector<GpxExtension> out;
        for (const pugi::xml_node child : node.children()) {
            if (child.type() == pugi::node_element) {
                out.push_back(read_extension(child));
            }
        }
        return out;
    }

    // Sensor values by local name: Garmin TrackPointExtension v1/v2 (hr, cad, atemp, wtemp,
    // depth, speed, course), Cluetrust gpxdata (hr, cadence, temp), Garmin PowerExtension
    // (PowerInWatts) and the bare <power>/<heartrate> of other exporters. Returns false when the
    // element is not one of them or its text is not a number (it is then kept as is).
    static bool read_sensor(pugi::xml_node node, GpxPoint& point) {
        // Exporters disagree on case (hr, HeartRate, heartrate), so names compare lowercased.
        std::string name(xml::local_name(node.name()));
        for (char& c : name) {
            if (c >= 'A' && c <= 'Z') {
                c = static_cast<char>(c - 'A' + 'a');
            }
        }
        std::optional<double>* field = nullptr;
        if (name == "hr" || name == "heartrate" || name == "heart_rate") {
            field = &point.heart_rate_bpm;
        } else if (name == "cad" || name == "cadence") {
            field = &point.cadence_rpm;
        } else if (name == "atemp" || name == "temp" || name == "temperature") {
            field = &point.air_temperature_c;
        } else if (name == "wtemp") {
            field = &point.water_temperature_c;
        } else if (name == "depth") {
            field = &point.depth_m;
        } else if (name == "power" || name == "powerinwatts" || name == "watts") {
            field = &point.power_w;
        } else if (name == "speed") {
            field = &point.speed_m_per_s;
        } else if (name == "course") {
            field = &point.course_deg;
        } else {
            return false;
        }
        for (const pugi::xml_node child : node.children()) {
            if (child.type() == pugi::node_element) {
                return false;
            }
        }
        const auto value = xml::parse_double(text_of(node));
        if (!value) {
            return false;
        }
        *field = *value;
        return true;
    }

    void read_point_extensions(pugi::xml_node node, GpxPoint& point) const {
        for (const pugi::xml_node child : node.children()) {
            if (child.type() != pugi::node_element || read_sensor(child, point)) {
                continue;
            }
            const std::string_view name = xml::local_name(child.name());
            if (name == "TrackPointExtension" || name == "TrackPointExtensionV1" ||
                name == "TrackPointExtensionV2") {
                // Keep only what was not understood, so that nothing is read twice on reparse.
                GpxExtension rest = read_extension(child);
                rest.children.clear();
                for (const pugi::xml_node sensor : child.children()) {
                    if (sensor.type() == pugi::node_element && !read_sensor(sensor, point)) {
                        rest.children.push_back(read_extension(sensor));
                    }
                }
                if (!rest.children.empty() || !rest.attributes.empty()) {
                    point.extensions.push_back(std::move(rest));
                }
            } else {
                point.extensions.push_back(read_extension(child));
            }
        }
    }

    GpxPoint read_point(pugi::xml_node node) const {
        GpxPoint point;
        point.latitude_deg = coordinate(node, "lat", 90.0);
        point.longitude_deg = coordinate(node, "lon", 180.0);
        for (const pugi::xml_node child : node.children()) {
            if (child.type() != pugi::node_element) {
                continue;
            }
            const std::string_view name = xml::local_name(child.name());
            if (name == "ele") {
                point.elevation_m = number(child);
            } else if (name == "time") {
                point.time = time(child);
            } else if (name == "magvar") {
                point.magnetic_variation_deg = number(child);
            } else if (name == "geoidheight") {
                point.geoid_height_m = number(child);
            } else if (name == "name") {
                point.name = text_of(child);
            } else if (name == "cmt") {
                point.comment = text_of(child);
            } else if (name == "desc") {
                point.description = text_of(child);
            } else if (name == "src") {
                point.source = text_of(child);
            } else if (name == "link") {
                point.links.push_back(read_link(child));
            } else if (name == "url") {
                read_url(child, point.links);
            } else if (name == "sym") {
                point.symbol = text_of(child);
            } else if (name == "type") {
                point.type = text_of(child);
            } else if (name == "fix") {
                point.fix = text_of(child);
            } else if (name == "sat") {
                point.satellites = integer(child);
            } else if (name == "hdop") {
                point.hdop = number(child);
            } else if (name == "vdop") {
                point.vdop = number(child);
            } else if (name == "pdop") {
                point.pdop = number(child);
            } else if (name == "ageofdgpsdata") {
                point.age_of_dgps_data_s = number(child);
            } else if (name == "dgpsid") {
                point.dgps_id = integer(child);
            } else if (name == "speed") {
                point.speed_m_per_s = number(child);
            } else if (name == "course") {
                point.course_deg = number(child);
            } else if (name == "extensions") {
                read_point_extensions(child, point);
            }
        }
        return point;
    }

    // Fields shared by <rte> and <trk>; returns false for anything else.
    bool read_route_field(pugi::xml_node child, std::string_view name, GpxRouteInfo& info) const {
        if (name == "name") {
            info.name = text_of(child);
        } else if (name == "cmt") {
            info.comment = text_of(child);
        } else if (name == "desc") {
            info.description = text_of(child);
        } else if (name == "src") {
            info.source = text_of(child);
        } else if (name == "link") {
            info.links.push_back(read_link(child));
        } else if (name == "url") {
            read_url(child, info.links);
        } else if (name == "number") {
            info.number = integer(child);
        } else if (name == "type") {
            info.type = text_of(child);
        } else if (name == "extensions") {
            info.extensions = read_extensions(child);
        } else {
            return false;
        }
        return true;
    }

    GpxRoute read_route(pugi::xml_node node) const {
        GpxRoute route;
        for (const pugi::xml_node child : node.children()) {
            if (child.type() != pugi::node_element) {
                continue;
            }
            const std::string_view name = xml::local_name(child.name());
            if (name == "rtept") {
                route.points.push_back(read_point(child));
            } else {
                read_route_field(child, name, route.info);
            }
        }
        return route;
    }

    GpxSegment read_segment(pugi::xml_node node) const {
        GpxSegment segment;
        std::optional<UtcTime> previous;
        for (const pugi::xml_node child : node.children()) {
            if (named(child, "trkpt")) {
                GpxPoint point = read_point(child);
                if (point.time) {
                    if (m_order == GpxTimeOrder::Reject && previous && *point.time < *previous) {
                        fail(child, ErrorCode::TimeOrder,
                             "track point time " + format_iso8601(*point.time) +
                                 " is before the previous point's " + format_iso8601(*previous));
                    }
                    previous = point.time;
                }
                segment.points.push_back(std::move(point));
            } else if (named(child, "extensions")) {
                segment.extensions = read_extensions(child);
            }
        }
        return segment;
    }

    GpxTrack read_track(pugi::xml_node node) const {
        GpxTrack track;
        for (const pugi::xml_node child : node.children()) {
            if (child.type() != pugi::node_element) {
                continue;
            }
            const std::string_view name = xml::local_name(child.name());
            if (name == "trkseg") {
                track.segments.push_back(read_segment(child));
            } else {
                read_route_field(child, name, track.info);
            }
        }
        return track;
    }

    GpxPerson read_person(pugi::xml_node node) const {
        GpxPerson person;
        bool has_children = false;
        for (const pugi::xml_node child : node.children()) {
            if (child.type() != pugi::node_element) {
                continue;
            }
            has_children = true;
            const std::string_view name = xml::local_name(child.name());
            if (name == "name") {
                person.name = text_of(child);
            } else if (name == "email") {
                const std::string id = child.attribute("id").value();
                const pugi::xml_attribute domain = child.attribute("domain");
                person.email = domain ? id + "@" + domain.value() : id;
            } else if (name == "link") {
                person.link = read_link(child);
            }
        }
        if (!has_children) {
            // GPX 1.0: <author> is just the name.
            person.name = text_of(node);
        }
        return person;
    }

    void read_metadata(pugi::xml_node node, GpxMetadata& metadata) const {
        for (const pugi::xml_node child : node.children()) {
            if (child.type() != pugi::node_element) {
                continue;
            }
            const std::string_view name = xml::local_name(child.name());
            if (name == "extensions") {
                metadata.extensions = read_extensions(child);
            } else {
                read_metadata_field(child, name, metadata);
            }
        }
    }

    void read_metadata_field(pugi::xml_node child, std::string_view name,
                             GpxMetadata& metadata) const {
        if (name == "name") {
            metadata.name = text_of(child);
        } else if (name == "desc") {
            metadata.description = text_of(child);
        } else if (name == "author") {
            metadata.author = read_person(child);
        } else if (name == "email") {
            // GPX 1.0: <email> beside <author>.
            if (!metadata.author) {
                metadata.author = GpxPerson{};
            }
            metadata.author->email = text_of(child);
        } else if (name == "copyright") {
            GpxCopyright copyright;
            copyright.author = child.attribute("author").value();
            for (const pugi::xml_node field : child.children()) {
                if (named(field, "year")) {
                    copyright.year = integer(field);
                } else if (named(field, "license")) {
                    copyright.license = text_of(field);
                }
            }
            metadata.copyright = std::move(copyright);
        } else if (name == "link") {
            metadata.links.push_back(read_link(child));
        } else if (name == "url") {
            read_url(child, metadata.links);
        } else if (name == "time") {
            metadata.time = time(child);
        } else if (name == "keywords") {
            metadata.keywords = text_of(child);
        } else if (name == "bounds") {
            metadata.bounds =
                GpxBounds{coordinate(child, "minlat", 90.0), coordinate(child, "minlon", 180.0),
                          coordinate(child, "maxlat", 90.0), coordinate(child, "maxlon", 180.0)};
        }
    }

    std::string_view m_text;
    GpxTimeOrder m_order;
    std::string m_gpx_namespace;
};

} // namespace

Result<GpxDocument> parse_gpx(std::string_view text, GpxTimeOrder order) {
    if (xml::trim(text).empty()) {
        return make_error("gpx", ErrorCode::Empty, "no XML in the input");
    }
    // Single-byte encodings are re-encoded first so that error lines refer to the same text
    // that pugixml parses.
    std::string converted;
    if (xml::declares_latin1(text)) {
        converted = xml::latin1_to_utf8(text);
        text = converted;
    }
    pugi::xml_document document;
    const pugi::xml_parse_result parsed =
        document.load_buffer(text.data(), text.size(), parse_options, pugi::encoding_utf8);
    if (!parsed) {
        return make_error("gpx", ErrorCode::InvalidSyntax,
                          std::string("invalid XML: ") + parsed.description(),
                          static_cast<std::uint64_t>(std::max<std::ptrdiff_t>(parsed.offset, 0)),
                          xml::line_at(text, parsed.offset));
    }
    const pugi::xml_node root = document.document_element();
    if (!root) {
        return make_error("gpx", ErrorCode::Empty, "no root element", std::nullopt, 1);
    }
    try {
        return Reader(text, order).read(root);
    } catch (const ReadFailure& failure) {
        return tl::unexpected<Error>(failure.error);
    }
}

} // namespace hearth::formats
