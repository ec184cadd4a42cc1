#!/usr/bin/python3
"""Train the activity classifier and export it as engine/health/activity_model.h.

Features come from the engine itself (`hearth activity --features FILE.csv`), so training and
inference share one implementation. Training data (see ../shared/data/README.md):
  - activity/wisdm2019-watch  WISDM 2019 smartwatch, dominant wrist (Weiss et al., IEEE Access
                              2019), CC BY 4.0
  - activity/dsads-arm        UCI Daily and Sports Activities, right upper arm (Barshan & Altun),
                              CC BY 4.0
  - swim/brunner2019          pool swims, wrist (Brunner et al., ISWC 2019): windows inside
                              the reference lengths become "swimming" examples. The data's
                              licence does not allow shipping it; only derived weights ship.

Evaluation is leave-one-subject-out over all 13 subjects (a subject's windows are never in the
training set that scores them), with the same fixed-lag HMM smoothing as the engine
(ActivityClassifier). That number predicts held-out accuracy and is what docs/steps-activity.md
reports.

The forests use only the scale-free features (MODEL_FEATURES): absolute amplitudes (std, range,
jerk of |a|, |w| levels) differ between people, devices and placements (upper arm vs wrist), and
dropping them raised the held-out score (docs/steps-activity.md).

Usage: /usr/bin/python3 tools/train_activity.py --hearth build/act3/apps/hearth
"""

import argparse
import os
import subprocess
import sys
from io import StringIO

import numpy as np
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.metrics import f1_score

CLASSES = ["still", "walking", "running", "stairs", "cycling", "swimming", "other"]
SWIM_STYLES = {"freestyle", "breaststroke", "backstroke", "butterfly"}
FIRST_GYRO_FEATURE = "gyro_mean"  # activity_accel_feature_count: the features before it
# ActivityClassifierConfig: smoothing_lag_windows, and the HMM's constants in
# activity_classifier.cpp (stay probability, emission floor).
SMOOTHING_LAG = 6
HMM_STAY = 0.98
HMM_FLOOR = 0.02
# Features the forests read (by name; the engine computes all of them). The ones left out scale
# with the movement's amplitude in m/s^2 or rad/s: mag_mean, mag_std, mag_range, mag_iqr,
# mag_jerk, vec_jerk, vert_std, horiz_mean, horiz_std, gyro_mean, gyro_std, gyro_p90.
# log_energy stays: it separates still from moving, and a log is shifted, not stretched, by a
# gain. LOSO (3 seeds, extra trees, lag-3 HMM) WISDM / DSADS: all 29 features 0.840 / 0.785,
# these 17 0.875 / 0.785.
MODEL_FEATURES = ["mag_skew", "mag_kurt", "gravity_stability", "tilt_change", "log_energy",
                  "dom_freq", "dom_fraction", "band0", "band1", "band2", "band3", "band4",
                  "acf_peak", "acf_lag", "vert_acf_peak", "gyro_dom_freq", "gyro_acf_peak"]
# Sized for the watch (both forests ~61 KB of flash): 8 trees x <= 256 leaves. Extremely
# randomised trees (Geurts, Ernst & Wehenkel, Machine Learning 2006) held out better than a
# random forest of the same size (LOSO 3-seed means in docs/steps-activity.md).
FOREST = dict(n_estimators=8, max_leaf_nodes=256, min_samples_leaf=3, class_weight="balanced",
              max_features="sqrt", random_state=7, n_jobs=2)


