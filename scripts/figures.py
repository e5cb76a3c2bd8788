#!/usr/bin/python3
"""Measures the quality figures quoted in README.md and docs/QUALITY.md.

Usage: figures.py [BIN_DIR]   (default build/bin, from the repository root)

Indexes, clusters and scores with `syndex eval`:
  sample    datasets/sample/news.jsonl against datasets/sample/truth.tsv
  ecbplus   the ECB+ development split ($SYNDEX_ECBPLUS_DIR, default
            ../shared/data/ecbplus-dev from the repository root)
  gen10k    syndex-gen --articles 10000 --seed 1, eval with --corpus
queries every article of the ECB+ and generated corpora (`query --queries
CORPUS --json`) and scores the matches with scripts/query_eval.py
(ecbplus.query.*, gen10k.query.*), calibrates the story score on the ECB+
candidates with scripts/calibrate_story.py (ecbplus.story_model.*: the fit
on all topics; ecbplus-cv.*: fitted on half the topics, measured on the
other half, both ways), and clusters the ECB+ index again at every
--story-threshold from 0.10 to
0.16 in steps of 0.01 (ecbplus-t0.10 ... ecbplus-t0.16, with the lowest and
highest story F1 as ecbplus-sweep.*), and the ECB+ and generated indexes
with each alternative of VARIANTS (named like ecbplus+neighbours=30).

Prints one figure a line, `name value`, sorted by name. Names are the corpus
and the path of the value in `syndex eval --json` (`gen10k.copy_groups.f1`);
values are the text eval prints. Each `look_alike` and `same_outlet` block
also gets `percent`, formatted as eval's report prints it (2 and 4
decimals). Exits 1 when a command fails. When the ECB+ folder is absent its
figures are left out, stderr says so, and the exit code is 3.
"""

import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import calibrate_story  # noqa: E402
import query_eval  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Minimum story scores of a query's matches (query --min-story-score)
# whose measures docs/QUALITY.md compares.
MIN_STORY_SCORES = ["0.01", "0.05", "0.1", "0.2", "0.5"]
THRESHOLDS = ["0.10", "0.11", "0.12", "0.13", "0.14", "0.15", "0.16"]
EXIT_NO_ECBPLUS = 3
# Cluster settings docs/QUALITY.md compares with the defaults, one flag
# changed each: why the defaults are what they are.
VARIANTS = {
    "ecbplus": [("neighbours", "5"), ("neighbours", "30"),
                ("story-dense", "14.74"), ("story-key-terms", "0.26"),
                ("partial-containment", "0.2"),
                ("char-cosine-ratio", "0.5"), ("char-word-ratio", "10")],
    "gen10k": [("char-jaccard", "1"), ("char-cosine-ratio", "0.5"),
               ("char-cosine-ratio", "0.7"), ("story-dense", "14.74")],
}


class CommandError(Exception):
    pass


def Run(args):
    """Runs a command quietly; returns its stdout, raises on failure."""
    done = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True)
    if done.returncode != 0:
        raise CommandError("%s: exit %d: %s" % (" ".join(args), done.returncode,
                                                done.stderr.strip()))
    return done.stdout


def Flatten(prefix, value, out):
    if isinstance(value, dict):
        for key, child in value.items():
            Flatten(prefix + "." + key, child, out)
    else:
        out[prefix] = value


def Percent(block, decimals):
    """The merge rate in percent, as eval's report computes and prints it."""
    pairs, merged = int(block["pairs"]), int(block["merged"])
    rate = merged / pairs if pairs else 0.0
    return "%.*f" % (decimals, 100.0 * rate)


def Eval(syndex, name, clusters, truth, corpus=None):
    """Scores clusters; returns {figure name: value text}."""
    args = [syndex, "eval", "--clusters", clusters, "--truth", truth, "--json"]
    if corpus:
        args += ["--corpus", corpus]
    # Keep numbers as eval printed them.
    result = json.loads(Run(args), parse_float=str, parse_int=str)
    figures = {}
    Flatten(name, result, figures)
    if "look_alike" in result:
        figures[name + ".look_alike.percent"] = Percent(result["look_alike"], 2)
    if "same_outlet" in result:
        figures[name + ".same_outlet.percent"] = Percent(result["same_outlet"], 4)
    return figures


