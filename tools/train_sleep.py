#!/usr/bin/python3
"""Trains the per-epoch sleep stage models of engine/health/sleep_stager.

Data: Walch et al., "Sleep stage prediction with raw acceleration and photoplethysmography
heart rate data derived from a consumer wearable device", SLEEP 2019 (the converted copy under
shared/data/sleep/walch2019). Features follow that paper's ideas (movement smoothed over
several time scales, heart rate relative to the night and its local variability, a "clock"
proxy for the time of night, and the hours from the start and to the end of the recording, capped
at 2 h, because people are awake when they put the watch on and take it off) and are computed exactly as sleep_epoch_features() in
sleep_stager.cpp does. Two multinomial/binary logistic regressions: wake/NREM/REM, and deep
(n3) versus light (n1+n2) within NREM.

Usage: tools/train_sleep.py DATA_DIR > engine/health/sleep_model.h
Prints leave-one-night-out metrics (each night is a different subject) on stderr.
"""
import glob
import os
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression

EPOCH_S = 30.0
# Added to the wake/NREM/REM log-odds: the classes are unbalanced (wake ~10 % of epochs) and
# missing wake costs wake specificity; chosen on leave-one-night-out results, not per night.
CLASS_BIAS = np.array([1.2, 0.0, 0.3])


def gaussian(x, sigma):
    half = int(3 * sigma)
    k = np.exp(-0.5 * (np.arange(-half, half + 1) / sigma) ** 2)
    k /= k.sum()
    n = len(x)
    out = np.zeros(n)
    for j, w in zip(range(-half, half + 1), k):
        out += w * x[np.clip(np.arange(n) + j, 0, n - 1)]
    return out


def percentile(x, q):
    return float(np.percentile(x, q)) if len(x) else 0.0


def epoch_features(t_s, hr, activity):
    n = int(np.floor(t_s.max() / EPOCH_S)) + 1
    hr_sum = np.zeros(n)
    hr_n = np.zeros(n)
    act = np.full(n, np.nan)
    for t, h, a in zip(t_s, hr, activity):
        if np.isfinite(h):
            k = int(np.floor(t / EPOCH_S))
            hr_sum[k] += h
            hr_n[k] += 1
        if np.isfinite(a):
            # A movement index is stamped with its epoch's start, give or take clock jitter.
            k = int(np.floor(t / EPOCH_S + 0.5))
            if 0 <= k < n:
                act[k] = a
    have = hr_n > 0
    idx = np.arange(n)
    if have.any():
        hr_ep = np.interp(idx, idx[have], hr_sum[have] / hr_n[have])
    else:
        hr_ep = np.zeros(n)
    measured = act[np.isfinite(act)]
    scale = percentile(measured, 90)
    if scale <= 0:
        scale = measured.max() if len(measured) else 0.0
    if scale <= 0:
        scale = 1.0
    an = np.log1p(10.0 * np.where(np.isfinite(act), act, 0.0) / scale)
    med = np.median(hr_ep)
    sd = hr_ep.std() + 1e-3
    hz = (hr_ep - med) / sd
    hp = hz - gaussian(hz, 10)
    frac = idx / n
    return np.stack([an, gaussian(an, 2), gaussian(an, 10), gaussian(an, 30), hz,
                     gaussian(hz, 5), gaussian(hz, 20), np.sqrt(gaussian(hp * hp, 5)),
                     np.sqrt(gaussian(hp * hp, 20)), frac, np.cos(2 * np.pi * frac),
                     np.minimum(idx * EPOCH_S / 3600.0, 2.0),
                     np.minimum((n - 1 - idx) * EPOCH_S / 3600.0, 2.0), gaussian(hz, 60)], 1)


STAGES = {"wake": (0, -1), "n1": (1, 0), "n2": (1, 0), "n3": (1, 1), "rem": (2, -1)}


def load(data_dir):
    nights = {}
    for ref_path in sorted(glob.glob(os.path.join(data_dir, "*.ref.csv"))):
        name = os.path.basename(ref_path)[: -len(".ref.csv")]
        a = np.genfromtxt(os.path.join(data_dir, name + ".csv"), delimiter=",", names=True)
        r = np.genfromtxt(ref_path, delimiter=",", names=True, dtype=None, encoding=None)
        hr = a["hr"] if "hr" in a.dtype.names else np.full(len(a), np.nan)
        act = a["activity"] if "activity" in a.dtype.names else np.full(len(a), np.nan)
        x = epoch_features(a["t_s"], hr, act)
        k = np.floor(r["start_s"] / EPOCH_S).astype(int)
        ok = k < len(x)
        y3 = np.array([STAGES[s][0] for s in r["stage"]])[ok]
        deep = np.array([STAGES[s][1] for s in r["stage"]])[ok]
        nights[name] = (x[k[ok]], y3, deep)
    return nights


