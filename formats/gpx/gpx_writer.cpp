// GPX 1.1 writer over pugixml: elements in the schema's order, sensor values in Garmin
// TrackPointExtension v2 and PowerExtension v1, other extensions under prefixes declared once
// on the root.

#include "gpx/gpx.h"

#include <map>
#include <string>

#include <pugixml.hpp>

#include "gpx/xml_text.h"

namespace hearth::formats {

namespace {

constexpr const char* gpx_namespace = "http://www.topografix.com/GPX/1/1";
constexpr const char* tpx_namespace = "http://www.garmin.com/xmlschemas/TrackPointExtension/v2";
constexpr const char* power_namespace = "http://www.garmin.com/xmlschemas/PowerExtension/v1";
constexpr const char* xsi_namespace = "http://www.w3.org/2001/XMLSchema-instance";

class StringWriter : public pugi::xml_writer {
public:
    void write(const void* data, size_t size) override {
        m_out.append(static_cast<const char*>(data), size);
    }
    std::string take() { return std::move(m_out); }

private:
    std::string m_out;
};

void add_text(pugi::xml_node parent, const char* name, const std::string& text) {
    parent.append_child(name).text().set(text.c_str());
}

void add_text(pugi::xml_node parent, const char* name, const std::optional<std::string>& text) {
    if (text) {
        add_text(parent, name, *text);
    }
}

void add_number(pugi::xml_node parent, const char* name, std::optional<double> value) {
    if (value) {
        add_text(parent, name, xml::format_double(*value));
    }
}

void add_integer(pugi::xml_node parent, const char* name, std::optional<int> value) {
    if (value) {
        add_text(parent, name, std::to_string(*value));
    }
}

void add_time(pugi::xml_node parent, const char* name, std::optional<UtcTime> value) {
    if (value) {
        add_text(parent, name, format_iso8601(*value));
    }
}

class Writer {
public:
    std::string write(const GpxDocument& document) {
        collect_namespaces(document);
        pugi::xml_document xml;
        pugi::xml_node declaration = xml.append_child(pugi::node_declaration);
        declaration.append_attribute("version").set_value("1.0");
        declaration.append_attribute("encoding").set_value("UTF-8");
        pugi::xml_node root = xml.append_child("gpx");
        root.append_attribute("version").set_value("1.1");
        if (document.creator) {
            root.append_attribute("creator").set_value(document.creator->c_str());
        }
        root.append_attribute("xmlns").set_value(gpx_namespace);
        for (const auto& [uri, prefix] : m_prefixes) {
            root.append_attribute(("xmlns:" + prefix).c_str()).set_value(uri.c_str());
        }
        root.append_attribute("xsi:schemaLocation")
            .set_value("http://www.topografix.com/GPX/1/1 "
                       "http://www.topografix.com/GPX/1/1/gpx.xsd "
                       "http://www.garmin.com/xmlschemas/TrackPointExtension/v2 "
                       "http://www.garmin.com/xmlschemas/TrackPointExtensionv2.xsd");
        write_metadata(root, document.metadata);
        for (const GpxPoint& point : document.waypoints) {
            write_point(root, "wpt", point);
        }
        for (const GpxRoute& route : document.routes) {
            pugi::xml_node node = root.append_child("rte");
            write_route_info(node, route.info);
            for (const GpxPoint& point : route.points) {
                write_point(node, "rtept", point);
            }
        }
        for (const GpxTrack& track : document.tracks) {
            pugi::xml_node node = root.append_child("trk");
            write_route_info(node, track.info);
            for (const GpxSegment& segment : track.segments) {
                pugi::xml_node segment_node = node.append_child("trkseg");
                for (const GpxPoint& point : segment.points) {
                    write_point(segment_node, "trkpt", point);
                }
                write_extensions(segment_node, segment.extensions);
            }
        }
        write_extensions(root, document.extensions);
        StringWriter out;
        xml.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
        return out.take();
    }

private:
    void declare(const std::string& uri) {
        if (!m_prefixes.contains(uri)) {
            m_prefixes.emplace(uri, "ext" + std::to_string(m_prefixes.size()));
        }
    }

