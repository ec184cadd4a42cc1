#include "health/activity_features.h"

#include <algorithm>
#include <cmath>
#include <complex>

#include "dsp/fft.h"

namespace hearth::engine::health {

const std::array<const char*, activity_feature_count> activity_feature_names = {
    "mag_mean",
    "mag_std",
    "mag_range",
    "mag_iqr",
    "mag_skew",
    "mag_kurt",
    "mag_jerk",
    "vec_jerk",
    "vert_std",
    "horiz_mean",
    "horiz_std",
    "gravity_stability",
    "tilt_change",
    "log_energy",
    "dom_freq",
    "dom_fraction",
    "band0",
    "band1",
    "band2",
    "band3",
    "band4",
    "acf_peak",
    "acf_lag",
    "vert_acf_peak",
    "vert_share",
    "dyn_axis_share",
    "dyn_axis_vert",
    "spec_entropy",
    "spec_centroid",
    "jerk_ratio",
    "vec_jerk_ratio",
    "acf_half",
    "acf_double",
    "vert_dom_freq",
    "gyro_mean",
    "gyro_std",
    "gyro_p90",
    "gyro_dom_freq",
    "gyro_acf_peak",
    "gyro_axis_share",
    "gyro_axis_vert",
    "swing_dom_freq",
    "swing_acf_peak",
    "swing_acf_lag",
    "swing_to_step",
    "gyro_acc_corr",
    "gyro_spec_entropy",
    "gyro_jerk_ratio",
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
    float entropy = 0.0F;     // normalised to 0..1 over the bins in 0.3-10 Hz
    float centroid_hz = 0.0F; // power-weighted mean frequency in 0.3-10 Hz
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
    float weighted = 0.0F;
    std::size_t bins = 0;
    for (std::size_t k = 1; k < power.size(); ++k) {
        const float f = static_cast<float>(k) * bin_hz;
        if (f < edges.front()) {
            continue;
        }
        total += power[k];
        weighted += f * power[k];
        ++bins;
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
    s.centroid_hz = weighted / total;
    float entropy = 0.0F;
    for (std::size_t k = 1; k < power.size(); ++k) {
        const float q = power[k] / total;
        if (static_cast<float>(k) * bin_hz >= edges.front() && q > 1e-12F) {
            entropy -= q * std::log(q);
        }
    }
    s.entropy = bins > 1 ? entropy / std::log(static_cast<float>(bins)) : 0.0F;
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

// Symmetric 3x3 matrix as {xx, yy, zz, xy, xz, yz}.
using Sym3 = std::array<float, 6>;

std::array<float, 3> sym_times(const Sym3& m, const std::array<float, 3>& v) {
    return {m[0] * v[0] + m[3] * v[1] + m[4] * v[2], m[3] * v[0] + m[1] * v[1] + m[5] * v[2],
            m[4] * v[0] + m[5] * v[1] + m[2] * v[2]};
}

struct Axis {
    std::array<float, 3> unit{};
    float share = 0.0F; // largest eigenvalue / trace
};

// Principal eigenvector of a positive semi-definite 3x3 matrix by power iteration, started from
// its largest column (never orthogonal to the principal axis unless the matrix is zero).
Axis principal_axis(const Sym3& m) {
    const float trace = m[0] + m[1] + m[2];
    Axis out;
    if (!(trace > 1e-12F)) {
        return out;
    }
    const std::array<std::array<float, 3>, 3> columns = {
        {{m[0], m[3], m[4]}, {m[3], m[1], m[5]}, {m[4], m[5], m[2]}}};
    std::array<float, 3> v = columns[0];
    float best = 0.0F;
    for (const auto& c : columns) {
        const float n = c[0] * c[0] + c[1] * c[1] + c[2] * c[2];
        if (n > best) {
            best = n;
            v = c;
        }
    }
    for (int it = 0; it < 24; ++it) {
        v = sym_times(m, v);
        const float n = std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        if (!(n > 0.0F)) {
            return out;
        }
        for (float& c : v) {
            c /= n;
        }
    }
    const std::array<float, 3> mv = sym_times(m, v);
    out.unit = v;
    out.share = std::clamp((v[0] * mv[0] + v[1] * mv[1] + v[2] * mv[2]) / trace, 0.0F, 1.0F);
    return out;
}

// Normalised autocorrelation of a zero-mean signal at one lag (0 when out of range or silent).
float autocorr_at(std::span<const float> zero_mean, std::size_t lag) {
    const std::size_t n = zero_mean.size();
    if (lag == 0 || lag >= n) {
        return 0.0F;
    }
    float energy = 0.0F;
    float sum = 0.0F;
    for (std::size_t i = 0; i < n; ++i) {
        energy += zero_mean[i] * zero_mean[i];
        if (i + lag < n) {
            sum += zero_mean[i] * zero_mean[i + lag];
        }
    }
    if (energy <= 1e-9F) {
        return 0.0F;
    }
    return sum / energy * static_cast<float>(n) / static_cast<float>(n - lag);
}

// Mean absolute first difference over the standard deviation, damped for a still sensor.
float jerk_ratio(std::span<const float> x, float sd, float damping) {
    if (x.size() < 2) {
        return 0.0F;
    }
    float sum = 0.0F;
    for (std::size_t i = 1; i < x.size(); ++i) {
        sum += std::fabs(x[i] - x[i - 1]);
    }
    return sum / static_cast<float>(x.size() - 1) / (sd + damping);
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
                                           std::span<const float> az, std::span<const float> gx,
                                           std::span<const float> gy, std::span<const float> gz) {
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
    float mx = 0.0F;
    float my = 0.0F;
    float mz = 0.0F;
    for (std::size_t i = 0; i < n; ++i) {
        mag[i] = std::sqrt(ax[i] * ax[i] + ay[i] * ay[i] + az[i] * az[i]);
        mx += ax[i];
        my += ay[i];
        mz += az[i];
    }
    mx /= nf;
    my /= nf;
    mz /= nf;
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
    const float g_norm = std::sqrt(mx * mx + my * my + mz * mz);
    set(ActivityFeature::GravityStability, mag_mean > 1e-3F ? g_norm / mag_mean : 0.0F);
    float ux = mx;
    float uy = my;
    float uz = mz;
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

    // Dynamic acceleration: its covariance, the share along gravity and on its principal axis.
    Sym3 cov{};
    for (std::size_t i = 0; i < n; ++i) {
        const float dx = ax[i] - mx;
        const float dy = ay[i] - my;
        const float dz = az[i] - mz;
        cov[0] += dx * dx;
        cov[1] += dy * dy;
        cov[2] += dz * dz;
        cov[3] += dx * dy;
        cov[4] += dx * dz;
        cov[5] += dy * dz;
    }
    for (float& v : cov) {
        v /= nf;
    }
    const float dyn_var = cov[0] + cov[1] + cov[2];
    // Damped like the shape features: a still sensor's noise has no meaningful direction.
    const float dyn_weight = dyn_var / (dyn_var + 0.01F);
    set(ActivityFeature::VertShare, dyn_var > 1e-9F ? dyn_weight * vert_var / nf / dyn_var : 0.0F);
    const Axis dyn_axis = principal_axis(cov);
    set(ActivityFeature::DynAxisShare, dyn_weight * dyn_axis.share);
    set(ActivityFeature::DynAxisVert,
        dyn_weight *
            std::fabs(dyn_axis.unit[0] * ux + dyn_axis.unit[1] * uy + dyn_axis.unit[2] * uz));
    set(ActivityFeature::SpecEntropy, spec.entropy);
    set(ActivityFeature::SpecCentroid, spec.centroid_hz);
    set(ActivityFeature::JerkRatio, jerk_ratio(m, sd, 0.05F));
    set(ActivityFeature::VecJerkRatio,
        vec_jerk / static_cast<float>(n - 1) / (std::sqrt(dyn_var) + 0.05F));
    set(ActivityFeature::AcfHalf, acf.lag >= 2 ? autocorr_at(c, acf.lag / 2) : 0.0F);
    set(ActivityFeature::AcfDouble, acf.lag > 0 ? autocorr_at(c, 2 * acf.lag) : 0.0F);
    const std::span<const float> vs(vert.data(), n);
    set(ActivityFeature::VertDomFreq, spectrum_of(vs).dom_freq_hz);

    if (gx.size() != n || gy.size() != n || gz.size() != n) {
        return out;
    }
    Window gyro{};
    Sym3 moment{};
    for (std::size_t i = 0; i < n; ++i) {
        gyro[i] = std::sqrt(gx[i] * gx[i] + gy[i] * gy[i] + gz[i] * gz[i]);
        moment[0] += gx[i] * gx[i];
        moment[1] += gy[i] * gy[i];
        moment[2] += gz[i] * gz[i];
        moment[3] += gx[i] * gy[i];
        moment[4] += gx[i] * gz[i];
        moment[5] += gy[i] * gz[i];
    }
    // The window buffers of |a| (sorted, horizontal component) are free from here on; reusing
    // them keeps the stack of this function near 3 KB on the watch.
    const std::span<const float> gyro_magnitude(gyro.data(), n);
    const float g_mean = mean_of(gyro_magnitude);
    float g_var = 0.0F;
    float cross = 0.0F;
    Window& g_sorted = sorted;
    for (std::size_t i = 0; i < n; ++i) {
        const float d = gyro[i] - g_mean;
        g_var += d * d;
        cross += d * centred[i];
        g_sorted[i] = gyro[i];
    }
    std::sort(g_sorted.begin(), g_sorted.begin() + static_cast<std::ptrdiff_t>(n));
    const float g_sd = std::sqrt(g_var / nf);
    set(ActivityFeature::GyroMean, g_mean);
    set(ActivityFeature::GyroStd, g_sd);
    set(ActivityFeature::GyroP90,
        percentile_sorted(std::span<const float>(g_sorted.data(), n), 0.9F));
    set(ActivityFeature::GyroJerkRatio, jerk_ratio(gyro_magnitude, g_sd, 0.02F));
    for (std::size_t i = 0; i < n; ++i) {
        gyro[i] -= g_mean;
    }
    const std::span<const float> gc(gyro.data(), n);
    const Spectrum g_spec = spectrum_of(gc);
    set(ActivityFeature::GyroDomFreq, g_spec.dom_freq_hz);
    set(ActivityFeature::GyroAcfPeak, autocorr_peak(gc, min_lag, max_lag).value);
    set(ActivityFeature::GyroSpecEntropy, g_spec.entropy);
    set(ActivityFeature::GyroAccCorr,
        g_var > 1e-9F && var > 1e-9F ? cross / (nf * std::sqrt(g_var / nf * var)) : 0.0F);

    // Rotation about one axis (an arm swinging from the shoulder): the signed angular rate on
    // that axis swings at the stride rate, half the step rate that |a| shows.
    const float moment_trace = moment[0] + moment[1] + moment[2];
    const float rot_weight = moment_trace / (moment_trace + 0.01F * nf);
    const Axis rot_axis = principal_axis(moment);
    set(ActivityFeature::GyroAxisShare, rot_weight * rot_axis.share);
    set(ActivityFeature::GyroAxisVert,
        rot_weight *
            std::fabs(rot_axis.unit[0] * ux + rot_axis.unit[1] * uy + rot_axis.unit[2] * uz));
    Window& swing = horiz;
    for (std::size_t i = 0; i < n; ++i) {
        swing[i] = gx[i] * rot_axis.unit[0] + gy[i] * rot_axis.unit[1] + gz[i] * rot_axis.unit[2];
    }
    const float swing_mean = mean_of(std::span<const float>(swing.data(), n));
    for (std::size_t i = 0; i < n; ++i) {
        swing[i] -= swing_mean;
    }
    const std::span<const float> sw(swing.data(), n);
    set(ActivityFeature::SwingDomFreq, spectrum_of(sw).dom_freq_hz);
    const AutocorrPeak swing_acf = autocorr_peak(sw, min_lag, max_lag);
    set(ActivityFeature::SwingAcfPeak, swing_acf.value);
    set(ActivityFeature::SwingAcfLag, static_cast<float>(swing_acf.lag) / rate_hz);
    set(ActivityFeature::SwingToStep,
        acf.lag > 0 ? static_cast<float>(swing_acf.lag) / static_cast<float>(acf.lag) : 0.0F);
    return out;
}

} // namespace hearth::engine::health