def Index(syndex, tmp, name, corpus):
    index = os.path.join(tmp, name + ".idx")
    Run([syndex, "index", "--quiet", "--index", index, corpus])
    return index


def ClusterAndEval(syndex, tmp, index, truth, runs):
    """Clusters index once per run (name, cluster flags, corpus for eval or
    None) and scores each; two runs at a time, since a cluster run leaves
    part of the second core idle. Returns all their figures."""
    def One(run):
        name, flags, corpus = run
        out = os.path.join(tmp, name + ".clusters.jsonl")
        Run([syndex, "cluster", "--quiet", "--index", index, "--output", out]
            + flags)
        return Eval(syndex, name, out, truth, corpus)

    figures = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for part in pool.map(One, runs):
            figures.update(part)
    return figures


def Fixed(value):
    return "%.4f" % value


def QueryFigures(syndex, tmp, name, index, corpus, truth):
    """Queries every article of corpus and scores the matches against the
    truth and the default clustering (name.clusters.jsonl)."""
    matches = os.path.join(tmp, name + ".query.jsonl")
    with open(matches, "w", encoding="utf-8") as f:
        f.write(Run([syndex, "query", "--index", index, "--queries", corpus,
                     "--json"]))
    result = query_eval.Evaluate(
        matches, truth, os.path.join(tmp, name + ".clusters.jsonl"))
    flat = []
    query_eval.Flatten("", result, flat)
    return {"%s.query.%s" % (name, key): (Fixed(value)
                                          if isinstance(value, float)
                                          else str(value))
            for key, value in flat}


def Calibration(syndex, tmp, index, corpus, truth):
    """The story model's fit on the ECB+ candidates (the default features)
    and its cross-validation by topic halves."""
    matches = os.path.join(tmp, "ecbplus.candidates.jsonl")
    with open(matches, "w", encoding="utf-8") as f:
        f.write(Run([syndex, "query", "--index", index, "--queries", corpus,
                     "--json", "--k", "1000", "--candidates", "50",
                     "--min-story-score", "0"]))
    story, topic, queries = calibrate_story.Load(matches, truth)
    r = calibrate_story.Calibrate(story, topic, queries, ("cosine",), 2)
    figures = {
        "ecbplus.story_model.bias": Fixed(r["fit"][0]),
        "ecbplus.story_model.w_cosine": Fixed(r["fit"][1]),
        "ecbplus-cv.story_model.log_loss": Fixed(r["cv"]["log_loss"]),
        "ecbplus-cv.query.recall_at_k": Fixed(r["cv"]["recall_at_10"]),
        "ecbplus-cv.query.precision_at_5": Fixed(r["cv"]["precision_at_5"]),
        "ecbplus-cv.query.empty": str(r["cv"]["empty"]),
    }
    # The trade-off of --min-story-score, with the fit on all topics.
    for floor in MIN_STORY_SCORES:
        calibrate_story.MIN_STORY_SCORE = float(floor)
        recall, precision, empty = calibrate_story.QueryMeasures(
            queries, story, r["fit"], ("cosine",))
        name = "ecbplus-min%s.query." % floor
        figures[name + "recall_at_k"] = Fixed(recall)
        figures[name + "precision_at_5"] = Fixed(precision)
        figures[name + "empty"] = str(empty)
    for i, w in enumerate(r["folds"]):
        figures["ecbplus-cv.fold%d.bias" % i] = Fixed(w[0])
        figures["ecbplus-cv.fold%d.w_cosine" % i] = Fixed(w[1])
    return figures


def VariantRuns(corpus_name):
    """The runs of VARIANTS[corpus_name], scored without --corpus (they
    change no same-outlet figure)."""
    return [("%s+%s=%s" % (corpus_name, flag, value), ["--" + flag, value],
             None) for flag, value in VARIANTS[corpus_name]]


