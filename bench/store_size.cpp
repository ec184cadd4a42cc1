// store_size: how big the hub's database grows over a year of a busy home, with the default
// retention (raw states and events for 10 days, 5-minute statistics for 90 days, hourly ones
// for ever). The states go straight into the store (no broker, no hub process), in the hub's
// batches and in time order, one simulated day after another, and retention runs once a
// simulated day as the hub runs it (at most once an hour).
//
//   store_size [--days N] [--store SPEC] [--dir DIR]
//
// The home, per day (about 167 000 states):
//   - 40 climate and light sensors (temperature, humidity, illuminance) every 60 s;
//   - 10 power meters every 10 s;
//   - 30 lights, switches, contacts and motion sensors, 40 changes each;
//   - the watch: heart rate every 5 s, steps and cadence every 30 s, activity and sleep stage
//     changes, and 20 device events (fell_asleep, workout_started...).
// Values vary as real ones do (a daily cycle plus noise), so nearly every state is a change.
// Prints the database size at the end of each month and the time taken. --store takes the
// hub's store spec (sqlite by default; a PostgreSQL connection string measures that store's
// table sizes, under tests/integration/with-postgres).

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/open_store.h"
#include "store/store.h"

namespace {

using namespace hearth::hub;
using nlohmann::json;

constexpr TimestampMs second_ms = 1000;
constexpr TimestampMs day_ms = 86'400 * second_ms;
// 2025-01-01 00:00 UTC.
constexpr TimestampMs year_start_ms = 1'735'689'600'000;

struct Options {
    int days = 365;
    std::string store = "sqlite";
    std::filesystem::path dir;
};

struct Series {
    std::string entity_id;
    TimestampMs period_ms = 0; // 0: changes at random moments
    int changes_per_day = 0;   // for period 0
    double base = 0.0;         // numeric value around this, with a daily swing
    double swing = 0.0;
    double noise = 0.0;
    int decimals = 1;
    std::vector<std::string> words; // non-numeric states cycle through these
    json attributes;
};

std::vector<Series> busy_home() {
    std::vector<Series> home;
    const char* rooms[] = {"living_room", "kitchen", "bedroom", "bathroom", "hallway",
                           "office",      "kids",    "garage",  "attic",    "cellar",
                           "porch",       "garden",  "laundry"};
    int n = 0;
    for (const char* room : rooms) {
        for (const char* what : {"temperature", "humidity", "illuminance"}) {
            if (n++ >= 40) {
                break;
            }
            Series s;
            s.entity_id = std::string("sensor.") + room + "_" + what;
            s.period_ms = 60 * second_ms;
            s.base = what[0] == 't' ? 20.5 : what[0] == 'h' ? 48.0 : 300.0;
            s.swing = what[0] == 't' ? 2.0 : what[0] == 'h' ? 8.0 : 280.0;
            s.noise = what[0] == 'i' ? 15.0 : 0.3;
            s.decimals = what[0] == 'i' ? 0 : 1;
            s.attributes = {{"device_class", what},
                            {"unit_of_measurement", what[0] == 't'   ? "°C"
                                                    : what[0] == 'h' ? "%"
                                                                     : "lx"},
                            {"friendly_name", std::string(room) + " " + what}};
            home.push_back(std::move(s));
        }
    }
    for (int i = 0; i < 10; ++i) {
        Series s;
        s.entity_id = "sensor.plug_" + std::to_string(i) + "_power";
        s.period_ms = 10 * second_ms;
        s.base = 60.0;
        s.swing = 50.0;
        s.noise = 8.0;
        s.attributes = {{"device_class", "power"}, {"unit_of_measurement", "W"}};
        home.push_back(std::move(s));
    }
    for (int i = 0; i < 30; ++i) {
        Series s;
        const int kind = i % 3;
        s.entity_id = (kind == 0   ? "light.lamp_"
                       : kind == 1 ? "switch.socket_"
                                   : "binary_sensor.motion_") +
                      std::to_string(i);
        s.changes_per_day = 40;
        s.words = {"on", "off"};
        s.attributes = kind == 0 ? json{{"brightness", 180}, {"color_temp", 370}}
                                 : json{{"friendly_name", s.entity_id}};
        home.push_back(std::move(s));
    }
    Series hr;
    hr.entity_id = "sensor.watch_heart_rate";
    hr.period_ms = 5 * second_ms;
    hr.base = 68.0;
    hr.swing = 12.0;
    hr.noise = 4.0;
    hr.decimals = 0;
    hr.attributes = {{"unit_of_measurement", "bpm"}, {"quality", "good"}};
    home.push_back(hr);
    Series steps;
    steps.entity_id = "sensor.watch_steps";
    steps.period_ms = 30 * second_ms;
    steps.base = 5000.0;
    steps.swing = 4000.0;
    steps.decimals = 0;
    steps.attributes = {{"unit_of_measurement", "steps"}};
    home.push_back(steps);
    Series cadence = steps;
    cadence.entity_id = "sensor.watch_cadence";
    cadence.base = 40.0;
    cadence.swing = 40.0;
    cadence.noise = 10.0;
    cadence.attributes = {{"unit_of_measurement", "steps/min"}};
    home.push_back(cadence);
    Series activity;
    activity.entity_id = "sensor.watch_activity";
    activity.changes_per_day = 60;
    activity.words = {"still", "walking", "still", "running", "still", "cycling"};
    home.push_back(activity);
    Series sleep;
    sleep.entity_id = "sensor.watch_sleep_stage";
    sleep.changes_per_day = 80;
    sleep.words = {"wake", "light", "deep", "light", "rem"};
    sleep.attributes = {{"asleep", true}};
    home.push_back(sleep);
    return home;
}

std::string number_text(double v, int decimals) {
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", decimals, v);
    return text;
}

// One simulated day of every series, in time order.
std::vector<EntityState> day_of_states(const std::vector<Series>& home, TimestampMs day_start_ms,
                                       std::mt19937_64& rng) {
    std::vector<EntityState> out;
    std::normal_distribution<double> gauss(0.0, 1.0);
    std::uniform_int_distribution<TimestampMs> moment(0, day_ms - 1);
    for (std::size_t i = 0; i < home.size(); ++i) {
        const Series& s = home[i];
        std::vector<TimestampMs> times;
        if (s.period_ms > 0) {
            // Each series starts at its own offset within the period.
            for (TimestampMs t = static_cast<TimestampMs>(i) * 997 % s.period_ms; t < day_ms;
                 t += s.period_ms) {
                times.push_back(t);
            }
        } else {
            for (int k = 0; k < s.changes_per_day; ++k) {
                times.push_back(moment(rng));
            }
            std::sort(times.begin(), times.end());
        }
        for (std::size_t k = 0; k < times.size(); ++k) {
            EntityState e;
            e.entity_id = s.entity_id;
            e.attributes = s.attributes;
            e.last_changed_ms = e.last_updated_ms = day_start_ms + times[k];
            if (s.words.empty()) {
                const double phase = 2.0 * M_PI * static_cast<double>(times[k]) / day_ms;
                e.state = number_text(s.base + s.swing * std::sin(phase) + s.noise * gauss(rng),
                                      s.decimals);
            } else {
                e.state = s.words[k % s.words.size()];
            }
            out.push_back(std::move(e));
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const EntityState& a, const EntityState& b) {
        return a.last_updated_ms < b.last_updated_ms;
    });
    return out;
}

std::uintmax_t folder_bytes(const std::filesystem::path& dir) {
    std::uintmax_t total = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir, ec)) {
        if (entry.is_regular_file(ec)) {
            total += entry.file_size(ec);
        }
    }
    return total;
}

