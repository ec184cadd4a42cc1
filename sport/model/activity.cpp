#include "model/activity.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <utility>

namespace hearth::sport {
namespace {

std::string normalize(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        const auto uc = static_cast<unsigned char>(c);
        if (std::isalnum(uc) != 0) {
            out.push_back(static_cast<char>(std::tolower(uc)));
        }
    }
    return out;
}

} // namespace

std::string_view to_string(Sport sport) {
    switch (sport) {
    case Sport::Generic:
        return "generic";
    case Sport::Running:
        return "running";
    case Sport::Cycling:
        return "cycling";
    case Sport::Swimming:
        return "swimming";
    case Sport::Walking:
        return "walking";
    case Sport::Hiking:
        return "hiking";
    case Sport::Rowing:
        return "rowing";
    case Sport::Transition:
        return "transition";
    case Sport::Training:
        return "training";
    case Sport::FitnessEquipment:
        return "fitness_equipment";
    case Sport::CrossCountrySkiing:
        return "cross_country_skiing";
    case Sport::AlpineSkiing:
        return "alpine_skiing";
    case Sport::Paddling:
        return "paddling";
    case Sport::Mountaineering:
        return "mountaineering";
    case Sport::EBiking:
        return "e_biking";
    case Sport::Multisport:
        return "multisport";
    case Sport::Other:
        return "other";
    }
    return "other";
}

Sport parse_sport(std::string_view text) {
    // Normalised (lower case, letters and digits only) spellings seen in GPX <type> (Strava,
    // Garmin, RunKeeper exports) and TCX Sport attributes.
    static const std::array<std::pair<std::string_view, Sport>, 36> names{{
        {"generic", Sport::Generic},
        {"running", Sport::Running},
        {"run", Sport::Running},
        {"trailrunning", Sport::Running},
        {"treadmillrunning", Sport::Running},
        {"9", Sport::Running}, // Strava's GPX activity type code for a run
        {"cycling", Sport::Cycling},
        {"biking", Sport::Cycling},
        {"bike", Sport::Cycling},
        {"ride", Sport::Cycling},
        {"roadbiking", Sport::Cycling},
        {"mountainbiking", Sport::Cycling},
        {"1", Sport::Cycling}, // Strava's GPX activity type code for a ride
        {"swimming", Sport::Swimming},
        {"swim", Sport::Swimming},
        {"openwaterswimming", Sport::Swimming},
        {"lapswimming", Sport::Swimming},
        {"walking", Sport::Walking},
        {"walk", Sport::Walking},
        {"10", Sport::Walking}, // Strava: walk
        {"hiking", Sport::Hiking},
        {"hike", Sport::Hiking},
        {"4", Sport::Hiking}, // Strava: hike
        {"rowing", Sport::Rowing},
        {"row", Sport::Rowing},
        {"transition", Sport::Transition},
        {"training", Sport::Training},
        {"fitnessequipment", Sport::FitnessEquipment},
        {"crosscountryskiing", Sport::CrossCountrySkiing},
        {"alpineskiing", Sport::AlpineSkiing},
        {"paddling", Sport::Paddling},
        {"mountaineering", Sport::Mountaineering},
        {"ebiking", Sport::EBiking},
        {"ebikeride", Sport::EBiking},
        {"multisport", Sport::Multisport},
        {"other", Sport::Other},
    }};
    const std::string key = normalize(text);
    for (const auto& [name, sport] : names) {
        if (key == name) {
            return sport;
        }
    }
    return Sport::Other;
}

std::string_view to_string(SwimStroke stroke) {
    switch (stroke) {
    case SwimStroke::Freestyle:
        return "freestyle";
    case SwimStroke::Backstroke:
        return "backstroke";
    case SwimStroke::Breaststroke:
        return "breaststroke";
    case SwimStroke::Butterfly:
        return "butterfly";
    case SwimStroke::Drill:
        return "drill";
    case SwimStroke::Mixed:
        return "mixed";
    case SwimStroke::IndividualMedley:
        return "im";
    case SwimStroke::Unknown:
        return "unknown";
    }
    return "unknown";
}

std::string_view to_string(FileFormat format) {
    switch (format) {
    case FileFormat::Fit:
        return "fit";
    case FileFormat::Gpx:
        return "gpx";
    case FileFormat::Tcx:
        return "tcx";
    }
    return "fit";
}

std::optional<UtcMs> activity_start(const Activity& activity) {
    if (activity.start_time_ms) {
        return activity.start_time_ms;
    }
    std::optional<UtcMs> start;
    auto consider = [&start](UtcMs t) { start = start ? std::min(*start, t) : t; };
    if (!activity.records.empty()) {
        consider(activity.records.front().t_ms);
    }
    if (!activity.laps.empty()) {
        consider(activity.laps.front().start_time_ms);
    }
    if (!activity.lengths.empty()) {
        consider(activity.lengths.front().start_time_ms);
    }
    return start;
}

std::optional<UtcMs> activity_end(const Activity& activity) {
    std::optional<UtcMs> end;
    auto consider = [&end](UtcMs t) { end = end ? std::max(*end, t) : t; };
    if (!activity.records.empty()) {
        consider(activity.records.back().t_ms);
    }
    for (const Lap& lap : activity.laps) {
        if (lap.end_time_ms) {
            consider(*lap.end_time_ms);
        } else if (lap.totals.elapsed_time_s) {
            consider(lap.start_time_ms + static_cast<UtcMs>(*lap.totals.elapsed_time_s * 1000.0));
        }
    }
    for (const Length& length : activity.lengths) {
        consider(length.start_time_ms +
                 static_cast<UtcMs>(length.elapsed_time_s.value_or(0.0) * 1000.0));
    }
    return end;
}

std::vector<Pause> pauses(const Activity& activity) {
    std::vector<TimerEvent> events = activity.timer_events;
    std::stable_sort(events.begin(), events.end(),
                     [](const TimerEvent& a, const TimerEvent& b) { return a.t_ms < b.t_ms; });
    std::vector<Pause> out;
    // A plain flag and value rather than std::optional: g++ 12 warns (falsely) that an
    // optional<int64_t> may be read uninitialised here.
    bool stopped = false;
    UtcMs stopped_at = 0;
    for (const TimerEvent& e : events) {
        if (e.action == TimerAction::Stop) {
            if (!stopped) {
                stopped = true;
                stopped_at = e.t_ms;
            }
        } else if (stopped) {
            if (e.t_ms > stopped_at) {
                out.push_back({stopped_at, e.t_ms});
            }
            stopped = false;
        }
    }
    return out;
}

} // namespace hearth::sport