def Sample(syndex, tmp):
    corpus = os.path.join(ROOT, "datasets", "sample", "news.jsonl")
    truth = os.path.join(ROOT, "datasets", "sample", "truth.tsv")
    index = Index(syndex, tmp, "sample", corpus)
    return ClusterAndEval(syndex, tmp, index, truth, [("sample", [], corpus)])


def EcbPlus(syndex, tmp, folder):
    corpus = os.path.join(folder, "articles.jsonl")
    truth = os.path.join(folder, "labels.tsv")
    index = Index(syndex, tmp, "ecbplus", corpus)
    sweep = [("ecbplus-t" + t, ["--story-threshold", t], None)
             for t in THRESHOLDS]
    figures = ClusterAndEval(syndex, tmp, index, truth,
                             [("ecbplus", [], None)] + sweep +
                             VariantRuns("ecbplus"))
    f1 = {t: figures["ecbplus-t%s.stories.f1" % t] for t in THRESHOLDS}
    low = min(THRESHOLDS, key=lambda t: float(f1[t]))
    high = max(THRESHOLDS, key=lambda t: float(f1[t]))
    figures["ecbplus-sweep.stories.f1.min"] = f1[low]
    figures["ecbplus-sweep.stories.f1.min_threshold"] = low
    figures["ecbplus-sweep.stories.f1.max"] = f1[high]
    figures["ecbplus-sweep.stories.f1.max_threshold"] = high
    figures.update(QueryFigures(syndex, tmp, "ecbplus", index, corpus, truth))
    figures.update(Calibration(syndex, tmp, index, corpus, truth))
    return figures


def Generated(syndex, gen, tmp):
    corpus = os.path.join(tmp, "gen10k.jsonl")
    truth = os.path.join(tmp, "gen10k.tsv")
    Run([gen, "--articles", "10000", "--seed", "1", "--output", corpus,
         "--truth", truth])
    index = Index(syndex, tmp, "gen10k", corpus)
    figures = ClusterAndEval(syndex, tmp, index, truth,
                             [("gen10k", [], corpus)] + VariantRuns("gen10k"))
    figures.update(QueryFigures(syndex, tmp, "gen10k", index, corpus, truth))
    return figures


def main(argv):
    if len(argv) > 2 or (len(argv) == 2 and argv[1].startswith("-")):
        sys.stderr.write("usage: figures.sh [BIN_DIR]  (default build/bin)\n")
        return 2
    bin_dir = argv[1] if len(argv) == 2 else os.path.join(ROOT, "build", "bin")
    syndex = os.path.join(bin_dir, "syndex")
    gen = os.path.join(bin_dir, "syndex-gen")
    for binary in (syndex, gen):
        if not os.access(binary, os.X_OK):
            sys.stderr.write("figures: %s: no such executable\n" % binary)
            return 1
    ecbplus = os.environ.get("SYNDEX_ECBPLUS_DIR") or os.path.join(
        ROOT, "..", "shared", "data", "ecbplus-dev")
    have_ecbplus = os.path.isfile(os.path.join(ecbplus, "articles.jsonl"))

    figures = {}
    with tempfile.TemporaryDirectory(prefix="syndex-figures-") as tmp:
        # The generated corpus is the long pole (generating and indexing
        # 10,000 articles); the small corpora run beside it.
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            jobs = [pool.submit(Generated, syndex, gen, tmp)]
            small = [lambda: Sample(syndex, tmp)]
            if have_ecbplus:
                small.append(lambda: EcbPlus(syndex, tmp, ecbplus))
            jobs.append(pool.submit(lambda: [f() for f in small]))
            try:
                figures.update(jobs[0].result())
                for part in jobs[1].result():
                    figures.update(part)
            except CommandError as e:
                sys.stderr.write("figures: %s\n" % e)
                return 1
    for name in sorted(figures):
        print(name, figures[name])
    if not have_ecbplus:
        sys.stderr.write("figures: ECB+ not found at %s (articles.jsonl); its "
                         "figures are left out\n" % os.path.normpath(ecbplus))
        return EXIT_NO_ECBPLUS
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