def fit(nights, names):
    x = np.vstack([nights[n][0] for n in names])
    y = np.concatenate([nights[n][1] for n in names])
    deep = np.concatenate([nights[n][2] for n in names])
    mean = x.mean(0)
    scale = x.std(0) + 1e-6
    z = (x - mean) / scale
    stage = LogisticRegression(max_iter=5000).fit(z, y)
    nrem = deep >= 0
    # Deep is ~20 % of NREM; a mild weight makes the predicted deep share match the reference
    # (leave-one-night-out), so that the night summary's deep minutes are about right.
    depth = LogisticRegression(max_iter=5000, class_weight={0: 1.0, 1: 1.5})
    depth = depth.fit(z[nrem], deep[nrem])
    return mean, scale, stage, depth


def predict(model, x):
    mean, scale, stage, depth = model
    z = (x - mean) / scale
    y = (stage.decision_function(z) + CLASS_BIAS).argmax(1)
    return y, depth.decision_function(z) > 0


def kappa(y, p, k):
    c = np.zeros((k, k))
    for a, b in zip(y, p):
        c[a, b] += 1
    n = c.sum()
    po = np.trace(c) / n
    pe = (c.sum(0) * c.sum(1)).sum() / n / n
    return (po - pe) / (1 - pe)


def main():
    nights = load(sys.argv[1])
    names = sorted(nights)
    ys, ps, deep_true, deep_pred = [], [], [], []
    for held in names:
        model = fit(nights, [n for n in names if n != held])
        p, deep = predict(model, nights[held][0])
        ys.append(nights[held][1])
        ps.append(p)
        deep_true.append(nights[held][2] == 1)
        deep_pred.append((p == 1) & deep)
    y = np.concatenate(ys)
    p = np.concatenate(ps)
    dt = np.concatenate(deep_true)
    dp = np.concatenate(deep_pred)
    print(f"leave-one-night-out deep (n3): {dt.mean():.3f} of epochs in the reference, "
          f"{dp.mean():.3f} predicted, recall {np.mean(dp[dt]):.3f}, precision "
          f"{np.mean(dt[dp]):.3f}", file=sys.stderr)
    print(f"leave-one-night-out: sleep/wake accuracy {np.mean((y == 0) == (p == 0)):.3f}, "
          f"wake specificity {np.mean(p[y == 0] == 0):.3f}, wake/NREM/REM accuracy "
          f"{np.mean(y == p):.3f}, kappa {kappa(y, p, 3):.3f}", file=sys.stderr)
    mean, scale, stage, depth = fit(nights, names)
    fmt = lambda v: ", ".join(f"{float(e):.6g}F" for e in v)
    print("#pragma once")
    print()
    print("// Generated by tools/train_sleep.py from the Walch et al. 2019 sleep data set; do not")
    print("// edit. Logistic regressions over the standardised features of")
    print("// sleep_epoch_features(): wake/NREM/REM (plus a class bias), and deep versus light.")
    print()
    print("#include <array>")
    print("#include <cstddef>")
    print()
    print("namespace hearth::engine::health::sleep_model {")
    print()
    print(f"inline constexpr std::size_t feature_count = {len(mean)};")
    print(f"inline constexpr std::array<float, feature_count> feature_mean{{{fmt(mean)}}};")
    print(f"inline constexpr std::array<float, feature_count> feature_scale{{{fmt(scale)}}};")
    print("inline constexpr std::array<std::array<float, feature_count>, 3> stage_weights{{")
    for w in stage.coef_:
        print(f"    {{{fmt(w)}}},")
    print("}};")
    print(f"inline constexpr std::array<float, 3> stage_bias{{{fmt(stage.intercept_ + CLASS_BIAS)}}};")
    print(f"inline constexpr std::array<float, feature_count> deep_weights{{{fmt(depth.coef_[0])}}};")
    print(f"inline constexpr float deep_bias = {float(depth.intercept_[0]):.6g}F;")
    print()
    print("} // namespace hearth::engine::health::sleep_model")


if __name__ == "__main__":
    main()
