"""The Dask job against the command line: the same copy groups, byte for
byte, for 1, 2 and 4 worker processes of a local cluster and 1, 7 and 64
partitions."""

import os
import subprocess
import sys

import dask
import dask.bag as db
import numpy as np
import pytest
from distributed import Client, LocalCluster

import syndex
import syndex.dask as sd
from conftest import SAMPLE


@pytest.fixture(scope="module", params=[1, 2, 4])
def client(request):
    with LocalCluster(n_workers=request.param, threads_per_worker=1,
                      processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        yield client


@pytest.mark.parametrize("partitions", [1, 7, 64])
def test_cluster_output_equals_the_command_line(client, generated, tmp_path,
                                                partitions):
    out = tmp_path / "groups.jsonl"
    # 64 partitions feed 4 shards; fewer partitions, as many shards.
    stats = sd.copy_groups(sd.read_files([str(generated.path)], partitions),
                           str(out), shards=4 if partitions == 64 else None)
    assert out.read_bytes() == generated.copies.read_bytes()
    assert stats["articles"] == 2000
    assert stats["partitions"] == partitions
    assert stats["copy_links"] > 0 and stats["component_rounds"] >= 2
    # The cosine decided some pairs here, so that path is checked too.
    assert stats["cosine_pairs"] > 0


def test_bag_of_dicts_without_a_cluster(sample, tmp_path):
    articles = syndex.read_articles([str(SAMPLE)])
    out = tmp_path / "groups.jsonl"
    with dask.config.set(scheduler="threads"):
        sd.copy_groups(db.from_sequence(articles, npartitions=3), str(out))
    assert out.read_bytes() == sample.copies.read_bytes()


def test_chrome_and_features_equal_the_index(generated):
    # Chrome learners of 7 parts, merged in a tree, give the features the
    # index stores; in batches of 700 articles, the models of an index
    # built 700 at a time, whatever the parts.
    articles = syndex.read_articles([str(generated.path)])
    params = {}
    native = syndex._syndex

    def models(parts, batch):
        learners = {}
        for p in parts:
            for b, x in enumerate(native._chrome_learners(
                    [articles[i] for i in p], int(p[0]), batch, params)):
                learners.setdefault(int(p[0]) // batch + b, []).append(x)
        merged = []
        for b in sorted(learners):
            half = len(learners[b]) // 2
            merged.append(native._chrome_merge(
                [native._chrome_merge(learners[b][:half], params),
                 native._chrome_merge(learners[b][half:], params)], params))
        return native._chrome_models(merged, params)

    seven = np.array_split(np.arange(len(articles)), 7)
    one = models(seven, native._batch_size)
    assert len(one) == 1
    assert models(np.array_split(np.arange(len(articles)), 3),
                  native._batch_size) == one
    batched = models(seven, 700)
    assert len(batched) == 3
    assert batched == models([np.arange(len(articles))], 700)
    index = syndex.Index.open(str(generated.index))
    assert index.stats()["chrome_passages"] > 0
    stored = index.stored_features([a["id"] for a in articles])
    for p in seven:
        sk = native._sketch([articles[i] for i in p], int(p[0]),
                            native._batch_size, params, one)
        for key in ("signature", "char_signature", "shingles", "char_grams",
                    "content_hash"):
            np.testing.assert_array_equal(sk[key], stored[key][p])


def run_job(*args):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    return subprocess.run([sys.executable, "-m", "syndex.dask", *args],
                          capture_output=True, text=True, env=env)


def test_command_line_job(sample, tmp_path):
    out = tmp_path / "groups.jsonl"
    glob = str(SAMPLE).replace("news", "n*s")
    job = run_job("--input", glob, "--output", str(out), "--workers", "2",
                  "--partitions", "5", "--stats", str(tmp_path / "s.json"))
    assert job.returncode == 0, job.stderr
    assert out.read_bytes() == sample.copies.read_bytes()


def test_command_line_job_errors(tmp_path):
    lines = SAMPLE.read_text().splitlines(keepends=True)
    dup = tmp_path / "dup.jsonl"
    dup.write_text("".join(lines[:5] + lines[2:3]))
    job = run_job("--input", str(dup), "--output", str(tmp_path / "o"),
                  "--workers", "1")
    assert job.returncode == 1
    assert "dup.jsonl:6: duplicate id 's01-c' (first at " in job.stderr
    assert "dup.jsonl:3)" in job.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(lines[:4]) + '{"id": "x"}\n')
    job = run_job("--input", str(bad), "--output", str(tmp_path / "o"),
                  "--workers", "1", "--partitions", "3")
    assert job.returncode == 1
    assert "bad.jsonl:5: missing field 'text'" in job.stderr
    assert not (tmp_path / "o").exists()
    job = run_job("--input", str(tmp_path / "none*.jsonl"), "--output",
                  str(tmp_path / "o"))
    assert job.returncode == 1
    assert "no file matches" in job.stderr
