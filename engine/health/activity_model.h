#pragma once
#include <array>
#include <cstdint>
namespace hearth::engine::health::activity_model {
struct Node {
    std::int16_t feature;
    std::uint32_t left;
    std::uint32_t right;
    float threshold;
};
inline constexpr std::array<Node, 1> gyro_nodes = {{{-1, 0, 0, 0.0F}}};
inline constexpr std::array<std::uint32_t, 1> gyro_roots = {0};
inline constexpr std::array<std::array<std::uint8_t, 7>, 1> gyro_leaves = {
    {{0, 0, 0, 0, 0, 0, 255}}};
inline constexpr std::array<Node, 1> accel_nodes = {{{-1, 0, 0, 0.0F}}};
inline constexpr std::array<std::uint32_t, 1> accel_roots = {0};
inline constexpr std::array<std::array<std::uint8_t, 7>, 1> accel_leaves = {
    {{0, 0, 0, 0, 0, 0, 255}}};
} // namespace hearth::engine::health::activity_model