def read_features(hearth, csv_path, cache_dir):
    """Window times, gyro flags, features and the feature names (from the CSV header)."""
    cache = os.path.join(cache_dir, csv_path.replace("/", "_") + ".npz")
    if os.path.exists(cache) and os.path.getmtime(cache) > os.path.getmtime(hearth):
        d = np.load(cache)
        return d["times"], d["gyro"], d["x"], list(d["names"])
    out = subprocess.run([hearth, "activity", "--features", csv_path], check=True,
                         capture_output=True, text=True).stdout
    names = out.split("\n", 1)[0].strip().split(",")[3:]
    data = np.genfromtxt(StringIO(out), delimiter=",", skip_header=1, ndmin=2)
    if data.size == 0:
        data = np.zeros((0, 3 + len(names)))
    times, gyro, x = data[:, :2], data[:, 2], data[:, 3:].astype(np.float32)
    np.savez(cache, times=times, gyro=gyro, x=x, names=np.array(names))
    return times, gyro, x, names


def read_reference(path):
    segs = []
    with open(path) as f:
        next(f)
        for line in f:
            a, b, label = line.strip().split(",")
            segs.append((float(a), float(b), label))
    return segs


def label_windows(times, segs, swim):
    """Label of the segment holding at least 80 % of each window, else None."""
    labels = []
    for start, end in times:
        best = None
        for a, b, label in segs:
            overlap = min(end, b) - max(start, a)
            if overlap >= 0.8 * (end - start):
                best = label
                break
        if best is not None and swim:
            best = "swimming" if best in SWIM_STYLES else None
        labels.append(best)
    return labels


def load_sets(hearth, data_dir, cache_dir):
    """Rows of (set, subject, recording, times, gyro, x, y)."""
    recs = []
    for set_name, folder, swim in [("wisdm", "activity/wisdm2019-watch", False),
                                   ("dsads", "activity/dsads-arm", False),
                                   ("swim", "swim/brunner2019", True)]:
        path = os.path.join(data_dir, folder)
        if not os.path.isdir(path):
            print(f"missing {path}", file=sys.stderr)
            continue
        for name in sorted(os.listdir(path)):
            if not name.endswith(".csv") or name.endswith(".ref.csv"):
                continue
            base = name[:-4]
            ref = os.path.join(path, base + ".ref.csv")
            if not os.path.exists(ref):
                continue
            times, gyro, x, names = read_features(hearth, os.path.join(path, name), cache_dir)
            labels = label_windows(times, read_reference(ref), swim)
            keep = np.array([l is not None for l in labels], dtype=bool)
            y = np.array([CLASSES.index(l) if l is not None else -1 for l in labels])
            subject = base.split("_")[0]
            recs.append(dict(set=set_name, subject=f"{set_name}:{subject}", name=base,
                             times=times, gyro=gyro, x=x, y=y, keep=keep, names=names))
            print(f"{set_name} {base}: {keep.sum()} labelled windows", file=sys.stderr)
    return recs


def smooth(probs):
    """Fixed-lag HMM smoothing as in ActivityClassifier: a sticky Markov chain over the classes
    (stay HMM_STAY, the rest spread evenly), the forest's probabilities + HMM_FLOOR as emission
    likelihoods, forward filtering, and each window decided with the SMOOTHING_LAG windows
    after it (fewer at the end of a recording)."""
    n, k = probs.shape
    trans = np.full((k, k), (1.0 - HMM_STAY) / (k - 1))
    np.fill_diagonal(trans, HMM_STAY)
    emis = probs + HMM_FLOOR
    fwd = np.empty_like(probs)
    a = np.full(k, 1.0 / k)
    for i in range(n):
        a = (a @ trans) * emis[i]
        a /= a.sum()
        fwd[i] = a
    out = np.empty_like(probs)
    for i in range(n):
        b = np.ones(k)
        for j in range(min(n - 1, i + SMOOTHING_LAG), i, -1):
            b = trans @ (emis[j] * b)
            b /= b.sum()
        out[i] = fwd[i] * b / (fwd[i] * b).sum()
    return out


def forest_probs(model, x):
    p = np.zeros((len(x), len(CLASSES)))
    if len(x):
        p[:, model.classes_] = model.predict_proba(x)
    return p


