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
(ActivityClassifier), repeated over LOSO_SEEDS forest seeds. That number predicts held-out
accuracy and is what docs/steps-activity.md reports.

The forests use only the scale-free features (MODEL_FEATURES): absolute amplitudes (std, range,
jerk of |a|, |w| levels) differ between people, devices and placements (upper arm vs wrist), and
dropping them raised the held-out score (docs/steps-activity.md).

Usage: /usr/bin/python3 tools/train_activity.py --hearth build/release/apps/hearth
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
# gain. The second and third rows are orientation-free shape, spectrum and periodicity
# features: gravity-relative and principal-axis shares of the dynamic acceleration, spectral
# entropy and centroid, jerk ratios, autocorrelation at half and twice the period (step vs
# stride regularity, Moe-Nilssen & Helbostad, J Biomech 2004), and the gyroscope's principal
# rotation axis (arm swing: one horizontal axis, its signed rate at the stride frequency, half
# the step frequency of |a|). docs/steps-activity.md lists what each added to the LOSO score.
MODEL_FEATURES = ["mag_skew", "mag_kurt", "gravity_stability", "tilt_change", "log_energy",
                  "dom_freq", "dom_fraction", "band0", "band1", "band2", "band3", "band4",
                  "acf_peak", "acf_lag", "vert_acf_peak",
                  "vert_share", "dyn_axis_share", "dyn_axis_vert", "spec_entropy",
                  "spec_centroid", "jerk_ratio", "vec_jerk_ratio", "acf_half", "acf_double",
                  "vert_dom_freq",
                  "gyro_dom_freq", "gyro_acf_peak", "gyro_axis_share", "gyro_axis_vert",
                  "swing_dom_freq", "swing_acf_peak", "swing_acf_lag", "swing_to_step",
                  "gyro_acc_corr", "gyro_spec_entropy", "gyro_jerk_ratio"]
# Sized for the watch (both forests ~63 KB of flash with 6-byte nodes and shared leaves): 12
# trees x <= 256 leaves. LOSO (10 seeds) with gyro WISDM / DSADS: 8 trees 0.869 / 0.865, 12
# trees 0.875 / 0.872, 16 trees 0.877 / 0.873; accel only 0.872 / 0.847, 0.881 / 0.859. Extremely
# randomised trees (Geurts, Ernst & Wehenkel, Machine Learning 2006) held out better than a
# random forest of the same size (LOSO 3-seed means in docs/steps-activity.md).
FOREST = dict(n_estimators=12, max_leaf_nodes=256, min_samples_leaf=3, max_features="sqrt",
              random_state=7, n_jobs=2)
# LOSO is repeated with these forest seeds (the shipped forest uses FOREST's): with 4-6
# subjects per set one seed moves macro F1 by +-0.02, so the mean is the figure to compare.
LOSO_SEEDS = range(10)


def sample_weights(y, sets):
    """Class-balanced weights in which every data set that has a class holds an equal share of
    that class's weight. The wrist set (WISDM) has 5-6 times the windows of the upper-arm set
    (DSADS); with plain class balancing the forest learned walking, stairs and "other" mostly as
    the wrist shows them (LOSO DSADS 0.79 -> 0.89, WISDM unchanged; docs/steps-activity.md)."""
    w = np.zeros(len(y))
    for c in np.unique(y):
        in_class = y == c
        owners = np.unique(sets[in_class])
        for s in owners:
            group = in_class & (sets == s)
            w[group] = 1.0 / (group.sum() * len(owners))
    # Each class now sums to 1: classes are balanced. Mean weight 1 keeps min_samples_leaf's
    # meaning.
    return w * len(y) / w.sum()


def training_set(recs, cols):
    x = np.vstack([r["x"][r["keep"]][:, cols] for r in recs])
    y = np.concatenate([r["y"][r["keep"]] for r in recs])
    sets = np.concatenate([[r["set"]] * int(r["keep"].sum()) for r in recs])
    return x, y, sample_weights(y, sets)


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


def loso(recs, cols, seed):
    """Leave-one-subject-out window predictions after smoothing; macro F1 per set."""
    subjects = sorted({r["subject"] for r in recs})
    results = {}
    forest = dict(FOREST, random_state=seed)
    for held in subjects:
        xt, yt, wt = training_set([r for r in recs if r["subject"] != held], cols)
        model = ExtraTreesClassifier(**forest).fit(xt, yt, sample_weight=wt)
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
        report[set_name] = (f1, {CLASSES[c]: float(v) for c, v in zip(present, per)})
    return report


def loso_summary(recs, cols):
    """LOSO over LOSO_SEEDS: per set, the mean and sd of macro F1, the per-class means, and the
    figure of the shipped seed."""
    runs = [loso(recs, cols, seed) for seed in LOSO_SEEDS]
    shipped = loso(recs, cols, FOREST["random_state"])
    out = {}
    for set_name in runs[0]:
        f1s = np.array([r[set_name][0] for r in runs])
        classes = runs[0][set_name][1].keys()
        per = {c: round(float(np.mean([r[set_name][1][c] for r in runs])), 3) for c in classes}
        out[set_name] = (f1s.mean(), f1s.std(), shipped[set_name][0], per)
    return out


