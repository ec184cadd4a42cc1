#include "health/activity_features.h"

#include <algorithm>
#include <cmath>
#include <complex>

#include "dsp/fft.h"

namespace hearth::engine::health {

const std::array<const char*, activity_feature_count> activity_feature_names = {
    "mag_mean",    "mag_std",    "mag_range", "mag_iqr",       "mag_skew",      "mag_kurt",
    "mag_jerk",    "vec_jerk",   "vert_std",  "horiz_mean",    "horiz_std",     "gravity_stability",
    "tilt_change", "log_energy", "dom_freq",  "dom_fraction",  "band0",         "band1",
    "band2",       "band3",      "band4",     "acf_peak",      "acf_lag",       "vert_acf_peak",
    "gyro_mean",   "gyro_std",   "gyro_p90",  "gyro_dom_freq", "gyro_acf_peak",
};

namespace {

constexpr std::size_t fft_size = 128;
static_assert(fft_size >= activity_window_samples);
constexpr float rate_hz = static_cast<float>(activity_rate_hz);

using Window = std::array<float, activity_window_samples>;

float mean_of(std::span<const float> x) {
    float sum = 0.0F;
    for (const float v : x) {
        sum += v;
    }
    return x.empty() ? 0.0F : sum / static_cast<float>(x.size());
}

// Percentile by linear interpolation over a sorted copy; q in [0, 1].
float percentile_sorted(std::span<const float> sorted, float q) {
    if (sorted.empty()) {
        return 0.0F;
    }
    const float pos = q * static_cast<float>(sorted.size() - 1);
    const auto lo = static_cast<std::size_t>(pos);
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    const float w = pos - static_cast<float>(lo);
    return sorted[lo] + w * (sorted[hi] - sorted[lo]);
}

struct Spectrum {
    float dom_freq_hz = 0.0F;
    float dom_fraction = 0.0F;
    std::array<float, 5> bands{};
};

// Power spectrum of a zero-mean window, zero-padded to fft_size.
Spectrum spectrum_of(std::span<const float> zero_mean) {
    std::array<float, fft_size> padded{};
    std::copy(zero_mean.begin(), zero_mean.end(), padded.begin());
    std::array<std::complex<float>, fft_size> scratch{};
    std::array<float, fft_size / 2 + 1> power{};
    dsp::power_spectrum(padded, scratch, power);

    constexpr float bin_hz = rate_hz / static_cast<float>(fft_size);
    constexpr std::array<float, 6> edges = {0.3F, 1.0F, 2.0F, 3.5F, 6.0F, 10.01F};
    Spectrum s;
    float total = 0.0F;
    float best = -1.0F;
    std::size_t best_k = 0;
    for (std::size_t k = 1; k < power.size(); ++k) {
        const float f = static_cast<float>(k) * bin_hz;
        if (f < edges.front()) {
            continue;
        }
        total += power[k];
        for (std::size_t b = 0; b < s.bands.size(); ++b) {
            if (f >= edges[b] && f < edges[b + 1]) {
                s.bands[b] += power[k];
            }
        }
        if (f <= 8.0F && power[k] > best) {
            best = power[k];
            best_k = k;
        }
    }
    if (total <= 1e-9F) {
        s.bands = {};
        return s;
    }
    for (float& b : s.bands) {
        b /= total;
    }
    s.dom_freq_hz = static_cast<float>(best_k) * bin_hz;
    float near = 0.0F;
    for (std::size_t k = best_k > 0 ? best_k - 1 : 0; k <= best_k + 1 && k < power.size(); ++k) {
        near += power[k];
    }
    s.dom_fraction = near / total;
    return s;
}

void unit_or_default(float& x, float& y, float& z) {
    const float n = std::sqrt(x * x + y * y + z * z);
    if (n < 1e-3F) {
        x = 0.0F;
        y = 0.0F;
        z = 1.0F;
        return;
    }
    x /= n;
    y /= n;
    z /= n;
}

} // namespace

AutocorrPeak autocorr_peak(std::span<const float> zero_mean, std::size_t min_lag,
                           std::size_t max_lag) {
    constexpr std::size_t max_lags = 128;
    const std::size_t n = zero_mean.size();
    float energy = 0.0F;
    for (const float v : zero_mean) {
        energy += v * v;
    }
    if (energy <= 1e-9F || n < 2 || min_lag >= n) {
        return {};
    }
    max_lag = std::min({max_lag, n - 1, min_lag + max_lags - 1});
    std::array<float, max_lags> r{};
    float best = -1.0F;
    for (std::size_t lag = min_lag; lag <= max_lag; ++lag) {
        float sum = 0.0F;
        for (std::size_t i = 0; i + lag < n; ++i) {
            sum += zero_mean[i] * zero_mean[i + lag];
        }
        // Scale for the shrinking overlap so that long lags are not penalised.
        const float v = sum / energy * static_cast<float>(n) / static_cast<float>(n - lag);
        r[lag - min_lag] = v;
        best = std::max(best, v);
    }
    // A periodic signal peaks at every multiple of its period: take the first peak that is
    // nearly as high as the highest, i.e. the fundamental period.
    const std::size_t count = max_lag - min_lag + 1;
    for (std::size_t k = 0; k < count; ++k) {
        const bool rising = k == 0 || r[k] >= r[k - 1];
        const bool falling = k + 1 == count || r[k] >= r[k + 1];
        if (rising && falling && r[k] >= 0.9F * best) {
            return {r[k], min_lag + k};
        }
    }
    return {};
}

ActivityFeatures compute_activity_features(std::span<const float> ax, std::span<const float> ay,
                                           std::span<const float> az,
                                           std::span<const float> gyro_magnitude) {
    ActivityFeatures out;
    const std::size_t n = std::min({ax.size(), ay.size(), az.size(), activity_window_samples});
    if (n < 8) {
        return out;
    }
    auto set = [&out](ActivityFeature f, float v) {
        out.values[static_cast<std::size_t>(f)] = std::isfinite(v) ? v : 0.0F;
    };
    const float nf = static_cast<float>(n);

    Window mag{};
    float gx = 0.0F;
    float gy = 0.0F;
    float gz = 0.0F;
    for (std::size_t i = 0; i < n; ++i) {
        mag[i] = std::sqrt(ax[i] * ax[i] + ay[i] * ay[i] + az[i] * az[i]);
        gx += ax[i];
        gy += ay[i];
        gz += az[i];
    }
    gx /= nf;
    gy /= nf;
    gz /= nf;
    const std::span<const float> m(mag.data(), n);
    const float mag_mean = mean_of(m);
    float var = 0.0F;
    float m3 = 0.0F;
    float m4 = 0.0F;
    Window centred{};
    for (std::size_t i = 0; i < n; ++i) {
        const float d = mag[i] - mag_mean;
        centred[i] = d;
        var += d * d;
        m3 += d * d * d;
        m4 += d * d * d * d;
    }
    var /= nf;
    m3 /= nf;
    m4 /= nf;
    const float sd = std::sqrt(var);
    set(ActivityFeature::MagMean, mag_mean);
    set(ActivityFeature::MagStd, sd);
    // Skewness and kurtosis are meaningless for a still sensor's noise: damp them by the spread.
    const float shape_weight = var / (var + 0.01F);
    set(ActivityFeature::MagSkew, var > 1e-9F ? shape_weight * m3 / (var * sd) : 0.0F);
    set(ActivityFeature::MagKurt, var > 1e-9F ? shape_weight * (m4 / (var * var) - 3.0F) : 0.0F);
    set(ActivityFeature::LogEnergy, std::log(var + 1e-3F));

    Window sorted = mag;
    std::sort(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(n));
    const std::span<const float> srt(sorted.data(), n);
    set(ActivityFeature::MagRange, percentile_sorted(srt, 0.95F) - percentile_sorted(srt, 0.05F));
    set(ActivityFeature::MagIqr, percentile_sorted(srt, 0.75F) - percentile_sorted(srt, 0.25F));

    float mag_jerk = 0.0F;
    float vec_jerk = 0.0F;
    for (std::size_t i = 1; i < n; ++i) {
        mag_jerk += std::fabs(mag[i] - mag[i - 1]);
        const float dx = ax[i] - ax[i - 1];
        const float dy = ay[i] - ay[i - 1];
        const float dz = az[i] - az[i - 1];
        vec_jerk += std::sqrt(dx * dx + dy * dy + dz * dz);
    }
    set(ActivityFeature::MagJerk, mag_jerk * rate_hz / static_cast<float>(n - 1));
    set(ActivityFeature::VecJerk, vec_jerk * rate_hz / static_cast<float>(n - 1));

    // Gravity-aligned components (Mizell 2003): the window mean estimates gravity.
    const float g_norm = std::sqrt(gx * gx + gy * gy + gz * gz);
    set(ActivityFeature::GravityStability, mag_mean > 1e-3F ? g_norm / mag_mean : 0.0F);
    float ux = gx;
    float uy = gy;
    float uz = gz;
    unit_or_default(ux, uy, uz);
    Window vert{};
    Window horiz{};
    for (std::size_t i = 0; i < n; ++i) {
        const float along = ax[i] * ux + ay[i] * uy + az[i] * uz;
        vert[i] = along - g_norm;
        const float hx = ax[i] - along * ux;
        const float hy = ay[i] - along * uy;
        const float hz = az[i] - along * uz;
        horiz[i] = std::sqrt(hx * hx + hy * hy + hz * hz);
    }
    const float vert_mean = mean_of(std::span<const float>(vert.data(), n));
    float vert_var = 0.0F;
    for (std::size_t i = 0; i < n; ++i) {
        vert[i] -= vert_mean;
        vert_var += vert[i] * vert[i];
    }
    set(ActivityFeature::VertStd, std::sqrt(vert_var / nf));
    const float horiz_mean = mean_of(std::span<const float>(horiz.data(), n));
    float horiz_var = 0.0F;
    for (std::size_t i = 0; i < n; ++i) {
        horiz_var += (horiz[i] - horiz_mean) * (horiz[i] - horiz_mean);
    }
    set(ActivityFeature::HorizMean, horiz_mean);
    set(ActivityFeature::HorizStd, std::sqrt(horiz_var / nf));

    // Orientation change within the window.
    const std::size_t half = n / 2;
    std::array<float, 3> first{};
    std::array<float, 3> second{};
    for (std::size_t i = 0; i < n; ++i) {
        auto& acc = i < half ? first : second;
        acc[0] += ax[i];
        acc[1] += ay[i];
        acc[2] += az[i];
    }
    unit_or_default(first[0], first[1], first[2]);
    unit_or_default(second[0], second[1], second[2]);
    const float dot =
        std::clamp(first[0] * second[0] + first[1] * second[1] + first[2] * second[2], -1.0F, 1.0F);
    set(ActivityFeature::TiltChange, std::acos(dot));

    const std::span<const float> c(centred.data(), n);
    const Spectrum spec = spectrum_of(c);
    set(ActivityFeature::DomFreq, spec.dom_freq_hz);
    set(ActivityFeature::DomFraction, spec.dom_fraction);
    set(ActivityFeature::Band0, spec.bands[0]);
    set(ActivityFeature::Band1, spec.bands[1]);
    set(ActivityFeature::Band2, spec.bands[2]);
    set(ActivityFeature::Band3, spec.bands[3]);
    set(ActivityFeature::Band4, spec.bands[4]);

    constexpr std::size_t min_lag = activity_rate_hz / 4;
    constexpr std::size_t max_lag = activity_rate_hz * 5 / 2;
    const AutocorrPeak acf = autocorr_peak(c, min_lag, max_lag);
    set(ActivityFeature::AcfPeak, acf.value);
    set(ActivityFeature::AcfLag, static_cast<float>(acf.lag) / rate_hz);
    set(ActivityFeature::VertAcfPeak,
        autocorr_peak(std::span<const float>(vert.data(), n), min_lag, max_lag).value);

    if (gyro_magnitude.size() == n) {
        const float g_mean = mean_of(gyro_magnitude);
        float g_var = 0.0F;
        Window g_centred{};
        Window g_sorted{};
        for (std::size_t i = 0; i < n; ++i) {
            g_centred[i] = gyro_magnitude[i] - g_mean;
            g_var += g_centred[i] * g_centred[i];
            g_sorted[i] = gyro_magnitude[i];
        }
        std::sort(g_sorted.begin(), g_sorted.begin() + static_cast<std::ptrdiff_t>(n));
        set(ActivityFeature::GyroMean, g_mean);
        set(ActivityFeature::GyroStd, std::sqrt(g_var / nf));
        set(ActivityFeature::GyroP90,
            percentile_sorted(std::span<const float>(g_sorted.data(), n), 0.9F));
        const std::span<const float> gc(g_centred.data(), n);
        set(ActivityFeature::GyroDomFreq, spectrum_of(gc).dom_freq_hz);
        set(ActivityFeature::GyroAcfPeak, autocorr_peak(gc, min_lag, max_lag).value);
    }
    return out;
}

} // namespace hearth::engine::health