def loso(recs, cols):
    """Leave-one-subject-out window predictions after smoothing; macro F1 per set."""
    subjects = sorted({r["subject"] for r in recs})
    results = {}
    for held in subjects:
        train = [r for r in recs if r["subject"] != held]
        xt = np.vstack([r["x"][r["keep"]][:, cols] for r in train])
        yt = np.concatenate([r["y"][r["keep"]] for r in train])
        model = ExtraTreesClassifier(**FOREST).fit(xt, yt)
        for r in recs:
            if r["subject"] != held:
                continue
            p = smooth(forest_probs(model, r["x"][:, cols]))
            results[r["name"]] = (r["set"], r["y"][r["keep"]], p.argmax(axis=1)[r["keep"]])
    report = {}
    for set_name in sorted({v[0] for v in results.values()}):
        y = np.concatenate([v[1] for v in results.values() if v[0] == set_name])
        p = np.concatenate([v[2] for v in results.values() if v[0] == set_name])
        present = sorted(set(y.tolist()))
        f1 = f1_score(y, p, labels=present, average="macro")
        per = f1_score(y, p, labels=present, average=None)
        report[set_name] = (f1, {CLASSES[c]: round(float(v), 3) for c, v in zip(present, per)})
    return report


def feature_scales(x):
    """Per-feature factor that maps the training range into int16 (thresholds are stored as
    floor(threshold * scale)); a power of two, so feature * scale is exact in float."""
    top = np.maximum(np.abs(x).max(axis=0), 1e-6)
    return np.exp2(np.floor(np.log2(32000.0 / top)))


def quantise(th, scale):
    return int(np.clip(np.floor(th * scale), -32768, 32767))


def export_forest(model, prefix, scales, cols):
    """Internal nodes only, 8 bytes each: int16 threshold bin, uint8 feature, uint8 flags
    (bit 0: left child is a leaf, bit 1: right child is a leaf), uint16 left, uint16 right
    (node index, or leaf index when the flag is set). Leaves: class shares x255. `cols` maps
    the model's inputs to the engine's feature indices."""
    nodes, roots, leaves = [], [], []
    for est in model.estimators_:
        t = est.tree_
        index = {}

        def leaf_of(i):
            v = np.zeros(len(CLASSES))
            v[model.classes_] = t.value[i][0]
            v = v / max(v.sum(), 1e-12)
            leaves.append(np.round(v * 255).astype(int))
            return len(leaves) - 1

        if t.children_left[0] < 0:
            # A single-leaf tree: a node whose both children are that leaf.
            leaf = leaf_of(0)
            roots.append(len(nodes))
            nodes.append([0, 0, 3, leaf, leaf])
            continue
        order = [i for i in range(t.node_count) if t.children_left[i] >= 0]
        for i in order:
            index[i] = len(nodes) + len(index)
        roots.append(index[0])
        for i in order:
            f = int(cols[int(t.feature[i])])
            node = [quantise(float(t.threshold[i]), scales[f]), f, 0, 0, 0]
            for side, child in ((0, int(t.children_left[i])), (1, int(t.children_right[i]))):
                if t.children_left[child] < 0:
                    node[2] |= 1 << side
                    node[3 + side] = leaf_of(child)
                else:
                    node[3 + side] = index[child]
            nodes.append(node)
    assert len(nodes) < 65536 and len(leaves) < 65536, "indices are 16-bit"
    lines = [f"inline constexpr std::array<Node, {len(nodes)}> {prefix}_nodes = {{{{"]
    for th, f, flags, l, r in nodes:
        lines.append(f"    {{{th}, {f}, {flags}, {l}, {r}}},")
    lines.append("}};")
    lines.append(f"inline constexpr std::array<std::uint16_t, {len(roots)}> {prefix}_roots = {{")
    lines.append("    " + ", ".join(str(r) for r in roots) + ",")
    lines.append("};")
    lines.append(f"inline constexpr std::array<std::array<std::uint8_t, {len(CLASSES)}>, "
                 f"{len(leaves)}> {prefix}_leaves = {{{{")
    for q in leaves:
        lines.append("    {" + ", ".join(str(int(v)) for v in q) + "},")
    lines.append("}};")
    return "\n".join(lines), len(nodes), len(leaves)