def feature_scales(x):
    """Per-feature factor that maps the training range into int16 (thresholds are stored as
    floor(threshold * scale)); a power of two, so feature * scale is exact in float."""
    top = np.maximum(np.abs(x).max(axis=0), 1e-6)
    return np.exp2(np.floor(np.log2(32000.0 / top)))


def quantise(th, scale):
    return int(np.clip(np.floor(th * scale), -32768, 32767))


def export_forest(model, prefix, scales, cols):
    """Internal nodes only, 6 bytes each: int16 threshold bin, then two uint16 words whose low
    12 bits are the left / right child (node index, or leaf index when that side's leaf bit is
    set) and whose high 4 bits hold the feature index (left: bits 0-3, right: bits 4-5) and the
    leaf bits (right word, bit 14: left child is a leaf, bit 15: right child is a leaf).
    Leaves: class shares x255, stored once per distinct vector (pure leaves recur in every
    tree). `cols` maps the model's inputs to the engine's feature indices."""
    nodes, roots, leaves, leaf_index = [], [], [], {}
    for est in model.estimators_:
        t = est.tree_
        index = {}

        def leaf_of(i):
            v = np.zeros(len(CLASSES))
            v[model.classes_] = t.value[i][0]
            v = v / max(v.sum(), 1e-12)
            q = tuple(int(c) for c in np.round(v * 255).astype(int))
            if q not in leaf_index:
                leaf_index[q] = len(leaves)
                leaves.append(q)
            return leaf_index[q]

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
    assert len(nodes) <= 4096 and len(leaves) <= 4096, "child indices are 12-bit"
    assert len(roots) < 65536
    lines = [f"inline constexpr std::array<Node, {len(nodes)}> {prefix}_nodes = {{{{"]
    for th, f, flags, l, r in nodes:
        assert f < 64, "feature indices are 6-bit"
        left = l | (f & 0xF) << 12
        right = r | (f >> 4) << 12 | flags << 14
        lines.append(f"    {{{th}, {left}, {right}}},")
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
    ap.add_argument("--hearth", default="build/release/apps/hearth")
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
        rep = loso_summary(recs, cols)
        for set_name, (mean, sd, shipped, per) in rep.items():
            line = (f"LOSO {name}: {set_name} macro F1 {mean:.3f} +- {sd:.3f} over "
                    f"{len(LOSO_SEEDS)} forest seeds (seed {FOREST['random_state']}: "
                    f"{shipped:.3f}); per class {per}")
            print(line, flush=True)
            summary.append(line)
    if args.no_export:
        return
    scales = feature_scales(np.vstack([r["x"] for r in recs]))
    parts = [f"inline constexpr std::array<float, {len(scales)}> feature_scale = {{",
             "    " + ", ".join(float_literal(float(v)) for v in scales) + ",", "};"]
    sizes = []
    for name, cols in variants.items():
        x, y, w = training_set(recs, cols)
        model = ExtraTreesClassifier(**FOREST).fit(x, y, sample_weight=w)
        text, n_nodes, n_leaves = export_forest(model, name, scales, cols)
        parts.append(text)
        sizes.append(f"{name}: {len(model.estimators_)} trees, {n_nodes} nodes, {n_leaves} leaves")
    header = [
        "#pragma once",
        "",
        "// GENERATED by tools/train_activity.py; do not edit. Extra-trees forests over the features",
        "// of health/activity_features.h (WISDM 2019 wrist, UCI DSADS arm, Brunner 2019 swims).",
        "// Node (internal only): go left when features[feature(n)] * feature_scale[feature(n)] <=",
        "// threshold (int16 bins); a child whose leaf bit is set indexes leaves, whose class",
        "// shares (x255, order of health::Activity) are leaves[index].",
    ]
    header += [f"// {s}" for s in sizes]
    # One paragraph per line so that clang-format wraps but never merges them.
    for s in summary:
        header += ["//", f"// {s}"]
    header += [
        "",
        "#include <array>",
        "#include <cstddef>",
        "#include <cstdint>",
        "",
        "namespace hearth::engine::health::activity_model {",
        "",
        "// 6 bytes: the children's 12-bit indices share their words with the 6-bit feature index",
        "// and the two leaf bits.",
        "struct Node {",
        "    std::int16_t threshold;",
        "    std::uint16_t left;  // bits 0-11 child, 12-15 feature bits 0-3",
        "    std::uint16_t right; // bits 0-11 child, 12-13 feature bits 4-5, 14/15 left/right leaf",
        "};",
        "static_assert(sizeof(Node) == 6);",
        "",
        "constexpr std::size_t feature(const Node& n) {",
        "    return static_cast<std::size_t>((n.left >> 12U) | (((n.right >> 12U) & 3U) << 4U));",
        "}",
        "constexpr std::size_t left_child(const Node& n) { return n.left & 0x0FFFU; }",
        "constexpr std::size_t right_child(const Node& n) { return n.right & 0x0FFFU; }",
        "constexpr bool left_is_leaf(const Node& n) { return (n.right & 0x4000U) != 0U; }",
        "constexpr bool right_is_leaf(const Node& n) { return (n.right & 0x8000U) != 0U; }",
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