    // `{uri}local` -> uri
    static std::optional<std::string_view> attribute_namespace(std::string_view name) {
        const auto close = name.find('}');
        if (!name.starts_with('{') || close == std::string_view::npos) {
            return std::nullopt;
        }
        return name.substr(1, close - 1);
    }

    std::string attribute_name(std::string_view name) const {
        if (const auto uri = attribute_namespace(name)) {
            return m_prefixes.at(std::string(*uri)) + ":" +
                   std::string(name.substr(uri->size() + 2));
        }
        return std::string(name);
    }

    void collect(const std::vector<GpxExtension>& extensions) {
        for (const GpxExtension& extension : extensions) {
            if (!extension.namespace_uri.empty()) {
                declare(extension.namespace_uri);
            }
            for (const auto& attribute : extension.attributes) {
                if (const auto uri = attribute_namespace(attribute.first)) {
                    declare(std::string(*uri));
                }
            }
            collect(extension.children);
        }
    }

    void collect_namespaces(const GpxDocument& document) {
        m_prefixes.emplace(xsi_namespace, "xsi");
        m_prefixes.emplace(tpx_namespace, "gpxtpx");
        m_prefixes.emplace(power_namespace, "pwr");
        collect(document.metadata.extensions);
        collect(document.extensions);
        const auto collect_points = [this](const std::vector<GpxPoint>& points) {
            for (const GpxPoint& point : points) {
                collect(point.extensions);
            }
        };
        collect_points(document.waypoints);
        for (const GpxRoute& route : document.routes) {
            collect(route.info.extensions);
            collect_points(route.points);
        }
        for (const GpxTrack& track : document.tracks) {
            collect(track.info.extensions);
            for (const GpxSegment& segment : track.segments) {
                collect(segment.extensions);
                collect_points(segment.points);
            }
        }
    }

    std::string qualified(const GpxExtension& extension) const {
        if (extension.namespace_uri.empty()) {
            return extension.name;
        }
        return m_prefixes.at(extension.namespace_uri) + ":" + extension.name;
    }

    void write_extension(pugi::xml_node parent, const GpxExtension& extension) const {
        pugi::xml_node node = parent.append_child(qualified(extension).c_str());
        for (const auto& [name, value] : extension.attributes) {
            node.append_attribute(attribute_name(name).c_str()).set_value(value.c_str());
        }
        if (!extension.value.empty()) {
            node.append_child(pugi::node_pcdata).set_value(extension.value.c_str());
        }
        for (const GpxExtension& child : extension.children) {
            write_extension(node, child);
        }
    }

    void write_extensions(pugi::xml_node parent,
                          const std::vector<GpxExtension>& extensions) const {
        if (extensions.empty()) {
            return;
        }
        pugi::xml_node node = parent.append_child("extensions");
        for (const GpxExtension& extension : extensions) {
            write_extension(node, extension);
        }
    }

    static void write_link(pugi::xml_node parent, const GpxLink& link) {
        pugi::xml_node node = parent.append_child("link");
        node.append_attribute("href").set_value(link.href.c_str());
        add_text(node, "text", link.text);
        add_text(node, "type", link.type);
    }

