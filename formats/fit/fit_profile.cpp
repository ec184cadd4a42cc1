#include "fit/fit_profile.h"

#include <algorithm>
#include <array>

// Numbers, scales, offsets, units and component layouts below are facts taken from the FIT
// SDK global profile (Profile.xlsx, 21.x; also described in the FIT protocol and "Decoding FIT
// activity files" documents). The tables are written by hand and cover what Hearth reads and
// writes; the decoder keeps every other field by number.

namespace hearth::formats::fit {
namespace {

using B = BaseType;
using E = EnumType;

constexpr FieldDef f(std::uint8_t number, std::string_view name, BaseType type, double scale = 1,
                     double offset = 0, std::string_view units = {}, EnumType enum_type = E::None,
                     std::span<const ComponentDef> components = {},
                     std::span<const SubFieldDef> sub_fields = {}) {
    return FieldDef{number, name, type, scale, offset, units, enum_type, components, sub_fields};
}
constexpr FieldDef en(std::uint8_t number, std::string_view name, EnumType enum_type,
                      BaseType type = B::Enum) {
    return FieldDef{number, name, type, 1, 0, {}, enum_type, {}, {}};
}
constexpr SubFieldDef sub(std::string_view name, std::uint8_t ref_field, std::uint32_t ref_value,
                          double scale = 1, double offset = 0, std::string_view units = {},
                          EnumType enum_type = E::None) {
    return SubFieldDef{name, ref_field, ref_value, scale, offset, units, enum_type, {}};
}

// Common fields.
constexpr FieldDef timestamp = f(253, "timestamp", B::UInt32, 1, 0, "s");
constexpr FieldDef message_index = f(254, "message_index", B::UInt16);

// --- enums -------------------------------------------------------------------------------
constexpr auto file_names = std::to_array<EnumValueName>({
    {1, "device"},
    {2, "settings"},
    {3, "sport"},
    {4, "activity"},
    {5, "workout"},
    {6, "course"},
    {7, "schedules"},
    {9, "weight"},
    {10, "totals"},
    {11, "goals"},
    {14, "blood_pressure"},
    {15, "monitoring_a"},
    {20, "activity_summary"},
    {28, "monitoring_daily"},
    {32, "monitoring_b"},
    {34, "segment"},
    {35, "segment_list"},
    {40, "exd_configuration"},
    {0xF7, "mfg_range_min"},
    {0xFE, "mfg_range_max"},
});

constexpr auto manufacturer_names = std::to_array<EnumValueName>({
    {1, "garmin"},          {2, "garmin_fr405_antfs"},
    {3, "zephyr"},          {6, "srm"},
    {7, "quarq"},           {8, "ibike"},
    {9, "saris"},           {13, "dynastream_oem"},
    {15, "dynastream"},     {16, "timex"},
    {23, "suunto"},         {32, "wahoo_fitness"},
    {38, "osynce"},         {40, "concept2"},
    {41, "shimano"},        {48, "pioneer"},
    {60, "rotor"},          {63, "specialized"},
    {69, "stages_cycling"}, {70, "sigmasport"},
    {71, "tomtom"},         {76, "moxy"},
    {86, "elite"},          {89, "tacx"},
    {95, "stryd"},          {107, "magene"},
    {123, "polar_electro"}, {255, "development"},
    {260, "zwift"},         {263, "favero_electronics"},
    {265, "strava"},        {267, "bryton"},
    {268, "sram"},          {289, "hammerhead"},
    {294, "coros"},         {305, "whoop"},
});

constexpr auto sport_names = std::to_array<EnumValueName>({
    {0, "generic"},
    {1, "running"},
    {2, "cycling"},
    {3, "transition"},
    {4, "fitness_equipment"},
    {5, "swimming"},
    {6, "basketball"},
    {7, "soccer"},
    {8, "tennis"},
    {9, "american_football"},
    {10, "training"},
    {11, "walking"},
    {12, "cross_country_skiing"},
    {13, "alpine_skiing"},
    {14, "snowboarding"},
    {15, "rowing"},
    {16, "mountaineering"},
    {17, "hiking"},
    {18, "multisport"},
    {19, "paddling"},
    {20, "flying"},
    {21, "e_biking"},
    {22, "motorcycling"},
    {23, "boating"},
    {24, "driving"},
    {25, "golf"},
    {26, "hang_gliding"},
    {27, "horseback_riding"},
    {28, "hunting"},
    {29, "fishing"},
    {30, "inline_skating"},
    {31, "rock_climbing"},
    {32, "sailing"},
    {33, "ice_skating"},
    {34, "sky_diving"},
    {35, "snowshoeing"},
    {36, "snowmobiling"},
    {37, "stand_up_paddleboarding"},
    {38, "surfing"},
    {39, "wakeboarding"},
    {40, "water_skiing"},
    {41, "kayaking"},
    {42, "rafting"},
    {43, "windsurfing"},
    {44, "kitesurfing"},
    {45, "tactical"},
    {46, "jumpmaster"},
    {47, "boxing"},
    {48, "floor_climbing"},
    {49, "baseball"},
    {53, "diving"},
    {62, "hiit"},
    {64, "racket"},
    {65, "wheelchair_push_walk"},
    {66, "wheelchair_push_run"},
    {67, "meditation"},
    {68, "para_sport"},
    {69, "disc_golf"},
    {70, "team_sport"},
    {71, "cricket"},
    {72, "rugby"},
    {73, "hockey"},
    {74, "lacrosse"},
    {75, "volleyball"},
    {76, "water_tubing"},
    {77, "wakesurfing"},
    {80, "mixed_martial_arts"},
    {82, "snorkeling"},
    {83, "dance"},
    {84, "jump_rope"},
    {254, "all"},
});

constexpr auto sub_sport_names = std::to_array<EnumValueName>({
    {0, "generic"},
    {1, "treadmill"},
    {2, "street"},
    {3, "trail"},
    {4, "track"},
    {5, "spin"},
    {6, "indoor_cycling"},
    {7, "road"},
    {8, "mountain"},
    {9, "downhill"},
    {10, "recumbent"},
    {11, "cyclocross"},
    {12, "hand_cycling"},
    {13, "track_cycling"},
    {14, "indoor_rowing"},
    {15, "elliptical"},
    {16, "stair_climbing"},
    {17, "lap_swimming"},
    {18, "open_water"},
    {19, "flexibility_training"},
    {20, "strength_training"},
    {21, "warm_up"},
    {22, "match"},
    {23, "exercise"},
    {24, "challenge"},
    {25, "indoor_skiing"},
    {26, "cardio_training"},
    {27, "indoor_walking"},
    {28, "e_bike_fitness"},
    {29, "bmx"},
    {30, "casual_walking"},
    {31, "speed_walking"},
    {32, "bike_to_run_transition"},
    {33, "run_to_bike_transition"},
    {34, "swim_to_bike_transition"},
    {35, "atv"},
    {36, "motocross"},
    {37, "backcountry"},
    {38, "resort"},
    {39, "rc_drone"},
    {40, "wingsuit"},
    {41, "whitewater"},
    {42, "skate_skiing"},
    {43, "yoga"},
    {44, "pilates"},
    {45, "indoor_running"},
    {46, "gravel_cycling"},
    {47, "e_bike_mountain"},
    {48, "commuting"},
    {49, "mixed_surface"},
    {50, "navigate"},
    {51, "track_me"},
    {52, "map"},
    {53, "single_gas_diving"},
    {54, "multi_gas_diving"},
    {55, "gauge_diving"},
    {56, "apnea_diving"},
    {57, "apnea_hunting"},
    {58, "virtual_activity"},
    {59, "obstacle"},
    {62, "breathing"},
    {65, "sail_race"},
    {67, "ultra"},
    {68, "indoor_climbing"},
    {69, "bouldering"},
    {70, "hiit"},
    {84, "pickleball"},
    {254, "all"},
});

constexpr auto event_names = std::to_array<EnumValueName>({
    {0, "timer"},
    {3, "workout"},
    {4, "workout_step"},
    {5, "power_down"},
    {6, "power_up"},
    {7, "off_course"},
    {8, "session"},
    {9, "lap"},
    {10, "course_point"},
    {11, "battery"},
    {12, "virtual_partner_pace"},
    {13, "hr_high_alert"},
    {14, "hr_low_alert"},
    {15, "speed_high_alert"},
    {16, "speed_low_alert"},
    {17, "cad_high_alert"},
    {18, "cad_low_alert"},
    {19, "power_high_alert"},
    {20, "power_low_alert"},
    {21, "recovery_hr"},
    {22, "battery_low"},
    {23, "time_duration_alert"},
    {24, "distance_duration_alert"},
    {25, "calorie_duration_alert"},
    {26, "activity"},
    {27, "fitness_equipment"},
    {28, "length"},
    {32, "user_marker"},
    {33, "sport_point"},
    {36, "calibration"},
    {42, "front_gear_change"},
    {43, "rear_gear_change"},
    {44, "rider_position_change"},
    {45, "elev_high_alert"},
    {46, "elev_low_alert"},
    {47, "comm_timeout"},
    {54, "auto_activity_detect"},
    {56, "dive_alert"},
    {57, "dive_gas_switched"},
    {71, "tank_pressure_reserve"},
    {72, "tank_pressure_critical"},
    {73, "tank_lost"},
    {75, "radar_threat_alert"},
    {76, "tank_battery_low"},
});

constexpr auto event_type_names = std::to_array<EnumValueName>({
    {0, "start"},
    {1, "stop"},
    {2, "consecutive_depreciated"},
    {3, "marker"},
    {4, "stop_all"},
    {5, "begin_depreciated"},
    {6, "end_depreciated"},
    {7, "end_all_depreciated"},
    {8, "stop_disable"},
    {9, "stop_disable_all"},
});

constexpr auto timer_trigger_names = std::to_array<EnumValueName>({
    {0, "manual"},
    {1, "auto"},
    {2, "fitness_equipment"},
});

constexpr auto swim_stroke_names = std::to_array<EnumValueName>({
    {0, "freestyle"},
    {1, "backstroke"},
    {2, "breaststroke"},
    {3, "butterfly"},
    {4, "drill"},
    {5, "mixed"},
    {6, "im"},
});

constexpr auto length_type_names = std::to_array<EnumValueName>({{0, "idle"}, {1, "active"}});

constexpr auto lap_trigger_names = std::to_array<EnumValueName>({
    {0, "manual"},
    {1, "time"},
    {2, "distance"},
    {3, "position_start"},
    {4, "position_lap"},
    {5, "position_waypoint"},
    {6, "position_marked"},
    {7, "session_end"},
    {8, "fitness_equipment"},
});

constexpr auto session_trigger_names = std::to_array<EnumValueName>({
    {0, "activity_end"},
    {1, "manual"},
    {2, "auto_multi_sport"},
    {3, "fitness_equipment"},
});

constexpr auto activity_type_names =
    std::to_array<EnumValueName>({{0, "manual"}, {1, "auto_multi_sport"}});
constexpr auto display_measure_names = std::to_array<EnumValueName>({
    {0, "metric"},
    {1, "statute"},
    {2, "nautical"},
});
constexpr auto gender_names = std::to_array<EnumValueName>({{0, "female"}, {1, "male"}});
constexpr auto intensity_names = std::to_array<EnumValueName>({
    {0, "active"},
    {1, "rest"},
    {2, "warmup"},
    {3, "cooldown"},
    {4, "recovery"},
    {5, "interval"},
    {6, "other"},
});

std::span<const EnumValueName> enum_table(EnumType type) {
    switch (type) {
    case E::File:
        return file_names;
    case E::Manufacturer:
        return manufacturer_names;
    case E::Sport:
        return sport_names;
    case E::SubSport:
        return sub_sport_names;
    case E::Event:
        return event_names;
    case E::EventType:
        return event_type_names;
    case E::TimerTrigger:
        return timer_trigger_names;
    case E::SwimStroke:
        return swim_stroke_names;
    case E::LengthType:
        return length_type_names;
    case E::LapTrigger:
        return lap_trigger_names;
    case E::SessionTrigger:
        return session_trigger_names;
    case E::ActivityType:
        return activity_type_names;
    case E::DisplayMeasure:
        return display_measure_names;
    case E::Gender:
        return gender_names;
    case E::Intensity:
        return intensity_names;
    case E::None:
    case E::GarminProduct:
        break;
    }
    return {};
}

// --- file_id (0), file_creator (49) ------------------------------------------------------
// product is read as garmin_product for Garmin, Dynastream, Dynastream OEM and Tacx devices.
constexpr auto file_id_product_subs = std::to_array<SubFieldDef>({
    sub("garmin_product", 1, 1, 1, 0, {}, E::GarminProduct),
    sub("garmin_product", 1, 15, 1, 0, {}, E::GarminProduct),
    sub("garmin_product", 1, 13, 1, 0, {}, E::GarminProduct),
    sub("garmin_product", 1, 89, 1, 0, {}, E::GarminProduct),
    sub("favero_product", 1, 263),
});
constexpr auto file_id_fields = std::to_array<FieldDef>({
    en(0, "type", E::File),
    en(1, "manufacturer", E::Manufacturer, B::UInt16),
    f(2, "product", B::UInt16, 1, 0, {}, E::None, {}, file_id_product_subs),
    f(3, "serial_number", B::UInt32z),
    f(4, "time_created", B::UInt32, 1, 0, "s"),
    f(5, "number", B::UInt16),
    f(8, "product_name", B::String),
});
constexpr auto file_creator_fields = std::to_array<FieldDef>({
    f(0, "software_version", B::UInt16),
    f(1, "hardware_version", B::UInt8),
});

// --- device_info (23) --------------------------------------------------------------------
constexpr auto device_info_product_subs = std::to_array<SubFieldDef>({
    sub("garmin_product", 2, 1, 1, 0, {}, E::GarminProduct),
    sub("garmin_product", 2, 15, 1, 0, {}, E::GarminProduct),
    sub("garmin_product", 2, 13, 1, 0, {}, E::GarminProduct),
    sub("garmin_product", 2, 89, 1, 0, {}, E::GarminProduct),
    sub("favero_product", 2, 263),
});
constexpr auto device_info_fields = std::to_array<FieldDef>({
    timestamp,
    f(0, "device_index", B::UInt8),
    f(1, "device_type", B::UInt8),
    en(2, "manufacturer", E::Manufacturer, B::UInt16),
    f(3, "serial_number", B::UInt32z),
    f(4, "product", B::UInt16, 1, 0, {}, E::None, {}, device_info_product_subs),
    f(5, "software_version", B::UInt16, 100),
    f(6, "hardware_version", B::UInt8),
    f(7, "cum_operating_time", B::UInt32, 1, 0, "s"),
    f(10, "battery_voltage", B::UInt16, 256, 0, "V"),
    f(11, "battery_status", B::UInt8),
    f(18, "sensor_position", B::Enum),
    f(19, "descriptor", B::String),
    f(20, "ant_transmission_type", B::UInt8z),
    f(21, "ant_device_number", B::UInt16z),
    f(22, "ant_network", B::Enum),
    f(25, "source_type", B::Enum),
    f(27, "product_name", B::String),
});

// --- event (21) --------------------------------------------------------------------------
constexpr auto event_data16_components = std::to_array<ComponentDef>({{3, 16, 1, 0, false}});
constexpr auto event_data_subs = std::to_array<SubFieldDef>({
    sub("timer_trigger", 0, 0, 1, 0, {}, E::TimerTrigger),
    sub("course_point_index", 0, 10),
    sub("battery_level", 0, 11, 1000, 0, "V"),
    sub("virtual_partner_speed", 0, 12, 1000, 0, "m/s"),
    sub("hr_high_alert", 0, 13, 1, 0, "bpm"),
    sub("hr_low_alert", 0, 14, 1, 0, "bpm"),
    sub("speed_high_alert", 0, 15, 1000, 0, "m/s"),
    sub("speed_low_alert", 0, 16, 1000, 0, "m/s"),
    sub("cad_high_alert", 0, 17, 1, 0, "rpm"),
    sub("cad_low_alert", 0, 18, 1, 0, "rpm"),
    sub("power_high_alert", 0, 19, 1, 0, "watts"),
    sub("power_low_alert", 0, 20, 1, 0, "watts"),
    sub("time_duration_alert", 0, 23, 1000, 0, "s"),
    sub("distance_duration_alert", 0, 24, 100, 0, "m"),
    sub("calorie_duration_alert", 0, 25, 1, 0, "calories"),
    sub("sport_point", 0, 33),
});
constexpr auto event_fields = std::to_array<FieldDef>({
    timestamp,
    en(0, "event", E::Event),
    en(1, "event_type", E::EventType),
    f(2, "data16", B::UInt16, 1, 0, {}, E::None, event_data16_components),
    f(3, "data", B::UInt32, 1, 0, {}, E::None, {}, event_data_subs),
    f(4, "event_group", B::UInt8),
    f(7, "score", B::UInt16),
    f(8, "opponent_score", B::UInt16),
    f(9, "front_gear_num", B::UInt8z),
    f(10, "front_gear", B::UInt8z),
    f(11, "rear_gear_num", B::UInt8z),
    f(12, "rear_gear", B::UInt8z),
    f(13, "device_index", B::UInt8),
});

// --- record (20) -------------------------------------------------------------------------
constexpr auto record_altitude_components = std::to_array<ComponentDef>({{78, 16, 5, 500, false}});
constexpr auto record_speed_components = std::to_array<ComponentDef>({{73, 16, 1000, 0, false}});
// 12 bits of speed (1/100 m/s) then 12 bits of distance (1/16 m, accumulated over rollover).
constexpr auto record_csd_components = std::to_array<ComponentDef>({
    {6, 12, 100, 0, false},
    {5, 12, 16, 0, true},
});
constexpr auto record_cycles_components = std::to_array<ComponentDef>({{19, 8, 1, 0, true}});
constexpr auto record_cap_components = std::to_array<ComponentDef>({{29, 16, 1, 0, true}});
constexpr auto record_fields = std::to_array<FieldDef>({
    timestamp,
    f(0, "position_lat", B::SInt32, 1, 0, "semicircles"),
    f(1, "position_long", B::SInt32, 1, 0, "semicircles"),
    f(2, "altitude", B::UInt16, 5, 500, "m", E::None, record_altitude_components),
    f(3, "heart_rate", B::UInt8, 1, 0, "bpm"),
    f(4, "cadence", B::UInt8, 1, 0, "rpm"),
    f(5, "distance", B::UInt32, 100, 0, "m"),
    f(6, "speed", B::UInt16, 1000, 0, "m/s", E::None, record_speed_components),
    f(7, "power", B::UInt16, 1, 0, "watts"),
    f(8, "compressed_speed_distance", B::Byte, 1, 0, {}, E::None, record_csd_components),
    f(9, "grade", B::SInt16, 100, 0, "%"),
    f(10, "resistance", B::UInt8),
    f(11, "time_from_course", B::SInt32, 1000, 0, "s"),
    f(12, "cycle_length", B::UInt8, 100, 0, "m"),
    f(13, "temperature", B::SInt8, 1, 0, "C"),
    f(17, "speed_1s", B::UInt8, 16, 0, "m/s"),
    f(18, "cycles", B::UInt8, 1, 0, "cycles", E::None, record_cycles_components),
    f(19, "total_cycles", B::UInt32, 1, 0, "cycles"),
    f(28, "compressed_accumulated_power", B::UInt16, 1, 0, "watts", E::None, record_cap_components),
    f(29, "accumulated_power", B::UInt32, 1, 0, "watts"),
    f(30, "left_right_balance", B::UInt8),
    f(31, "gps_accuracy", B::UInt8, 1, 0, "m"),
    f(32, "vertical_speed", B::SInt16, 1000, 0, "m/s"),
    f(33, "calories", B::UInt16, 1, 0, "kcal"),
    f(39, "vertical_oscillation", B::UInt16, 10, 0, "mm"),
    f(40, "stance_time_percent", B::UInt16, 100, 0, "percent"),
    f(41, "stance_time", B::UInt16, 10, 0, "ms"),
    f(42, "activity_type", B::Enum),
    f(43, "left_torque_effectiveness", B::UInt8, 2, 0, "percent"),
    f(44, "right_torque_effectiveness", B::UInt8, 2, 0, "percent"),
    f(45, "left_pedal_smoothness", B::UInt8, 2, 0, "percent"),
    f(46, "right_pedal_smoothness", B::UInt8, 2, 0, "percent"),
    f(47, "combined_pedal_smoothness", B::UInt8, 2, 0, "percent"),
    f(48, "time128", B::UInt8, 128, 0, "s"),
    f(49, "stroke_type", B::Enum),
    f(50, "zone", B::UInt8),
    f(51, "ball_speed", B::UInt16, 100, 0, "m/s"),
    f(52, "cadence256", B::UInt16, 256, 0, "rpm"),
    f(53, "fractional_cadence", B::UInt8, 128, 0, "rpm"),
    f(54, "total_hemoglobin_conc", B::UInt16, 100, 0, "g/dL"),
    f(57, "saturated_hemoglobin_percent", B::UInt16, 10, 0, "%"),
    f(62, "device_index", B::UInt8),
    f(67, "left_pco", B::SInt8, 1, 0, "mm"),
    f(68, "right_pco", B::SInt8, 1, 0, "mm"),
    f(69, "left_power_phase", B::UInt8, 0.7111111, 0, "degrees"),
    f(70, "left_power_phase_peak", B::UInt8, 0.7111111, 0, "degrees"),
    f(71, "right_power_phase", B::UInt8, 0.7111111, 0, "degrees"),
    f(72, "right_power_phase_peak", B::UInt8, 0.7111111, 0, "degrees"),
    f(73, "enhanced_speed", B::UInt32, 1000, 0, "m/s"),
    f(78, "enhanced_altitude", B::UInt32, 5, 500, "m"),
    f(81, "battery_soc", B::UInt8, 2, 0, "percent"),
    f(82, "motor_power", B::UInt16, 1, 0, "watts"),
    f(83, "vertical_ratio", B::UInt16, 100, 0, "percent"),
    f(84, "stance_time_balance", B::UInt16, 100, 0, "percent"),
    f(85, "step_length", B::UInt16, 10, 0, "mm"),
    f(87, "cycle_length16", B::UInt16, 100, 0, "m"),
    f(91, "absolute_pressure", B::UInt32, 1, 0, "Pa"),
    f(92, "depth", B::UInt32, 1000, 0, "m"),
    f(99, "respiration_rate", B::UInt8, 1, 0, "breaths/min"),
    f(108, "enhanced_respiration_rate", B::UInt16, 100, 0, "Breaths/min"),
    f(114, "grit", B::Float32),
    f(115, "flow", B::Float32),
});

// --- lap (19) and session (18) share many summary fields -----------------------------------
constexpr auto lap_avg_speed_c = std::to_array<ComponentDef>({{110, 16, 1000, 0, false}});
constexpr auto lap_max_speed_c = std::to_array<ComponentDef>({{111, 16, 1000, 0, false}});
constexpr auto lap_avg_alt_c = std::to_array<ComponentDef>({{112, 16, 5, 500, false}});
constexpr auto lap_min_alt_c = std::to_array<ComponentDef>({{113, 16, 5, 500, false}});
constexpr auto lap_max_alt_c = std::to_array<ComponentDef>({{114, 16, 5, 500, false}});
// total_cycles is strides for running/walking and strokes for cycling/swimming/rowing/SUP,
// keyed on the message's sport field (lap 25, session 5).
constexpr auto lap_total_cycles_subs = std::to_array<SubFieldDef>({
    sub("total_strides", 25, 1, 1, 0, "strides"),
    sub("total_strides", 25, 11, 1, 0, "strides"),
    sub("total_strokes", 25, 2, 1, 0, "strokes"),
    sub("total_strokes", 25, 5, 1, 0, "strokes"),
    sub("total_strokes", 25, 15, 1, 0, "strokes"),
    sub("total_strokes", 25, 37, 1, 0, "strokes"),
});
constexpr auto lap_avg_cadence_subs = std::to_array<SubFieldDef>({
    sub("avg_running_cadence", 25, 1, 1, 0, "strides/min"),
});
constexpr auto lap_max_cadence_subs = std::to_array<SubFieldDef>({
    sub("max_running_cadence", 25, 1, 1, 0, "strides/min"),
});
constexpr auto lap_fields = std::to_array<FieldDef>({
    timestamp,
    message_index,
    en(0, "event", E::Event),
    en(1, "event_type", E::EventType),
    f(2, "start_time", B::UInt32, 1, 0, "s"),
    f(3, "start_position_lat", B::SInt32, 1, 0, "semicircles"),
    f(4, "start_position_long", B::SInt32, 1, 0, "semicircles"),
    f(5, "end_position_lat", B::SInt32, 1, 0, "semicircles"),
    f(6, "end_position_long", B::SInt32, 1, 0, "semicircles"),
    f(7, "total_elapsed_time", B::UInt32, 1000, 0, "s"),
    f(8, "total_timer_time", B::UInt32, 1000, 0, "s"),
    f(9, "total_distance", B::UInt32, 100, 0, "m"),
    f(10, "total_cycles", B::UInt32, 1, 0, "cycles", E::None, {}, lap_total_cycles_subs),
    f(11, "total_calories", B::UInt16, 1, 0, "kcal"),
    f(12, "total_fat_calories", B::UInt16, 1, 0, "kcal"),
    f(13, "avg_speed", B::UInt16, 1000, 0, "m/s", E::None, lap_avg_speed_c),
    f(14, "max_speed", B::UInt16, 1000, 0, "m/s", E::None, lap_max_speed_c),
    f(15, "avg_heart_rate", B::UInt8, 1, 0, "bpm"),
    f(16, "max_heart_rate", B::UInt8, 1, 0, "bpm"),
    f(17, "avg_cadence", B::UInt8, 1, 0, "rpm", E::None, {}, lap_avg_cadence_subs),
    f(18, "max_cadence", B::UInt8, 1, 0, "rpm", E::None, {}, lap_max_cadence_subs),
    f(19, "avg_power", B::UInt16, 1, 0, "watts"),
    f(20, "max_power", B::UInt16, 1, 0, "watts"),
    f(21, "total_ascent", B::UInt16, 1, 0, "m"),
    f(22, "total_descent", B::UInt16, 1, 0, "m"),
    en(23, "intensity", E::Intensity),
    en(24, "lap_trigger", E::LapTrigger),
    en(25, "sport", E::Sport),
    f(26, "event_group", B::UInt8),
    f(32, "num_lengths", B::UInt16, 1, 0, "lengths"),
    f(33, "normalized_power", B::UInt16, 1, 0, "watts"),
    f(34, "left_right_balance", B::UInt16),
    f(35, "first_length_index", B::UInt16),
    f(37, "avg_stroke_distance", B::UInt16, 100, 0, "m"),
    en(38, "swim_stroke", E::SwimStroke),
    en(39, "sub_sport", E::SubSport),
    f(40, "num_active_lengths", B::UInt16, 1, 0, "lengths"),
    f(41, "total_work", B::UInt32, 1, 0, "J"),
    f(42, "avg_altitude", B::UInt16, 5, 500, "m", E::None, lap_avg_alt_c),
    f(43, "max_altitude", B::UInt16, 5, 500, "m", E::None, lap_max_alt_c),
    f(44, "gps_accuracy", B::UInt8, 1, 0, "m"),
    f(45, "avg_grade", B::SInt16, 100, 0, "%"),
    f(50, "avg_temperature", B::SInt8, 1, 0, "C"),
    f(51, "max_temperature", B::SInt8, 1, 0, "C"),
    f(52, "total_moving_time", B::UInt32, 1000, 0, "s"),
    f(57, "time_in_hr_zone", B::UInt32, 1000, 0, "s"),
    f(58, "time_in_speed_zone", B::UInt32, 1000, 0, "s"),
    f(59, "time_in_cadence_zone", B::UInt32, 1000, 0, "s"),
    f(60, "time_in_power_zone", B::UInt32, 1000, 0, "s"),
    f(61, "repetition_num", B::UInt16),
    f(62, "min_altitude", B::UInt16, 5, 500, "m", E::None, lap_min_alt_c),
    f(63, "min_heart_rate", B::UInt8, 1, 0, "bpm"),
    f(71, "wkt_step_index", B::UInt16),
    f(75, "stroke_count", B::UInt16, 1, 0, "counts"),
    f(77, "avg_vertical_oscillation", B::UInt16, 10, 0, "mm"),
    f(78, "avg_stance_time_percent", B::UInt16, 100, 0, "percent"),
    f(79, "avg_stance_time", B::UInt16, 10, 0, "ms"),
    f(80, "avg_fractional_cadence", B::UInt8, 128, 0, "rpm"),
    f(81, "max_fractional_cadence", B::UInt8, 128, 0, "rpm"),
    f(82, "total_fractional_cycles", B::UInt8, 128, 0, "cycles"),
    f(110, "enhanced_avg_speed", B::UInt32, 1000, 0, "m/s"),
    f(111, "enhanced_max_speed", B::UInt32, 1000, 0, "m/s"),
    f(112, "enhanced_avg_altitude", B::UInt32, 5, 500, "m"),
    f(113, "enhanced_min_altitude", B::UInt32, 5, 500, "m"),
    f(114, "enhanced_max_altitude", B::UInt32, 5, 500, "m"),
    f(119, "avg_vertical_ratio", B::UInt16, 100, 0, "percent"),
    f(120, "avg_stance_time_balance", B::UInt16, 100, 0, "percent"),
    f(121, "avg_step_length", B::UInt16, 10, 0, "mm"),
});

constexpr auto ses_avg_speed_c = std::to_array<ComponentDef>({{124, 16, 1000, 0, false}});
constexpr auto ses_max_speed_c = std::to_array<ComponentDef>({{125, 16, 1000, 0, false}});
constexpr auto ses_avg_alt_c = std::to_array<ComponentDef>({{126, 16, 5, 500, false}});
constexpr auto ses_min_alt_c = std::to_array<ComponentDef>({{127, 16, 5, 500, false}});
constexpr auto ses_max_alt_c = std::to_array<ComponentDef>({{128, 16, 5, 500, false}});
constexpr auto ses_total_cycles_subs = std::to_array<SubFieldDef>({
    sub("total_strides", 5, 1, 1, 0, "strides"),
    sub("total_strides", 5, 11, 1, 0, "strides"),
    sub("total_strokes", 5, 2, 1, 0, "strokes"),
    sub("total_strokes", 5, 5, 1, 0, "strokes"),
    sub("total_strokes", 5, 15, 1, 0, "strokes"),
    sub("total_strokes", 5, 37, 1, 0, "strokes"),
});
constexpr auto ses_avg_cadence_subs = std::to_array<SubFieldDef>({
    sub("avg_running_cadence", 5, 1, 1, 0, "strides/min"),
});
constexpr auto ses_max_cadence_subs = std::to_array<SubFieldDef>({
    sub("max_running_cadence", 5, 1, 1, 0, "strides/min"),
});
constexpr auto session_fields = std::to_array<FieldDef>({
    timestamp,
    message_index,
    en(0, "event", E::Event),
    en(1, "event_type", E::EventType),
    f(2, "start_time", B::UInt32, 1, 0, "s"),
    f(3, "start_position_lat", B::SInt32, 1, 0, "semicircles"),
    f(4, "start_position_long", B::SInt32, 1, 0, "semicircles"),
    en(5, "sport", E::Sport),
    en(6, "sub_sport", E::SubSport),
    f(7, "total_elapsed_time", B::UInt32, 1000, 0, "s"),
    f(8, "total_timer_time", B::UInt32, 1000, 0, "s"),
    f(9, "total_distance", B::UInt32, 100, 0, "m"),
    f(10, "total_cycles", B::UInt32, 1, 0, "cycles", E::None, {}, ses_total_cycles_subs),
    f(11, "total_calories", B::UInt16, 1, 0, "kcal"),
    f(13, "total_fat_calories", B::UInt16, 1, 0, "kcal"),
    f(14, "avg_speed", B::UInt16, 1000, 0, "m/s", E::None, ses_avg_speed_c),
    f(15, "max_speed", B::UInt16, 1000, 0, "m/s", E::None, ses_max_speed_c),
    f(16, "avg_heart_rate", B::UInt8, 1, 0, "bpm"),
    f(17, "max_heart_rate", B::UInt8, 1, 0, "bpm"),
    f(18, "avg_cadence", B::UInt8, 1, 0, "rpm", E::None, {}, ses_avg_cadence_subs),
    f(19, "max_cadence", B::UInt8, 1, 0, "rpm", E::None, {}, ses_max_cadence_subs),
    f(20, "avg_power", B::UInt16, 1, 0, "watts"),
    f(21, "max_power", B::UInt16, 1, 0, "watts"),
    f(22, "total_ascent", B::UInt16, 1, 0, "m"),
    f(23, "total_descent", B::UInt16, 1, 0, "m"),
    f(24, "total_training_effect", B::UInt8, 10),
    f(25, "first_lap_index", B::UInt16),
    f(26, "num_laps", B::UInt16),
    f(27, "event_group", B::UInt8),
    en(28, "trigger", E::SessionTrigger),
    f(29, "nec_lat", B::SInt32, 1, 0, "semicircles"),
    f(30, "nec_long", B::SInt32, 1, 0, "semicircles"),
    f(31, "swc_lat", B::SInt32, 1, 0, "semicircles"),
    f(32, "swc_long", B::SInt32, 1, 0, "semicircles"),
    f(33, "num_lengths", B::UInt16, 1, 0, "lengths"),
    f(34, "normalized_power", B::UInt16, 1, 0, "watts"),
    f(35, "training_stress_score", B::UInt16, 10, 0, "tss"),
    f(36, "intensity_factor", B::UInt16, 1000, 0, "if"),
    f(37, "left_right_balance", B::UInt16),
    f(38, "end_position_lat", B::SInt32, 1, 0, "semicircles"),
    f(39, "end_position_long", B::SInt32, 1, 0, "semicircles"),
    f(41, "avg_stroke_count", B::UInt32, 10, 0, "strokes/lap"),
    f(42, "avg_stroke_distance", B::UInt16, 100, 0, "m"),
    en(43, "swim_stroke", E::SwimStroke),
    f(44, "pool_length", B::UInt16, 100, 0, "m"),
    f(45, "threshold_power", B::UInt16, 1, 0, "watts"),
    en(46, "pool_length_unit", E::DisplayMeasure),
    f(47, "num_active_lengths", B::UInt16, 1, 0, "lengths"),
    f(48, "total_work", B::UInt32, 1, 0, "J"),
    f(49, "avg_altitude", B::UInt16, 5, 500, "m", E::None, ses_avg_alt_c),
    f(50, "max_altitude", B::UInt16, 5, 500, "m", E::None, ses_max_alt_c),
    f(51, "gps_accuracy", B::UInt8, 1, 0, "m"),
    f(52, "avg_grade", B::SInt16, 100, 0, "%"),
    f(53, "avg_pos_grade", B::SInt16, 100, 0, "%"),
    f(54, "avg_neg_grade", B::SInt16, 100, 0, "%"),
    f(55, "max_pos_grade", B::SInt16, 100, 0, "%"),
    f(56, "max_neg_grade", B::SInt16, 100, 0, "%"),
    f(57, "avg_temperature", B::SInt8, 1, 0, "C"),
    f(58, "max_temperature", B::SInt8, 1, 0, "C"),
    f(59, "total_moving_time", B::UInt32, 1000, 0, "s"),
    f(60, "avg_pos_vertical_speed", B::SInt16, 1000, 0, "m/s"),
    f(61, "avg_neg_vertical_speed", B::SInt16, 1000, 0, "m/s"),
    f(62, "max_pos_vertical_speed", B::SInt16, 1000, 0, "m/s"),
    f(63, "max_neg_vertical_speed", B::SInt16, 1000, 0, "m/s"),
    f(64, "min_heart_rate", B::UInt8, 1, 0, "bpm"),
    f(65, "time_in_hr_zone", B::UInt32, 1000, 0, "s"),
    f(66, "time_in_speed_zone", B::UInt32, 1000, 0, "s"),
    f(67, "time_in_cadence_zone", B::UInt32, 1000, 0, "s"),
    f(68, "time_in_power_zone", B::UInt32, 1000, 0, "s"),
    f(69, "avg_lap_time", B::UInt32, 1000, 0, "s"),
    f(70, "best_lap_index", B::UInt16),
    f(71, "min_altitude", B::UInt16, 5, 500, "m", E::None, ses_min_alt_c),
    f(85, "stroke_count", B::UInt16, 1, 0, "counts"),
    f(89, "avg_vertical_oscillation", B::UInt16, 10, 0, "mm"),
    f(90, "avg_stance_time_percent", B::UInt16, 100, 0, "percent"),
    f(91, "avg_stance_time", B::UInt16, 10, 0, "ms"),
    f(92, "avg_fractional_cadence", B::UInt8, 128, 0, "rpm"),
    f(93, "max_fractional_cadence", B::UInt8, 128, 0, "rpm"),
    f(94, "total_fractional_cycles", B::UInt8, 128, 0, "cycles"),
    f(110, "sport_profile_name", B::String),
    f(111, "sport_index", B::UInt8),
    f(112, "time_standing", B::UInt32, 1000, 0, "s"),
    f(113, "stand_count", B::UInt16),
    f(124, "enhanced_avg_speed", B::UInt32, 1000, 0, "m/s"),
    f(125, "enhanced_max_speed", B::UInt32, 1000, 0, "m/s"),
    f(126, "enhanced_avg_altitude", B::UInt32, 5, 500, "m"),
    f(127, "enhanced_min_altitude", B::UInt32, 5, 500, "m"),
    f(128, "enhanced_max_altitude", B::UInt32, 5, 500, "m"),
    f(132, "avg_vertical_ratio", B::UInt16, 100, 0, "percent"),
    f(133, "avg_stance_time_balance", B::UInt16, 100, 0, "percent"),
    f(134, "avg_step_length", B::UInt16, 10, 0, "mm"),
    f(137, "total_anaerobic_training_effect", B::UInt8, 10),
    f(183, "jump_count", B::UInt16),
    f(186, "avg_grit", B::Float32),
    f(187, "avg_flow", B::Float32),
});

// --- length (101), activity (34), sport (12) ----------------------------------------------
constexpr auto length_fields = std::to_array<FieldDef>({
    timestamp,
    message_index,
    en(0, "event", E::Event),
    en(1, "event_type", E::EventType),
    f(2, "start_time", B::UInt32, 1, 0, "s"),
    f(3, "total_elapsed_time", B::UInt32, 1000, 0, "s"),
    f(4, "total_timer_time", B::UInt32, 1000, 0, "s"),
    f(5, "total_strokes", B::UInt16, 1, 0, "strokes"),
    f(6, "avg_speed", B::UInt16, 1000, 0, "m/s"),
    en(7, "swim_stroke", E::SwimStroke),
    f(9, "avg_swimming_cadence", B::UInt8, 1, 0, "strokes/min"),
    f(10, "event_group", B::UInt8),
    f(11, "total_calories", B::UInt16, 1, 0, "kcal"),
    en(12, "length_type", E::LengthType),
    f(20, "stroke_count", B::UInt16, 1, 0, "counts"),
});
constexpr auto activity_fields = std::to_array<FieldDef>({
    timestamp,
    f(0, "total_timer_time", B::UInt32, 1000, 0, "s"),
    f(1, "num_sessions", B::UInt16),
    en(2, "type", E::ActivityType),
    en(3, "event", E::Event),
    en(4, "event_type", E::EventType),
    f(5, "local_timestamp", B::UInt32, 1, 0, "s"),
    f(6, "event_group", B::UInt8),
});
constexpr auto sport_fields = std::to_array<FieldDef>({
    en(0, "sport", E::Sport),
    en(1, "sub_sport", E::SubSport),
    f(3, "name", B::String),
});

// --- developer data (207, 206) ------------------------------------------------------------
constexpr auto developer_data_id_fields = std::to_array<FieldDef>({
    f(0, "developer_id", B::Byte),
    f(1, "application_id", B::Byte),
    en(2, "manufacturer_id", E::Manufacturer, B::UInt16),
    f(3, "developer_data_index", B::UInt8),
    f(4, "application_version", B::UInt32),
});
constexpr auto field_description_fields = std::to_array<FieldDef>({
    f(0, "developer_data_index", B::UInt8),
    f(1, "field_definition_number", B::UInt8),
    f(2, "fit_base_type_id", B::UInt8),
    f(3, "field_name", B::String),
    f(4, "array", B::UInt8),
    f(5, "components", B::String),
    f(6, "scale", B::UInt8),
    f(7, "offset", B::SInt8),
    f(8, "units", B::String),
    f(9, "bits", B::String),
    f(10, "accumulate", B::String),
    f(13, "fit_base_unit_id", B::UInt16),
    f(14, "native_mesg_num", B::UInt16),
    f(15, "native_field_num", B::UInt8),
});

// --- hrv (78), hr (132), user and zones ----------------------------------------------------
constexpr auto hrv_fields = std::to_array<FieldDef>({f(0, "time", B::UInt16, 1000, 0, "s")});
constexpr auto hr_time256_c = std::to_array<ComponentDef>({{0, 8, 256, 0, false}});
// event_timestamp_12 packs eight 12-bit event times (1/1024 s) that accumulate.
constexpr auto hr_event_timestamp_12_c = std::to_array<ComponentDef>({
    {9, 12, 1024, 0, true},
    {9, 12, 1024, 0, true},
    {9, 12, 1024, 0, true},
    {9, 12, 1024, 0, true},
    {9, 12, 1024, 0, true},
    {9, 12, 1024, 0, true},
    {9, 12, 1024, 0, true},
    {9, 12, 1024, 0, true},
});
constexpr auto hr_fields = std::to_array<FieldDef>({
    timestamp,
    f(0, "fractional_timestamp", B::UInt16, 32768, 0, "s"),
    f(1, "time256", B::UInt8, 256, 0, "s", E::None, hr_time256_c),
    f(6, "filtered_bpm", B::UInt8, 1, 0, "bpm"),
    f(9, "event_timestamp", B::UInt32, 1024, 0, "s"),
    f(10, "event_timestamp_12", B::Byte, 1, 0, {}, E::None, hr_event_timestamp_12_c),
});
constexpr auto user_profile_fields = std::to_array<FieldDef>({
    message_index,
    f(0, "friendly_name", B::String),
    en(1, "gender", E::Gender),
    f(2, "age", B::UInt8, 1, 0, "years"),
    f(3, "height", B::UInt8, 100, 0, "m"),
    f(4, "weight", B::UInt16, 10, 0, "kg"),
    f(5, "language", B::Enum),
    f(6, "elev_setting", B::Enum),
    f(7, "weight_setting", B::Enum),
    f(8, "resting_heart_rate", B::UInt8, 1, 0, "bpm"),
    f(9, "default_max_running_heart_rate", B::UInt8, 1, 0, "bpm"),
    f(10, "default_max_biking_heart_rate", B::UInt8, 1, 0, "bpm"),
    f(11, "default_max_heart_rate", B::UInt8, 1, 0, "bpm"),
    f(12, "hr_setting", B::Enum),
    f(13, "speed_setting", B::Enum),
    f(14, "dist_setting", B::Enum),
    f(16, "power_setting", B::Enum),
    f(31, "user_running_step_length", B::UInt16, 1000, 0, "m"),
    f(32, "user_walking_step_length", B::UInt16, 1000, 0, "m"),
});
constexpr auto zones_target_fields = std::to_array<FieldDef>({
    f(1, "max_heart_rate", B::UInt8, 1, 0, "bpm"),
    f(2, "threshold_heart_rate", B::UInt8, 1, 0, "bpm"),
    f(3, "functional_threshold_power", B::UInt16, 1, 0, "watts"),
    f(5, "hr_calc_type", B::Enum),
    f(7, "pwr_calc_type", B::Enum),
});
constexpr auto hr_zone_fields = std::to_array<FieldDef>({
    message_index,
    f(1, "high_bpm", B::UInt8, 1, 0, "bpm"),
    f(2, "name", B::String),
});
constexpr auto power_zone_fields = std::to_array<FieldDef>({
    message_index,
    f(1, "high_value", B::UInt16, 1, 0, "watts"),
    f(2, "name", B::String),
});
constexpr auto time_in_zone_fields = std::to_array<FieldDef>({
    timestamp,
    f(0, "reference_mesg", B::UInt16),
    f(1, "reference_index", B::UInt16),
    f(2, "time_in_hr_zone", B::UInt32, 1000, 0, "s"),
    f(3, "time_in_speed_zone", B::UInt32, 1000, 0, "s"),
    f(4, "time_in_cadence_zone", B::UInt32, 1000, 0, "s"),
    f(5, "time_in_power_zone", B::UInt32, 1000, 0, "s"),
    f(6, "hr_zone_high_boundary", B::UInt8, 1, 0, "bpm"),
    f(7, "speed_zone_high_boundary", B::UInt16, 1000, 0, "m/s"),
    f(8, "cadence_zone_high_bondary", B::UInt8, 1, 0, "rpm"),
    f(9, "power_zone_high_boundary", B::UInt16, 1, 0, "watts"),
    f(10, "hr_calc_type", B::Enum),
    f(11, "max_heart_rate", B::UInt8, 1, 0, "bpm"),
    f(12, "resting_heart_rate", B::UInt8, 1, 0, "bpm"),
    f(13, "threshold_heart_rate", B::UInt8, 1, 0, "bpm"),
    f(14, "pwr_calc_type", B::Enum),
    f(15, "functional_threshold_power", B::UInt16, 1, 0, "watts"),
});

// --- split (312), jump (285) --------------------------------------------------------------
constexpr auto split_fields = std::to_array<FieldDef>({
    message_index,
    f(0, "split_type", B::Enum),
    f(1, "total_elapsed_time", B::UInt32, 1000, 0, "s"),
    f(2, "total_timer_time", B::UInt32, 1000, 0, "s"),
    f(3, "total_distance", B::UInt32, 100, 0, "m"),
    f(4, "avg_speed", B::UInt32, 1000, 0, "m/s"),
    f(9, "start_time", B::UInt32, 1, 0, "s"),
    f(13, "total_ascent", B::UInt16, 1, 0, "m"),
    f(14, "total_descent", B::UInt16, 1, 0, "m"),
    f(21, "start_position_lat", B::SInt32, 1, 0, "semicircles"),
    f(22, "start_position_long", B::SInt32, 1, 0, "semicircles"),
    f(23, "end_position_lat", B::SInt32, 1, 0, "semicircles"),
    f(24, "end_position_long", B::SInt32, 1, 0, "semicircles"),
    f(25, "max_speed", B::UInt32, 1000, 0, "m/s"),
    f(26, "avg_vert_speed", B::SInt32, 1000, 0, "m/s"),
    f(27, "end_time", B::UInt32, 1, 0, "s"),
    f(28, "total_calories", B::UInt32, 1, 0, "kcal"),
});
constexpr auto jump_speed_c = std::to_array<ComponentDef>({{8, 16, 1000, 0, false}});
constexpr auto jump_fields = std::to_array<FieldDef>({
    timestamp,
    f(0, "distance", B::Float32, 1, 0, "m"),
    f(1, "height", B::Float32, 1, 0, "m"),
    f(2, "rotations", B::UInt8),
    f(3, "hang_time", B::Float32, 1, 0, "s"),
    f(4, "score", B::Float32),
    f(5, "position_lat", B::SInt32, 1, 0, "semicircles"),
    f(6, "position_long", B::SInt32, 1, 0, "semicircles"),
    f(7, "speed", B::UInt16, 1000, 0, "m/s", E::None, jump_speed_c),
    f(8, "enhanced_speed", B::UInt32, 1000, 0, "m/s"),
});

constexpr auto messages = std::to_array<MessageDef>({
    {mesg::file_id, "file_id", file_id_fields},
    {mesg::user_profile, "user_profile", user_profile_fields},
    {mesg::zones_target, "zones_target", zones_target_fields},
    {mesg::hr_zone, "hr_zone", hr_zone_fields},
    {mesg::power_zone, "power_zone", power_zone_fields},
    {mesg::sport, "sport", sport_fields},
    {mesg::session, "session", session_fields},
    {mesg::lap, "lap", lap_fields},
    {mesg::record, "record", record_fields},
    {mesg::event, "event", event_fields},
    {mesg::device_info, "device_info", device_info_fields},
    {mesg::activity, "activity", activity_fields},
    {mesg::file_creator, "file_creator", file_creator_fields},
    {mesg::hrv, "hrv", hrv_fields},
    {mesg::length, "length", length_fields},
    {132, "hr", hr_fields},
    {mesg::field_description, "field_description", field_description_fields},
    {mesg::developer_data_id, "developer_data_id", developer_data_id_fields},
    {mesg::time_in_zone, "time_in_zone", time_in_zone_fields},
    {285, "jump", jump_fields},
    {mesg::split, "split", split_fields},
    {mesg::capabilities, "capabilities", {}},
    {mesg::device_settings, "device_settings", {}},
});

} // namespace

const MessageDef* find_message(std::uint16_t global_number) {
    for (const auto& m : messages) {
        if (m.number == global_number) {
            return &m;
        }
    }
    return nullptr;
}

const FieldDef* find_field(const MessageDef& message, std::uint8_t field_number) {
    for (const auto& field : message.fields) {
        if (field.number == field_number) {
            return &field;
        }
    }
    return nullptr;
}

const FieldDef* find_field(std::uint16_t global_number, std::uint8_t field_number) {
    const MessageDef* message = find_message(global_number);
    return message != nullptr ? find_field(*message, field_number) : nullptr;
}

std::optional<std::uint8_t> field_number(std::uint16_t global_number, std::string_view name) {
    const MessageDef* message = find_message(global_number);
    if (message == nullptr) {
        return std::nullopt;
    }
    for (const auto& field : message->fields) {
        if (field.name == name) {
            return field.number;
        }
    }
    return std::nullopt;
}

std::optional<std::uint16_t> message_number(std::string_view name) {
    for (const auto& m : messages) {
        if (m.name == name) {
            return m.number;
        }
    }
    return std::nullopt;
}

std::string_view enum_name(EnumType type, std::uint32_t value) {
    for (const auto& entry : enum_table(type)) {
        if (entry.value == value) {
            return entry.name;
        }
    }
    return {};
}

std::optional<std::uint32_t> enum_value(EnumType type, std::string_view name) {
    for (const auto& entry : enum_table(type)) {
        if (entry.name == name) {
            return entry.value;
        }
    }
    return std::nullopt;
}

} // namespace hearth::formats::fit
