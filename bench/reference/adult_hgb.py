#!/usr/bin/env python3
"""Single-task gradient-boosting baselines on UCI Adult, for comparison with polyhead's multi-task
models: one scikit-learn HistGradientBoostingClassifier per task, trained on adult.data and scored
on adult.test (the official split).

Tasks: income (2 classes), marital-status (7), relationship (6). The three task columns are never
features; the other 12 columns are, with the 8 categorical ones handled natively by the model
(ordinal codes fitted on the training file, `?` and categories unseen in training as missing).
Prints one JSON line: per task accuracy, macro-F1 and AUC (binary AUC for income; for the others the
unweighted mean of one-vs-rest AUCs over classes present in the test labels, which is
roc_auc_score(multi_class='ovr', average='macro') when all are present, as here), and the BLAS
libraries loaded with their kernels (blas_kernel.py).
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import pandas as pd
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score
from sklearn.preprocessing import OrdinalEncoder

# Beside this file, also when it is run through runpy from another folder (bench/trees-learner).
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from blas_kernel import blas_libraries  # noqa: E402

COLUMNS = ["age", "workclass", "fnlwgt", "education", "education-num", "marital-status", "occupation",
           "relationship", "race", "sex", "capital-gain", "capital-loss", "hours-per-week", "native-country",
           "income"]
TASKS = ["income", "marital-status", "relationship"]
NUMERIC = ["age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week"]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def read(path, skip_first):
    df = pd.read_csv(path, header=None, names=COLUMNS, sep=",", skipinitialspace=True, na_values="?",
                     skiprows=1 if skip_first else 0, dtype=str)
    df = df.dropna(how="all")
    df["income"] = df["income"].str.rstrip(".")  # the test file writes '<=50K.'
    for c in NUMERIC:
        df[c] = df[c].astype(float)
    return df


def auc(y, proba, classes):
    if len(classes) == 2:
        return roc_auc_score(y == classes[1], proba[:, 1])
    present = [k for k, c in enumerate(classes) if (y == c).any()]
    return float(np.mean([roc_auc_score(y == classes[k], proba[:, k]) for k in present]))


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "adult"))
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args(argv)
    train = read(os.path.join(a.data, "adult.data"), skip_first=False)
    test = read(os.path.join(a.data, "adult.test"), skip_first=True)
    features = [c for c in COLUMNS if c not in TASKS]
    categorical = [c for c in features if c not in NUMERIC]
    enc = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan, encoded_missing_value=np.nan)
    enc.fit(train[categorical])

    def matrix(df):
        x = df[features].copy()
        x[categorical] = enc.transform(df[categorical])
        return x.to_numpy(dtype=float)

    x_train, x_test = matrix(train), matrix(test)
    is_cat = np.array([c in categorical for c in features])
    out = {"model": "HistGradientBoostingClassifier", "sklearn": sklearn.__version__,
           "train_rows": len(train), "test_rows": len(test), "features": features, "tasks": {}}
    for task in TASKS:
        start = time.perf_counter()
        model = HistGradientBoostingClassifier(categorical_features=is_cat, random_state=a.seed)
        model.fit(x_train, train[task].to_numpy())
        y = test[task].to_numpy()
        proba = model.predict_proba(x_test)
        pred = model.classes_[proba.argmax(axis=1)]
        out["tasks"][task] = {
            "classes": len(model.classes_),
            "accuracy": accuracy_score(y, pred),
            "macroF1": f1_score(y, pred, average="macro"),
            "auc": auc(y, proba, model.classes_),
            "iterations": int(model.n_iter_),
            "seconds": time.perf_counter() - start,
        }
    out["blas"] = blas_libraries()
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