def float_literal(x):
    """The largest float32 <= x."""
    f = np.float32(x)
    if float(f) > x:
        f = np.nextafter(f, np.float32(-np.inf))
    return repr(float(f)) + "F"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hearth", default="build/motion/apps/hearth")
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--out", default="engine/health/activity_model.h")
    ap.add_argument("--cache", default="build/activity-features")
    ap.add_argument("--no-export", action="store_true", help="only report the LOSO scores")
    args = ap.parse_args()
    os.makedirs(args.cache, exist_ok=True)
    recs = load_sets(args.hearth, args.data, args.cache)
    # Recordings with gyro in every window train the gyro forest; all train the accel forest.
    names = [str(n) for n in recs[0]["names"]]
    first_gyro = names.index(FIRST_GYRO_FEATURE)
    cols_all = [names.index(n) for n in MODEL_FEATURES]
    variants = {"gyro": cols_all, "accel": [c for c in cols_all if c < first_gyro]}
    summary = []
    for name, cols in variants.items():
        rep = loso(recs, cols)
        for set_name, (f1, per) in rep.items():
            line = f"LOSO {name}: {set_name} macro F1 {f1:.3f} {per}"
            print(line)
            summary.append(line)
    if args.no_export:
        return
    scales = feature_scales(np.vstack([r["x"] for r in recs]))
    parts = [f"inline constexpr std::array<float, {len(scales)}> feature_scale = {{",
             "    " + ", ".join(float_literal(float(v)) for v in scales) + ",", "};"]
    sizes = []
    for name, cols in variants.items():
        x = np.vstack([r["x"][r["keep"]][:, cols] for r in recs])
        y = np.concatenate([r["y"][r["keep"]] for r in recs])
        model = ExtraTreesClassifier(**FOREST).fit(x, y)
        text, n_nodes, n_leaves = export_forest(model, name, scales, cols)
        parts.append(text)
        sizes.append(f"{name}: {len(model.estimators_)} trees, {n_nodes} nodes, {n_leaves} leaves")
    header = [
        "#pragma once",
        "",
        "// GENERATED by tools/train_activity.py; do not edit. Extra-trees forests over the features",
        "// of health/activity_features.h (WISDM 2019 wrist, UCI DSADS arm, Brunner 2019 swims).",
        "// Node (internal only): go left when features[feature] * feature_scale[feature] <=",
        "// threshold (int16 bins); flags bit 0 / bit 1: the left / right index is a leaf, whose",
        "// class shares (x255, order of health::Activity) are leaves[index].",
    ]
    header += [f"// {s}" for s in sizes]
    # One paragraph per line so that clang-format wraps but never merges them.
    for s in summary:
        header += ["//", f"// {s}"]
    header += [
        "",
        "#include <array>",
        "#include <cstdint>",
        "",
        "namespace hearth::engine::health::activity_model {",
        "",
        "struct Node {",
        "    std::int16_t threshold;",
        "    std::uint8_t feature;",
        "    std::uint8_t flags;",
        "    std::uint16_t left;",
        "    std::uint16_t right;",
        "};",
        "static_assert(sizeof(Node) == 8);",
        "",
        "// clang-format off",
    ]
    footer = ["// clang-format on", "", "} // namespace hearth::engine::health::activity_model",
              ""]
    with open(args.out, "w") as f:
        f.write("\n".join(header + parts + footer))
    # Keep the generated header in the project's style (long comment lines get wrapped).
    try:
        subprocess.run(["clang-format", "-i", args.out], check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"clang-format not run: {e}", file=sys.stderr)
    print(f"wrote {args.out}: {'; '.join(sizes)}")


if __name__ == "__main__":
    main()
