#!/usr/bin/python3
"""Scores `syndex query --json` output against same-story truth.

Usage: query_eval.py --matches M.jsonl --truth T.tsv [--clusters C.jsonl]
                     [--k 10] [--json]

M.jsonl is the output of `syndex query --queries CORPUS --json` (or of
`--id` queries concatenated); T.tsv has a header with the columns `id` and
`story` (more are ignored); C.jsonl is `syndex cluster --output` of the same
index. Every article of the truth is a query; a query absent from M.jsonl
returned nothing. An article's story-mates are the other articles of its
true story; its cluster-mates those of its predicted `story`.

Measures (each a mean over queries, as defined in docs/QUALITY.md):
  recall_at_k         story-mates in the first k matches / min(mates, k),
                      over the queries with at least one story-mate
  recall_all_at_k     the same / mates: stories of more than k + 1
                      articles cannot be found whole in k matches, so its
                      ceiling (recall_all_ceiling) is below 1
  precision_at_5      story-mates among the first 5 matches / matches
                      among them, over the queries that return any
  empty               queries with a story-mate that return nothing
  with_cluster:
    mates_returned    cluster-mates in the first k matches /
                      min(cluster-mates, k), over the queries with one
    same_story_agrees matches whose `same_story` equals "cluster puts it in
                      the query's story", of all matches
Prints `name value` lines, or one JSON object with --json.
"""

import argparse
import collections
import json
import sys


def ReadTruth(path):
    story = {}
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        if "id" not in header or "story" not in header:
            raise ValueError("%s:1: needs the columns id and story" % path)
        i, s = header.index("id"), header.index("story")
        for n, line in enumerate(f, start=2):
            cells = line.rstrip("\n").split("\t")
            if len(cells) <= max(i, s):
                raise ValueError("%s:%d: too few columns" % (path, n))
            story[cells[i]] = cells[s]
    return story


def ReadJsonLines(path):
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if line.strip():
                try:
                    yield json.loads(line)
                except ValueError as e:
                    raise ValueError("%s:%d: %s" % (path, n, e))


def Members(label):
    """{id: set of the other ids with the same label}."""
    groups = collections.defaultdict(set)
    for doc, group in label.items():
        groups[group].add(doc)
    return {doc: groups[group] - {doc} for doc, group in label.items()}


def Score(matches, truth, clusters, k):
    mates = Members(truth)
    recall, recall_all, ceiling = [], [], []
    precision, empty, queries = [], 0, 0
    for query, mates_of in mates.items():
        ranked = matches.get(query, [])
        if mates_of:
            queries += 1
            found = sum(1 for m in ranked[:k] if m["id"] in mates_of)
            recall.append(found / min(len(mates_of), k))
            recall_all.append(found / len(mates_of))
            ceiling.append(min(len(mates_of), k) / len(mates_of))
            empty += not ranked
        if ranked:
            top = ranked[:5]
            precision.append(
                sum(1 for m in top if m["id"] in mates_of) / len(top))
    out = {
        "queries": queries,
        "recall_at_k": round(sum(recall) / max(len(recall), 1), 4),
        "recall_all_at_k": round(sum(recall_all) / max(len(recall_all), 1),
                                 4),
        "recall_all_ceiling": round(sum(ceiling) / max(len(ceiling), 1), 4),
        "precision_at_5": round(sum(precision) / max(len(precision), 1), 4),
        "empty": empty,
    }
    if clusters is not None:
        cmates = Members(clusters)
        returned, agree, total = [], 0, 0
        for query, ranked in ((q, matches.get(q, [])) for q in truth):
            c = cmates.get(query, set())
            if c:
                found = sum(1 for m in ranked[:k] if m["id"] in c)
                returned.append(found / min(len(c), k))
            for m in ranked:
                if "same_story" in m:
                    total += 1
                    agree += m["same_story"] == (m["id"] in c)
        out["with_cluster"] = {
            "mates_returned": round(sum(returned) / max(len(returned), 1), 4),
            "same_story_agrees": round(agree / max(total, 1), 4),
        }
    return out


def Flatten(prefix, value, out):
    if isinstance(value, dict):
        for key, child in value.items():
            Flatten(prefix + key + ".", child, out)
    else:
        out.append((prefix[:-1], value))


def Evaluate(matches_path, truth_path, clusters_path=None, k=10):
    """Score of the files; raises OSError, ValueError or KeyError."""
    truth = ReadTruth(truth_path)
    matches = collections.defaultdict(list)
    for m in ReadJsonLines(matches_path):
        matches[m["query"]].append(m)
    for ranked in matches.values():
        ranked.sort(key=lambda m: m["rank"])
    clusters = None
    if clusters_path:
        clusters = {c["id"]: c["story"] for c in ReadJsonLines(clusters_path)}
        missing = [doc for doc in truth if doc not in clusters]
        if missing:
            raise ValueError("%s: no cluster entry for truth id %s" %
                             (clusters_path, missing[0]))
    return Score(matches, truth, clusters, k)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--matches", required=True)
    parser.add_argument("--truth", required=True)
    parser.add_argument("--clusters")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv[1:])
    try:
        result = Evaluate(args.matches, args.truth, args.clusters, args.k)
    except (OSError, ValueError, KeyError) as e:
        sys.stderr.write("query_eval: %s\n" % e)
        return 1
    if args.json:
        print(json.dumps(result))
    else:
        lines = []
        Flatten("", result, lines)
        for name, value in lines:
            print(name, value)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
