#pragma once

// Sensor sample types shared by the engine's algorithms.
//
// Time comes from the samples: `t_ms` is milliseconds on the caller's monotonic clock (the
// watch's uptime, or seconds-from-start of a recording times 1000). Algorithms never read a
// clock. Rates may be irregular; every algorithm resamples or tolerates jitter as it documents.

#include <cstdint>

namespace hearth::engine {

using TimeMs = std::int64_t;

// Accelerometer, m/s^2 in the device frame (gravity included).
struct AccelSample {
    TimeMs t_ms = 0;
    float x = 0.0F;
    float y = 0.0F;
    float z = 0.0F;
};

// Gyroscope, rad/s in the device frame.
struct GyroSample {
    TimeMs t_ms = 0;
    float x = 0.0F;
    float y = 0.0F;
    float z = 0.0F;
};

// Magnetometer, microtesla.
struct MagSample {
    TimeMs t_ms = 0;
    float x = 0.0F;
    float y = 0.0F;
    float z = 0.0F;
};

// One photoplethysmogram reading, arbitrary units (larger = more light absorbed or reflected,
// as the sensor reports it; algorithms must not depend on the sign convention).
struct PpgSample {
    TimeMs t_ms = 0;
    float value = 0.0F;
};

// One electrocardiogram reading, arbitrary units (typically millivolts).
struct EcgSample {
    TimeMs t_ms = 0;
    float value = 0.0F;
};

// Barometric pressure, hPa.
struct PressureSample {
    TimeMs t_ms = 0;
    float hpa = 0.0F;
};

// A heart rate already computed by a device, beats per minute.
struct HeartRateSample {
    TimeMs t_ms = 0;
    float bpm = 0.0F;
};

// A movement index for one epoch (any non-negative scale), as some devices export instead of
// raw acceleration. `t_ms` is the start of the epoch.
struct ActivityCountSample {
    TimeMs t_ms = 0;
    float count = 0.0F;
};

} // namespace hearth::engine
