#include "sensor_csv/sensor_table.h"

#include <array>
#include <cmath>

#include "common/file.h"
#include "sensor_csv/csv.h"

namespace hearth::formats {

std::optional<std::size_t> SensorTable::column(std::string_view name) const {
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (columns[i] == name) {
            return i;
        }
    }
    return std::nullopt;
}

double SensorTable::duration_s() const {
    return t_s.size() < 2 ? 0.0 : t_s.back() - t_s.front();
}

engine::TimeMs to_time_ms(double t_s) {
    return static_cast<engine::TimeMs>(std::llround(t_s * 1000.0));
}

Result<SensorTable> parse_sensor_csv(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF")) {
        text.remove_prefix(3);
    }
    SensorTable table;
    std::vector<std::string_view> cells;
    std::size_t line_no = 0;
    bool have_header = false;
    double last_t = -std::numeric_limits<double>::infinity();
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        ++line_no;
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (line.empty()) {
            continue;
        }
        split_csv_line(line, cells);
        if (!have_header) {
            if (cells.empty() || cells[0] != "t_s") {
                return make_error("csv", ErrorCode::MissingField,
                                  "the first column must be t_s (seconds from the start)",
                                  std::nullopt, line_no);
            }
            for (std::size_t i = 1; i < cells.size(); ++i) {
                table.columns.emplace_back(cells[i]);
            }
            table.values.resize(table.columns.size());
            have_header = true;
            continue;
        }
        if (cells.size() > table.columns.size() + 1) {
            return make_error("csv", ErrorCode::InvalidSyntax,
                              "row has " + std::to_string(cells.size()) +
                                  " cells but the header has " +
                                  std::to_string(table.columns.size() + 1),
                              std::nullopt, line_no);
        }
        double t = 0.0;
        if (!parse_number(cells[0], t)) {
            return make_error("csv", ErrorCode::InvalidSyntax,
                              "t_s is not a number: '" + std::string(cells[0].substr(0, 40)) + "'",
                              std::nullopt, line_no);
        }
        if (t < last_t) {
            return make_error("csv", ErrorCode::TimeOrder,
                              "time goes backwards: t_s " + std::to_string(t) + " after " +
                                  std::to_string(last_t),
                              std::nullopt, line_no);
        }
        last_t = t;
        table.t_s.push_back(t);
        for (std::size_t c = 0; c < table.columns.size(); ++c) {
            float value = missing_value;
            if (c + 1 < cells.size() && !cells[c + 1].empty()) {
                double v = 0.0;
                if (!parse_number(cells[c + 1], v)) {
                    return make_error("csv", ErrorCode::InvalidSyntax,
                                      "column " + table.columns[c] + " is not a number: '" +
                                          std::string(cells[c + 1].substr(0, 40)) + "'",
                                      std::nullopt, line_no);
                }
                value = static_cast<float>(v);
            }
            table.values[c].push_back(value);
        }
    }
    if (!have_header) {
        return make_error("csv", ErrorCode::Empty, "no header row");
    }
    return table;
}

Result<SensorTable> read_sensor_csv(const std::string& path) {
    auto text = read_file_text(path);
    if (!text) {
        return tl::unexpected(text.error());
    }
    return parse_sensor_csv(*text);
}

namespace {

template <std::size_t N>
bool find_columns(const SensorTable& table, const std::array<std::string_view, N>& names,
                  std::array<std::size_t, N>& idx) {
    for (std::size_t i = 0; i < N; ++i) {
        const auto c = table.column(names[i]);
        if (!c) {
            return false;
        }
        idx[i] = *c;
    }
    return true;
}

template <class Sample, std::size_t N, class Make>
std::vector<Sample> collect(const SensorTable& table, const std::array<std::string_view, N>& names,
                            Make make) {
    std::vector<Sample> out;
    std::array<std::size_t, N> idx{};
    if (!find_columns(table, names, idx)) {
        return out;
    }
    std::array<float, N> v{};
    for (std::size_t r = 0; r < table.rows(); ++r) {
        bool complete = true;
        for (std::size_t i = 0; i < N; ++i) {
            v[i] = table.values[idx[i]][r];
            complete = complete && !std::isnan(v[i]);
        }
        if (complete) {
            out.push_back(make(to_time_ms(table.t_s[r]), v));
        }
    }
    return out;
}

template <class Sample>
std::vector<Sample> collect_xyz(const SensorTable& table, std::string_view x, std::string_view y,
                                std::string_view z) {
    return collect<Sample, 3>(table, {x, y, z},
                              [](engine::TimeMs t, const std::array<float, 3>& v) {
                                  return Sample{t, v[0], v[1], v[2]};
                              });
}

template <class Sample>
std::vector<Sample> collect_one(const SensorTable& table, std::string_view name) {
    return collect<Sample, 1>(table, {name}, [](engine::TimeMs t, const std::array<float, 1>& v) {
        return Sample{t, v[0]};
    });
}

} // namespace

std::vector<engine::AccelSample> accel_samples(const SensorTable& table) {
    return collect_xyz<engine::AccelSample>(table, "ax", "ay", "az");
}
std::vector<engine::GyroSample> gyro_samples(const SensorTable& table) {
    return collect_xyz<engine::GyroSample>(table, "gx", "gy", "gz");
}
std::vector<engine::MagSample> mag_samples(const SensorTable& table) {
    return collect_xyz<engine::MagSample>(table, "mx", "my", "mz");
}
std::vector<engine::PpgSample> ppg_samples(const SensorTable& table, std::string_view column) {
    return collect_one<engine::PpgSample>(table, column);
}
std::vector<engine::EcgSample> ecg_samples(const SensorTable& table) {
    return collect_one<engine::EcgSample>(table, "ecg");
}
std::vector<engine::PressureSample> pressure_samples(const SensorTable& table) {
    return collect_one<engine::PressureSample>(table, "pressure_hpa");
}
std::vector<engine::HeartRateSample> heart_rate_samples(const SensorTable& table) {
    return collect_one<engine::HeartRateSample>(table, "hr");
}
std::vector<engine::ActivityCountSample> activity_count_samples(const SensorTable& table) {
    return collect_one<engine::ActivityCountSample>(table, "activity");
}

} // namespace hearth::formats
