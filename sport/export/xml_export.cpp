// The workout model to GPX and TCX documents (formats/gpx, formats/tcx write the XML).

#include <algorithm>
#include <cmath>
#include <fstream>

#include "export/export.h"
#include "metrics/activity_metrics.h"

namespace hearth::sport {
namespace {

std::string tcx_sport(Sport sport) {
    // The TCX schema allows only these three.
    switch (sport) {
    case Sport::Running:
    case Sport::Walking:
    case Sport::Hiking:
        return "Running";
    case Sport::Cycling:
    case Sport::EBiking:
        return "Biking";
    default:
        return "Other";
    }
}

formats::TcxTrackpoint trackpoint(const Record& r, Sport sport) {
    formats::TcxTrackpoint p;
    p.time = formats::UtcTime::from_unix_ms(r.t_ms);
    if (r.lat_deg && r.lon_deg) {
        p.position = formats::TcxPosition{*r.lat_deg, *r.lon_deg};
    }
    p.altitude_m = r.altitude_m;
    p.distance_m = r.distance_m;
    p.heart_rate_bpm =
        r.heart_rate_bpm ? std::optional(std::round(*r.heart_rate_bpm)) : std::nullopt;
    if (r.cadence) {
        // Running cadence goes to the TPX RunCadence (one foot), others to <Cadence>; both
        // are whole numbers in the schema.
        if (sport == Sport::Running || sport == Sport::Walking || sport == Sport::Hiking) {
            p.run_cadence_spm = std::round(*r.cadence);
        } else {
            p.cadence_rpm = std::round(*r.cadence);
        }
    }
    p.speed_m_per_s = r.speed_mps;
    p.power_w = r.power_w ? std::optional(std::round(*r.power_w)) : std::nullopt;
    return p;
}

formats::TcxLap tcx_lap(const Totals& t, UtcMs start_ms, Sport sport) {
    formats::TcxLap lap;
    lap.start_time = formats::UtcTime::from_unix_ms(start_ms);
    lap.total_time_s = t.timer_time_s ? t.timer_time_s : t.elapsed_time_s;
    lap.total_time_s = lap.total_time_s.value_or(0.0);
    lap.distance_m = t.distance_m.value_or(0.0);
    lap.maximum_speed_m_per_s = t.max_speed_mps;
    lap.calories_kcal = std::round(t.energy_kcal.value_or(0.0));
    auto whole = [](const std::optional<double>& v) {
        return v ? std::optional(std::round(*v)) : std::nullopt;
    };
    lap.average_heart_rate_bpm = whole(t.avg_heart_rate_bpm);
    lap.maximum_heart_rate_bpm = whole(t.max_heart_rate_bpm);
    lap.intensity = formats::TcxIntensity::Active;
    lap.trigger_method = "Manual";
    lap.average_speed_m_per_s = t.avg_speed_mps;
    if (sport == Sport::Running || sport == Sport::Walking || sport == Sport::Hiking) {
        lap.average_run_cadence_spm = whole(t.avg_cadence);
        lap.maximum_run_cadence_spm = whole(t.max_cadence);
    } else {
        lap.cadence_rpm = whole(t.avg_cadence);
        lap.maximum_bike_cadence_rpm = whole(t.max_cadence);
    }
    lap.average_power_w = whole(t.avg_power_w);
    lap.maximum_power_w = whole(t.max_power_w);
    lap.steps = t.steps;
    return lap;
}

} // namespace

formats::Result<formats::GpxDocument> to_gpx(const Workout& workout) {
    formats::GpxDocument doc;
    doc.creator = "Hearth";
    std::size_t points = 0;
    for (const Activity& a : workout.activities) {
        formats::GpxTrack track;
        track.info.name = a.name;
        track.info.type = std::string(to_string(a.sport));
        formats::GpxSegment segment;
        for (const Record& r : a.records) {
            if (!r.lat_deg || !r.lon_deg) {
                continue; // GPX points need a position
            }
            formats::GpxPoint p;
            p.latitude_deg = *r.lat_deg;
            p.longitude_deg = *r.lon_deg;
            p.elevation_m = r.altitude_m;
            p.time = formats::UtcTime::from_unix_ms(r.t_ms);
            p.heart_rate_bpm =
                r.heart_rate_bpm ? std::optional(std::round(*r.heart_rate_bpm)) : std::nullopt;
            p.cadence_rpm = r.cadence ? std::optional(std::round(*r.cadence)) : std::nullopt;
            p.power_w = r.power_w;
            p.air_temperature_c = r.temperature_c;
            p.speed_m_per_s = r.speed_mps;
            segment.points.push_back(std::move(p));
        }
        points += segment.points.size();
        track.segments.push_back(std::move(segment));
        doc.tracks.push_back(std::move(track));
    }
    if (points == 0) {
        return formats::make_error("gpx", formats::ErrorCode::Unsupported,
                                   "nothing to write: no record has a position (GPX holds "
                                   "only positioned points)");
    }
    if (!workout.activities.empty()) {
        if (auto start = activity_start(workout.activities.front())) {
            doc.metadata.time = formats::UtcTime::from_unix_ms(*start);
        }
    }
    return doc;
}

formats::Result<std::string> export_gpx(const Workout& workout) {
    auto doc = to_gpx(workout);
    if (!doc) {
        return tl::unexpected(doc.error());
    }
    return formats::write_gpx(*doc);
}

formats::TcxDocument to_tcx(const Workout& workout) {
    formats::TcxDocument doc;
    for (const Activity& a : workout.activities) {
        const metrics::SegmentMetrics summary = metrics::activity_metrics(a);
        formats::TcxActivity act;
        act.sport = tcx_sport(a.sport);
        const UtcMs start = summary.start_ms;
        act.id = formats::UtcTime::from_unix_ms(start);
        act.notes = a.name;
        if (a.device.product) {
            formats::TcxCreator creator;
            creator.name = *a.device.product;
            creator.unit_id = a.device.serial_number;
            act.creator = creator;
        }
        std::vector<metrics::SegmentMetrics> laps = metrics::lap_metrics(a);
        if (laps.empty()) {
            laps.push_back(summary); // TCX needs a lap to hold the trackpoints
        }
        std::size_t next_record = 0;
        for (std::size_t i = 0; i < laps.size(); ++i) {
            formats::TcxLap lap = tcx_lap(laps[i].totals, laps[i].start_ms, a.sport);
            formats::TcxTrack track;
            const bool last = i + 1 == laps.size();
            while (next_record < a.records.size() &&
                   (last || a.records[next_record].t_ms < laps[i + 1].start_ms)) {
                track.points.push_back(trackpoint(a.records[next_record], a.sport));
                ++next_record;
            }
            if (!track.points.empty()) {
                lap.tracks.push_back(std::move(track));
            }
            act.laps.push_back(std::move(lap));
        }
        doc.activities.push_back(std::move(act));
    }
    return doc;
}

formats::Result<std::string> export_tcx(const Workout& workout) {
    return formats::write_tcx(to_tcx(workout));
}

formats::Result<void> export_file(const Workout& workout, FileFormat format,
                                  const std::filesystem::path& path) {
    std::string text;
    std::vector<std::uint8_t> bytes;
    switch (format) {
    case FileFormat::Fit: {
        auto r = export_fit(workout);
        if (!r) {
            return tl::unexpected(r.error());
        }
        bytes = std::move(*r);
        break;
    }
    case FileFormat::Gpx: {
        auto r = export_gpx(workout);
        if (!r) {
            return tl::unexpected(r.error());
        }
        text = std::move(*r);
        break;
    }
    case FileFormat::Tcx: {
        auto r = export_tcx(workout);
        if (!r) {
            return tl::unexpected(r.error());
        }
        text = std::move(*r);
        break;
    }
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) {
        return formats::make_error(std::string(to_string(format)), formats::ErrorCode::Io,
                                   "cannot open " + path.string() + " for writing");
    }
    if (format == FileFormat::Fit) {
        out.write(reinterpret_cast<const char*>(bytes.data()),
                  static_cast<std::streamsize>(bytes.size()));
    } else {
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
    }
    out.close();
    if (!out) {
        return formats::make_error(std::string(to_string(format)), formats::ErrorCode::Io,
                                   "cannot write " + path.string());
    }
    return {};
}

} // namespace hearth::sport
