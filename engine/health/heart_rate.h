#pragma once

// Heart rate from wrist photoplethysmography (PPG) during motion, using a 3-axis accelerometer as
// a reference for the motion artefacts.
//
// Method: spectral tracking in the spirit of TROIKA (Zhang, Pi, Liu, IEEE TBME 2015) and WFPV
// (Temko, IEEE TBME 2017): every 2 s, the last 8 s of PPG and acceleration (resampled to 25 Hz,
// band-passed to 0.5-4 Hz) are Fourier-transformed; spectral lines shared with the
// accelerometer are suppressed by a Wiener-like gain, and the heart-rate line is tracked with a
// prior centred on the previous estimate, with re-acquisition when the track is lost. Details,
// latency and accuracy: docs/heart-rate.md.
//
// Causal: the estimate for the window ending at t uses only samples before t.
// Memory: fixed, no heap; see `sizeof(HeartRateEstimator)` in docs/heart-rate.md. Not
// thread-safe. Input rates 25-500 Hz (any rate works; below 25 Hz the pulse harmonics are lost).

#include <array>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "base/fixed_queue.h"
#include "base/quality.h"
#include "base/samples.h"
#include "dsp/biquad.h"
#include "health/hr_resampler.h"
#include "health/hr_spectrum.h"

namespace hearth::engine::health {

struct HeartRateConfig {
    // Heart rates the tracker may report, beats/min. Must lie within hr_spectrum's band
    // (30-240 BPM) with min_bpm < max_bpm.
    float min_bpm = 40.0F;
    float max_bpm = 220.0F;
    // Largest plausible change between two estimates 2 s apart, beats/min.
    float max_step_bpm = 12.0F;
    // Band-passed acceleration (RMS of the vector, m/s^2) above which a window is flagged Motion
    // and the accelerometer spectrum is used to suppress artefacts.
    float motion_rms_ms2 = 0.6F;
    // A PPG spectrum whose strongest line is less than this many times its mean power (about 5
    // for white noise, 0 for a flat line) carries no pulse: the window is flagged NoContact and
    // the previous estimate is held.
    float no_contact_peakiness = 6.0F;
    // After this long without contact the tracker forgets its estimate and re-acquires.
    TimeMs reacquire_after_ms = 20000;

    [[nodiscard]] bool validate() const;
};

struct HeartRateEstimate {
    TimeMs t_ms = 0; // end of the 8 s window the estimate describes
    float bpm = 0.0F;
    Quality quality = Quality::Good;
};

// Which PPG channel a block of samples belongs to (many watches have two LEDs/photodiodes).
enum class PpgChannel : std::uint8_t { First, Second };

class HeartRateEstimator {
public:
    static constexpr TimeMs window_ms = 8000;
    static constexpr TimeMs step_ms = 2000;
    static constexpr std::size_t queue_capacity = 8;

    // Precondition: config.validate(); an invalid config is replaced by the defaults.
    explicit HeartRateEstimator(const HeartRateConfig& config = {});

    // Samples of each stream in time order (out-of-order samples are dropped). Streams should
    // be pushed interleaved in blocks of at most a few seconds: a window is computed once the
    // first PPG channel, the accelerometer and the second PPG channel (if it has ever been
    // pushed) all reach its end; a stream that lags the first PPG channel by more than 2 s is
    // left out of the window. The clock starts at the first
    // sample of any stream: the first estimate is for t = that time + 8 s, then every 2 s.
    void push_ppg(std::span<const PpgSample> samples, PpgChannel channel = PpgChannel::First);
    void push_accel(std::span<const AccelSample> samples);

    // End of input (e.g. the end of a recording): the samples still waiting for a later one to
    // close their 40 ms bin are used as they are, and every window they complete is computed,
    // with whatever accelerometer data there is. Pushing may continue afterwards.
    void flush();

    // The oldest estimate not yet pulled. Holds up to queue_capacity; older ones are dropped.
    std::optional<HeartRateEstimate> pull();

    void reset();

    [[nodiscard]] const HeartRateConfig& config() const { return m_config; }

private:
    static constexpr std::size_t ppg_channels = 2;
    static constexpr std::size_t accel_axes = 3;
    static constexpr std::size_t ring_bins = 256; // > window + tolerated lag, power of two
    static constexpr std::int64_t max_accel_lag_bins = 50;

    // One band-passed stream on the 25 Hz grid, the last ring_bins bins of it.
    struct Channel {
        dsp::BiquadState high;
        dsp::BiquadState low;
        std::array<float, ring_bins> ring{};
        float offset = 0.0F; // first value, subtracted so that the high-pass starts settled
        bool has_offset = false;
    };

    [[nodiscard]] std::optional<std::int64_t> bin_of(TimeMs t_ms);
    void store(Channel& ch, std::int64_t bin, float value);
    void process_ready_windows(bool final = false);
    void process_window(std::int64_t end_bin, bool with_accel, bool second);
    void load_pair(const Channel& a, const Channel* b, std::int64_t end_bin);
    void restart_after_gap(std::int64_t bin);

    HeartRateConfig m_config;
    dsp::BiquadCoeffs m_high;
    dsp::BiquadCoeffs m_low;

    std::optional<TimeMs> m_origin_ms;
    std::array<HrResampler<1>, ppg_channels> m_ppg_resampler;
    HrResampler<accel_axes> m_accel_resampler;
    std::array<Channel, ppg_channels> m_ppg;
    std::array<Channel, accel_axes> m_accel;
    std::array<std::int64_t, ppg_channels> m_ppg_next_bin{}; // bins before these are stored
    std::int64_t m_accel_next_bin = 0;
    std::int64_t m_next_window_end_bin = static_cast<std::int64_t>(hr_window_bins);

    HrTracker m_tracker;
    TimeMs m_last_contact_ms = 0;

    // Work space for one window, kept as members so that the stack stays small on the watch.
    std::array<std::complex<float>, hr_fft_size> m_fft{};
    std::array<float, hr_band_bins> m_ppg_power{};
    std::array<float, hr_band_bins> m_ppg2_power{};
    std::array<float, hr_band_bins> m_accel_power{};
    std::array<float, hr_band_bins> m_work_power{};
    std::array<float, hr_band_bins> m_raw_power{};

    FixedQueue<HeartRateEstimate, queue_capacity> m_out;
};

} // namespace hearth::engine::health
