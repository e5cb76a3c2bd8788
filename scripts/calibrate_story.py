#!/usr/bin/python3
"""Calibrates the story score (engine/relations/story_score.h).

Usage: calibrate_story.py --matches M.jsonl --truth T.tsv [--folds 2]

M.jsonl holds the candidates queries see with their evidence:
  syndex query --index IDX --queries CORPUS --json --k 1000 \\
      --candidates 50 --min-story-score 0
(every candidate of each query, at the default number of dense neighbours
of a query for 10 matches). T.tsv has the columns id, story and topic.

Fits, by Newton's method on the log-loss, the logistic model
  P(same story) = sigmoid(bias + sum_f w_f * f)
for each feature set of FEATURE_SETS over every (query, candidate) pair
that is not a copy (copies are in one story by definition), and prints for
each: the coefficients fitted on all topics, and the mean log-loss and the
query measures (recall@10, precision@5, queries returning nothing at the
default minimum story score) of a model fitted on the other topics, topics
split into `folds` groups by topic number modulo folds. A feature set earns
its place when its held-out numbers beat the smaller set's.
"""

import argparse
import collections
import json
import math
import sys

FEATURE_SETS = [
    ("cosine",),
    ("cosine", "shared_key_terms"),
    ("cosine", "dense_cosine"),
    ("cosine", "dense_cosine", "shared_key_terms"),
]
MIN_STORY_SCORE = 0.05  # story_score.h kMinStoryScore.
K = 10


def ReadTruth(path):
    story, topic = {}, {}
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            cells = dict(zip(header, line.rstrip("\n").split("\t")))
            story[cells["id"]] = cells["story"]
            topic[cells["id"]] = int(cells["topic"])
    return story, topic


def Sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x)) if x > -500 else 0.0


def Solve(a, b):
    """Solves a x = b by Gaussian elimination with partial pivoting."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(n):
            if r != c and m[c][c] != 0:
                f = m[r][c] / m[c][c]
                for j in range(c, n + 1):
                    m[r][j] -= f * m[c][j]
    return [m[i][n] / m[i][i] for i in range(n)]


def Fit(rows, features, ridge=1e-3):
    """Logistic regression by Newton's method; returns [bias, w...]."""
    w = [0.0] * (len(features) + 1)
    for _ in range(50):
        grad = [0.0] * len(w)
        hess = [[0.0] * len(w) for _ in w]
        for x, y in rows:
            v = [1.0] + [x[f] for f in features]
            p = Sigmoid(sum(a * b for a, b in zip(w, v)))
            for i in range(len(w)):
                grad[i] += (p - y) * v[i]
                for j in range(len(w)):
                    hess[i][j] += p * (1 - p) * v[i] * v[j]
        for i in range(len(w)):
            grad[i] += ridge * w[i]
            hess[i][i] += ridge
        step = Solve(hess, grad)
        w = [a - b for a, b in zip(w, step)]
        if max(abs(s) for s in step) < 1e-8:
            break
    return w


def Predict(w, features, x):
    return Sigmoid(w[0] + sum(a * x[f] for a, f in zip(w[1:], features)))


def QueryMeasures(queries, story, w, features):
    """recall@10 (of min(mates, 10)), precision@5, empty queries, with
    copies first and the rest ranked by the model above MIN_STORY_SCORE."""
    mates = collections.defaultdict(set)
    for doc, s in story.items():
        mates[s].add(doc)
    recall, precision, empty = [], [], 0
    for query, cands in queries.items():
        m = mates[story[query]] - {query}
        ranked = []
        for c in cands:
            copy = c["relation"] in ("exact", "syndicated", "partial")
            p = Predict(w, features, c)
            if copy or p >= MIN_STORY_SCORE:
                ranked.append((copy, c["jaccard"] if copy else p, c["id"]))
        ranked.sort(reverse=True)
        top = [doc for _, _, doc in ranked[:K]]
        if m:
            recall.append(sum(d in m for d in top) / min(len(m), K))
            empty += not top
        if top:
            precision.append(sum(d in m for d in top[:5]) / len(top[:5]))
    return (sum(recall) / len(recall), sum(precision) / len(precision), empty)


def Load(matches, truth):
    """(story, topic, {query: its candidates})."""
    story, topic = ReadTruth(truth)
    queries = collections.defaultdict(list)
    with open(matches, encoding="utf-8") as f:
        for line in f:
            m = json.loads(line)
            queries[m["query"]].append(m)
    for q in story:
        queries.setdefault(q, [])
    return story, topic, queries


def Calibrate(story, topic, queries, features, folds):
    """The fit on all topics and the cross-validated measures:
    {"fit": [bias, w...], "folds": [[bias, w...], ...],
     "cv": {log_loss, recall_at_10, precision_at_5, empty},
     "all": {recall_at_10, precision_at_5, empty}}."""
    def Rows(keep):
        return [(c, 1 if story[q] == story[c["id"]] else 0)
                for q, cands in queries.items() if keep(topic[q])
                for c in cands
                if c["relation"] not in ("exact", "syndicated", "partial")]

    out = {"fit": Fit(Rows(lambda t: True), features), "folds": []}
    loss, n, measures = 0.0, 0, []
    for fold in range(folds):
        wf = Fit(Rows(lambda t: t % folds != fold), features)
        out["folds"].append(wf)
        test = Rows(lambda t: t % folds == fold)
        for x, y in test:
            p = min(max(Predict(wf, features, x), 1e-9), 1 - 1e-9)
            loss -= math.log(p if y else 1 - p)
        n += len(test)
        held = {q: c for q, c in queries.items() if topic[q] % folds == fold}
        measures.append((len(held), QueryMeasures(held, story, wf, features)))
    total = sum(size for size, _ in measures)
    out["cv"] = {
        "log_loss": loss / n,
        "recall_at_10": sum(size * m[0] for size, m in measures) / total,
        "precision_at_5": sum(size * m[1] for size, m in measures) / total,
        "empty": sum(m[2] for _, m in measures),
    }
    r, p, e = QueryMeasures(queries, story, out["fit"], features)
    out["all"] = {"recall_at_10": r, "precision_at_5": p, "empty": e}
    return out


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--matches", required=True)
    parser.add_argument("--truth", required=True)
    parser.add_argument("--folds", type=int, default=2)
    args = parser.parse_args(argv[1:])
    story, topic, queries = Load(args.matches, args.truth)
    for features in FEATURE_SETS:
        r = Calibrate(story, topic, queries, features, args.folds)
        print("features", "+".join(features))
        print("  fit_all", " ".join("%.4f" % v for v in r["fit"]))
        for i, w in enumerate(r["folds"]):
            print("  fold%d" % i, " ".join("%.4f" % v for v in w))
        cv = r["cv"]
        print("  heldout log_loss %.4f recall_at_10 %.4f precision_at_5 %.4f "
              "empty %d" % (cv["log_loss"], cv["recall_at_10"],
                            cv["precision_at_5"], cv["empty"]))
        a = r["all"]
        print("  all     recall_at_10 %.4f precision_at_5 %.4f empty %d" %
              (a["recall_at_10"], a["precision_at_5"], a["empty"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