    void write_point(pugi::xml_node parent, const char* tag, const GpxPoint& point) const {
        pugi::xml_node node = parent.append_child(tag);
        node.append_attribute("lat").set_value(xml::format_double(point.latitude_deg).c_str());
        node.append_attribute("lon").set_value(xml::format_double(point.longitude_deg).c_str());
        add_number(node, "ele", point.elevation_m);
        add_time(node, "time", point.time);
        add_number(node, "magvar", point.magnetic_variation_deg);
        add_number(node, "geoidheight", point.geoid_height_m);
        add_text(node, "name", point.name);
        add_text(node, "cmt", point.comment);
        add_text(node, "desc", point.description);
        add_text(node, "src", point.source);
        for (const GpxLink& link : point.links) {
            write_link(node, link);
        }
        add_text(node, "sym", point.symbol);
        add_text(node, "type", point.type);
        add_text(node, "fix", point.fix);
        add_integer(node, "sat", point.satellites);
        add_number(node, "hdop", point.hdop);
        add_number(node, "vdop", point.vdop);
        add_number(node, "pdop", point.pdop);
        add_number(node, "ageofdgpsdata", point.age_of_dgps_data_s);
        add_integer(node, "dgpsid", point.dgps_id);

        const bool has_tpx = point.air_temperature_c || point.water_temperature_c ||
                             point.depth_m || point.heart_rate_bpm || point.cadence_rpm ||
                             point.speed_m_per_s || point.course_deg;
        if (!has_tpx && !point.power_w && point.extensions.empty()) {
            return;
        }
        pugi::xml_node extensions = node.append_child("extensions");
        if (has_tpx) {
            pugi::xml_node tpx = extensions.append_child("gpxtpx:TrackPointExtension");
            add_number(tpx, "gpxtpx:atemp", point.air_temperature_c);
            add_number(tpx, "gpxtpx:wtemp", point.water_temperature_c);
            add_number(tpx, "gpxtpx:depth", point.depth_m);
            add_number(tpx, "gpxtpx:hr", point.heart_rate_bpm);
            add_number(tpx, "gpxtpx:cad", point.cadence_rpm);
            add_number(tpx, "gpxtpx:speed", point.speed_m_per_s);
            add_number(tpx, "gpxtpx:course", point.course_deg);
        }
        add_number(extensions, "pwr:PowerInWatts", point.power_w);
        for (const GpxExtension& extension : point.extensions) {
            write_extension(extensions, extension);
        }
    }

    void write_route_info(pugi::xml_node node, const GpxRouteInfo& info) const {
        add_text(node, "name", info.name);
        add_text(node, "cmt", info.comment);
        add_text(node, "desc", info.description);
        add_text(node, "src", info.source);
        for (const GpxLink& link : info.links) {
            write_link(node, link);
        }
        add_integer(node, "number", info.number);
        add_text(node, "type", info.type);
        write_extensions(node, info.extensions);
    }

    void write_metadata(pugi::xml_node root, const GpxMetadata& metadata) const {
        if (metadata == GpxMetadata{}) {
            return;
        }
        pugi::xml_node node = root.append_child("metadata");
        add_text(node, "name", metadata.name);
        add_text(node, "desc", metadata.description);
        if (metadata.author) {
            pugi::xml_node author = node.append_child("author");
            add_text(author, "name", metadata.author->name);
            if (metadata.author->email) {
                const std::string& email = *metadata.author->email;
                const auto at = email.rfind('@');
                pugi::xml_node email_node = author.append_child("email");
                email_node.append_attribute("id").set_value(email.substr(0, at).c_str());
                if (at != std::string::npos) {
                    email_node.append_attribute("domain").set_value(email.substr(at + 1).c_str());
                }
            }
            if (metadata.author->link) {
                write_link(author, *metadata.author->link);
            }
        }
        if (metadata.copyright) {
            pugi::xml_node copyright = node.append_child("copyright");
            copyright.append_attribute("author").set_value(metadata.copyright->author.c_str());
            add_integer(copyright, "year", metadata.copyright->year);
            add_text(copyright, "license", metadata.copyright->license);
        }
        for (const GpxLink& link : metadata.links) {
            write_link(node, link);
        }
        add_time(node, "time", metadata.time);
        add_text(node, "keywords", metadata.keywords);
        if (metadata.bounds) {
            pugi::xml_node bounds = node.append_child("bounds");
            bounds.append_attribute("minlat").set_value(
                xml::format_double(metadata.bounds->min_latitude_deg).c_str());
            bounds.append_attribute("minlon").set_value(
                xml::format_double(metadata.bounds->min_longitude_deg).c_str());
            bounds.append_attribute("maxlat").set_value(
                xml::format_double(metadata.bounds->max_latitude_deg).c_str());
            bounds.append_attribute("maxlon").set_value(
                xml::format_double(metadata.bounds->max_longitude_deg).c_str());
        }
        write_extensions(node, metadata.extensions);
    }

    std::map<std::string, std::string> m_prefixes; // namespace URI -> prefix
};

} // namespace

std::string write_gpx(const GpxDocument& document) {
    return Writer().write(document);
}

} // namespace hearth::formats
