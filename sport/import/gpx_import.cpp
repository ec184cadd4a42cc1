// GPX tracks to the workout model. GPX has no device summary and no laps: the analyzer
// computes everything from the points.

#include <algorithm>
#include <string>

#include "import/import.h"

namespace hearth::sport {
namespace {

Record record_from_point(const formats::GpxPoint& p) {
    Record r;
    r.t_ms = p.time ? p.time->unix_ms() : 0;
    r.lat_deg = p.latitude_deg;
    r.lon_deg = p.longitude_deg;
    r.altitude_m = p.elevation_m;
    r.speed_mps = p.speed_m_per_s;
    r.heart_rate_bpm = p.heart_rate_bpm;
    r.cadence = p.cadence_rpm;
    r.power_w = p.power_w;
    r.temperature_c = p.air_temperature_c ? p.air_temperature_c : p.water_temperature_c;
    return r;
}

// Appends the track's timed points; returns how many points had no time.
std::size_t append_track(const formats::GpxTrack& track, std::vector<Record>& records) {
    std::size_t untimed = 0;
    for (const auto& segment : track.segments) {
        for (const auto& point : segment.points) {
            if (!point.time) {
                ++untimed;
                continue;
            }
            records.push_back(record_from_point(point));
        }
    }
    return untimed;
}

Activity new_activity(const formats::GpxDocument& document, const formats::GpxTrack* track) {
    Activity a;
    a.sport = Sport::Generic;
    if (track != nullptr) {
        if (track->info.type && !track->info.type->empty()) {
            a.sport = parse_sport(*track->info.type);
        }
        a.name = track->info.name;
    }
    if (!a.name) {
        a.name = document.metadata.name;
    }
    if (document.creator && !document.creator->empty()) {
        a.device.manufacturer = document.creator;
    }
    return a;
}

void finish_activity(Activity& a) {
    std::stable_sort(a.records.begin(), a.records.end(),
                     [](const Record& x, const Record& y) { return x.t_ms < y.t_ms; });
    a.start_time_ms = activity_start(a);
}

} // namespace

Workout workout_from_gpx(const formats::GpxDocument& document, GpxGrouping grouping) {
    Workout workout;
    workout.format = FileFormat::Gpx;
    std::size_t untimed = 0;
    if (grouping == GpxGrouping::Merged) {
        Activity a =
            new_activity(document, document.tracks.empty() ? nullptr : &document.tracks.front());
        for (const auto& track : document.tracks) {
            untimed += append_track(track, a.records);
        }
        finish_activity(a);
        if (!a.records.empty()) {
            workout.activities.push_back(std::move(a));
        }
    } else {
        for (const auto& track : document.tracks) {
            Activity a = new_activity(document, &track);
            untimed += append_track(track, a.records);
            finish_activity(a);
            if (!a.records.empty()) {
                workout.activities.push_back(std::move(a));
            }
        }
    }
    if (untimed > 0) {
        workout.warnings.push_back(std::to_string(untimed) +
                                   " track points without a time were left out");
    }
    if (document.tracks.empty() && !document.routes.empty()) {
        workout.warnings.push_back("the file holds routes only (planned courses, no times)");
    }
    return workout;
}

formats::Result<Workout> import_gpx(std::string_view xml, const ImportOptions& options) {
    auto document = formats::parse_gpx(xml);
    if (!document) {
        return tl::unexpected(document.error());
    }
    return workout_from_gpx(*document, options.gpx_grouping);
}

} // namespace hearth::sport
