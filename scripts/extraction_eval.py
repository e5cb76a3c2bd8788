#!/usr/bin/env python3
"""Scores `syndex cluster --output` on the article-extraction pages.

Each page and its article body form one copy (truth.tsv: id, copy_group,
kind); two pages never do. Prints, as `name value` lines:
  pages_with_body   pages in their body's copy group (of all pages)
  false_pairs       pairs of ids of different truth groups in one copy group
  false_page_pairs  of those, pairs of two pages

Usage: extraction_eval.py CLUSTERS.jsonl TRUTH.tsv
"""
import collections
import json
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    group = {}
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                group[row["id"]] = row["copy_group"]
    truth, kind = {}, {}
    with open(sys.argv[2], encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            fields = dict(zip(header, line.rstrip("\n").split("\t")))
            truth[fields["id"]] = fields["copy_group"]
            kind[fields["id"]] = fields["kind"]
    missing = [i for i in truth if i not in group]
    if missing:
        sys.exit(f"extraction_eval: {len(missing)} truth ids missing from "
                 f"the clusters, e.g. {missing[0]}")
    body_of = {truth[i]: i for i in truth if kind[i] == "body"}
    pages = [i for i in truth if kind[i] == "page"]
    with_body = sum(group[p] == group[body_of[truth[p]]] for p in pages)
    members = collections.defaultdict(list)
    for i in truth:
        members[group[i]].append(i)
    false_pairs = false_page_pairs = 0
    for ids in members.values():
        for a in range(len(ids)):
            for b in range(a + 1, len(ids)):
                x, y = ids[a], ids[b]
                if truth[x] != truth[y]:
                    false_pairs += 1
                    false_page_pairs += kind[x] == kind[y] == "page"
    print(f"pages_with_body {with_body}")
    print(f"pages {len(pages)}")
    print(f"false_pairs {false_pairs}")
    print(f"false_page_pairs {false_page_pairs}")


if __name__ == "__main__":
    main()
