#!/usr/bin/env python3
"""scikit-learn's HistGradientBoostingClassifier, one model per task, on the rows bench/trees wrote.

DIR holds meta.json (features with kind and cardinality, tasks with class counts, row counts, the
settings) and raw little-endian files: x.{train,valid,test}.f32 (column-major float32, NaN missing;
categorical features as codes 0..cardinality-1) and y.{split}.{task}.i32 (class index, -1 missing).
HGB is fitted on the train and valid rows together with its own 10% validation holdout, so both
sides stop early on about the same share of rows. Writes each task's test probabilities to
p.{task}.f32 (row-major) and prints one JSON line: per task fit seconds and rounds, total seconds,
total CPU seconds (all threads), peak RSS. The metrics are computed by the caller from the probabilities, with polyhead's code.
"""
import json
import os
import resource
import sys
import time

import numpy as np
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier


def load_x(d, split, features, rows):
    x = np.fromfile(os.path.join(d, f"x.{split}.f32"), dtype="<f4").reshape(len(features), rows)
    return np.ascontiguousarray(x.T, dtype=np.float64)


def main(d):
    meta = json.load(open(os.path.join(d, "meta.json")))
    features, rows, s = meta["features"], meta["rows"], meta["settings"]
    x = np.vstack([load_x(d, "train", features, rows["train"]), load_x(d, "valid", features, rows["valid"])])
    x_test = load_x(d, "test", features, rows["test"])
    is_cat = np.array([f["kind"] == "categorical" for f in features])
    out = {"sklearn": sklearn.__version__, "tasks": {}}
    total = 0.0
    cpu = 0.0
    for t, task in enumerate(meta["tasks"]):
        y = np.concatenate([np.fromfile(os.path.join(d, f"y.{split}.{t}.i32"), dtype="<i4") for split in ("train", "valid")])
        keep = y >= 0
        start = time.perf_counter()
        cpu_start = time.process_time()
        model = HistGradientBoostingClassifier(
            categorical_features=is_cat if is_cat.any() else None, max_iter=s["rounds"], learning_rate=s["lr"],
            max_leaf_nodes=s["leaves"], min_samples_leaf=s["minLeaf"], l2_regularization=s["l2"], max_bins=s["maxBins"],
            early_stopping=True, validation_fraction=rows["valid"] / (rows["train"] + rows["valid"]),
            n_iter_no_change=s["patience"], random_state=s["seed"])
        model.fit(x[keep], y[keep])
        seconds = time.perf_counter() - start
        total += seconds
        cpu += time.process_time() - cpu_start
        proba = np.zeros((rows["test"], task["classes"]), dtype="<f4")
        proba[:, model.classes_] = model.predict_proba(x_test)
        proba.tofile(os.path.join(d, f"p.{t}.f32"))
        out["tasks"][task["name"]] = {"seconds": seconds, "rounds": int(model.n_iter_)}
    out["seconds"] = total
    out["cpuSeconds"] = cpu
    out["peakRssMB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
