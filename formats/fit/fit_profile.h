#pragma once

// The part of the Garmin FIT global profile (Profile.xlsx of the FIT SDK, version 21.x) that
// Hearth's workout analysis needs: messages, fields with base type, scale, offset, units,
// components and dynamic sub-fields, and the names of the main enums. Hand-written constexpr
// tables in fit_profile.cpp (not generated); numbers and scales are facts from the public
// profile. Anything not listed here still decodes by number with raw values.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "fit/fit_types.h"

namespace hearth::formats::fit {

// Global message numbers used by Hearth.
namespace mesg {
inline constexpr std::uint16_t file_id = 0;
inline constexpr std::uint16_t capabilities = 1;
inline constexpr std::uint16_t device_settings = 2;
inline constexpr std::uint16_t user_profile = 3;
inline constexpr std::uint16_t hrm_profile = 4;
inline constexpr std::uint16_t zones_target = 7;
inline constexpr std::uint16_t hr_zone = 8;
inline constexpr std::uint16_t power_zone = 9;
inline constexpr std::uint16_t sport = 12;
inline constexpr std::uint16_t session = 18;
inline constexpr std::uint16_t lap = 19;
inline constexpr std::uint16_t record = 20;
inline constexpr std::uint16_t event = 21;
inline constexpr std::uint16_t device_info = 23;
inline constexpr std::uint16_t activity = 34;
inline constexpr std::uint16_t file_creator = 49;
inline constexpr std::uint16_t hrv = 78;
inline constexpr std::uint16_t length = 101;
inline constexpr std::uint16_t split = 312;
inline constexpr std::uint16_t field_description = 206;
inline constexpr std::uint16_t developer_data_id = 207;
inline constexpr std::uint16_t time_in_zone = 216;
} // namespace mesg

// Profile enum types with value names.
enum class EnumType : std::uint8_t {
    None,
    File,
    Manufacturer,
    Sport,
    SubSport,
    Event,
    EventType,
    TimerTrigger,
    SwimStroke,
    LengthType,
    LapTrigger,
    SessionTrigger,
    ActivityType,
    DisplayMeasure,
    Gender,
    Intensity,
    GarminProduct,
};

struct EnumValueName {
    std::uint32_t value;
    std::string_view name;
};

// What a profile field expands into: `bits` bits taken from the source field (LSB first),
// scaled into the target field of the same message.
struct ComponentDef {
    std::uint8_t target_field;
    std::uint8_t bits;
    double scale;
    double offset;
    bool accumulate;
};

// A dynamic sub-field: the field is read as `name` when field `ref_field` holds `ref_value`.
struct SubFieldDef {
    std::string_view name;
    std::uint8_t ref_field;
    std::uint32_t ref_value;
    double scale;
    double offset;
    std::string_view units;
    EnumType enum_type;
    std::span<const ComponentDef> components;
};

struct FieldDef {
    std::uint8_t number;
    std::string_view name;
    BaseType base_type;
    double scale;
    double offset;
    std::string_view units;
    EnumType enum_type;
    std::span<const ComponentDef> components;
    std::span<const SubFieldDef> sub_fields;
};

struct MessageDef {
    std::uint16_t number;
    std::string_view name;
    std::span<const FieldDef> fields;
};

// nullptr when the profile does not list it.
const MessageDef* find_message(std::uint16_t global_number);
const FieldDef* find_field(std::uint16_t global_number, std::uint8_t field_number);
const FieldDef* find_field(const MessageDef& message, std::uint8_t field_number);
// By name, e.g. field_number(mesg::session, "total_distance") == 9.
std::optional<std::uint8_t> field_number(std::uint16_t global_number, std::string_view name);
std::optional<std::uint16_t> message_number(std::string_view name);

// "" when the value has no name in the table.
std::string_view enum_name(EnumType type, std::uint32_t value);
std::optional<std::uint32_t> enum_value(EnumType type, std::string_view name);

} // namespace hearth::formats::fit