int run(const Options& options) {
    auto store = open_store_spec(options.store, options.dir);
    if (!store) {
        std::fprintf(stderr, "store_size: %s\n", store.error().c_str());
        return 2;
    }
    const auto home = busy_home();
    std::mt19937_64 rng(2025);
    const RetentionPolicy policy; // the hub's defaults
    const auto started = std::chrono::steady_clock::now();
    std::uint64_t total_states = 0;
    std::printf("%zu entities; retention: raw %d days, 5-minute statistics %d days, hourly "
                "for ever\n",
                home.size(), policy.raw_days, policy.five_minute_days);
    std::printf("%6s %12s %14s %10s\n", "day", "states", "database MB", "elapsed s");
    for (int day = 0; day < options.days; ++day) {
        const TimestampMs day_start = year_start_ms + static_cast<TimestampMs>(day) * day_ms;
        const auto states = day_of_states(home, day_start, rng);
        constexpr std::size_t batch = 2000; // the hub's batch_max
        for (std::size_t at = 0; at < states.size(); at += batch) {
            const std::size_t n = std::min(batch, states.size() - at);
            if (auto r = (*store)->append_states(std::span(states).subspan(at, n)); !r) {
                std::fprintf(stderr, "store_size: day %d: %s\n", day, r.error().message.c_str());
                return 1;
            }
        }
        for (int k = 0; k < 20; ++k) {
            StoredEvent e;
            e.type = k % 2 == 0 ? "workout_started" : "workout_ended";
            e.time_ms = day_start + k * 3'600'000;
            e.data = {{"watch", "w1"}, {"activity", "running"}};
            if (auto r = (*store)->append_event(e); !r) {
                std::fprintf(stderr, "store_size: %s\n", r.error().message.c_str());
                return 1;
            }
        }
        total_states += states.size();
        if (auto r = (*store)->apply_retention(day_start + day_ms, policy); !r) {
            std::fprintf(stderr, "store_size: retention: %s\n", r.error().message.c_str());
            return 1;
        }
        if ((day + 1) % 30 == 0 || day + 1 == options.days) {
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            std::printf("%6d %12llu %14.1f %10.0f\n", day + 1,
                        static_cast<unsigned long long>(total_states),
                        static_cast<double>(folder_bytes(options.dir)) / 1e6, seconds);
            std::fflush(stdout);
        }
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--days" && i + 1 < argc) {
            options.days = std::atoi(argv[++i]);
        } else if (arg == "--store" && i + 1 < argc) {
            options.store = argv[++i];
        } else if (arg == "--dir" && i + 1 < argc) {
            options.dir = argv[++i];
        } else {
            std::fprintf(stderr, "usage: store_size [--days N] [--store SPEC] [--dir DIR]\n");
            return 1;
        }
    }
    if (options.days <= 0) {
        std::fprintf(stderr, "store_size: --days must be positive\n");
        return 1;
    }
    const bool temporary = options.dir.empty();
    if (temporary) {
        options.dir = std::filesystem::temp_directory_path() /
                      ("hearth-store-size-" + std::to_string(::getpid()));
    }
    std::filesystem::create_directories(options.dir);
    const int rc = run(options);
    if (temporary) {
        std::filesystem::remove_all(options.dir);
    }
    return rc;
}
