"""The syndex module against the command line: features, an index's round
trip, errors, and queries from many threads at once."""

import json
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import syndex
from conftest import SAMPLE, syndex_cli

FEATURES = ("signature", "char_signature", "shingles", "char_grams",
            "content_hash")


def assert_features_equal(a, b):
    for key in FEATURES:
        assert a[key].dtype == b[key].dtype, key
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)


def test_features_equal_the_command_lines_index(sample):
    articles = syndex.read_articles([str(SAMPLE)])
    index = syndex.Index.open(str(sample.index))
    assert index.stats()["chrome_passages"] > 0
    stored = index.stored_features([a["id"] for a in articles])
    assert stored["signature"].shape == (len(articles), 128)
    assert stored["signature"].dtype == np.uint32
    assert stored["content_hash"].dtype == np.uint64
    assert_features_equal(index.features(articles), stored)


def test_features_without_an_index_equal_an_index_without_chrome(tmp_path):
    # Four articles of four outlets: too few for any chrome.
    articles = syndex.read_articles([str(SAMPLE)])[:4]
    path = tmp_path / "four.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in articles))
    syndex_cli("index", "--index", str(tmp_path / "idx"), "--quiet",
               "--num-perm", "64", "--shingle-size", "4", str(path))
    index = syndex.Index.open(str(tmp_path / "idx"))
    assert index.stats()["chrome_passages"] == 0
    stored = index.stored_features([a["id"] for a in articles])
    computed = syndex.features(articles, num_perm=64, shingle_size=4)
    assert computed["signature"].shape == (4, 64)
    assert_features_equal(computed, stored)
    # Texts alone give the same features.
    assert_features_equal(
        syndex.features([a["text"] for a in articles], num_perm=64,
                        shingle_size=4), stored)
    # Other parameters, other signatures.
    other = syndex.features(articles, num_perm=64, shingle_size=5)
    assert not np.array_equal(other["signature"], stored["signature"])


def test_index_round_trip(sample, tmp_path):
    articles = syndex.read_articles([str(SAMPLE)])
    index = syndex.Index.create(str(tmp_path / "idx"))
    report = index.add(iter(articles))
    assert report["added"] == len(articles) and report["skipped"] == {}
    assert len(index) == len(articles)
    assert index.ids() == [a["id"] for a in articles]
    index.close()
    with pytest.raises(syndex.Error, match="the index is closed"):
        index.stats()
    reopened = syndex.Index.open(str(tmp_path / "idx"))
    cli = syndex.Index.open(str(sample.index))
    assert reopened.stats()["articles"] == len(articles)
    # The same answers as the command line's index, in its schemas.
    out = syndex_cli("query", "--index", str(sample.index), "--id", "s01-a",
                     "--k", "5", "--json").stdout
    expected = [json.loads(line) for line in out.splitlines()]
    assert reopened.query(id="s01-a", k=5) == expected
    assert cli.query(id="s01-a", k=5) == expected
    out = syndex_cli("cluster", "--index", str(sample.index), "--json").stdout
    assert reopened.cluster() == [json.loads(l) for l in out.splitlines()]
    copies = [json.loads(l) for l in sample.copies.read_text().splitlines()]
    assert reopened.cluster(copies=True, lsh_copies_only=True) == copies
    out = syndex_cli("explain", "--index", str(sample.index), "s01-a",
                     "s01-b", "--json").stdout
    assert reopened.explain("s01-a", "s01-b") == json.loads(out)
    # A text query finds its stored copy.
    text = articles[0]["text"]
    matches = reopened.query(text=text, k=3, query_id="q")
    assert matches[0]["id"] == articles[0]["id"]
    assert matches[0]["relation"] == "exact"
    assert matches[0]["query"] == "q"
    # Removal is committed and seen by a new reader.
    with syndex.Index.open(str(tmp_path / "idx"), write=True) as writer:
        writer.remove(["s01-b"])
    again = syndex.Index.open(str(tmp_path / "idx"))
    assert len(again) == len(articles) - 1
    assert "s01-b" not in again.ids()
    assert all(m["id"] != "s01-b" for m in again.query(id="s01-a", k=20))


def test_errors_carry_the_engines_message(tmp_path):
    with pytest.raises(syndex.Error, match="multiple of 8"):
        syndex.Index.create(str(tmp_path / "bad"), num_perm=7)
    with pytest.raises(syndex.Error, match="multiple of 8"):
        syndex.features(["some text"], num_perm=12)
    with pytest.raises(TypeError, match="unknown argument 'nperm'"):
        syndex.features(["some text"], nperm=64)
    with pytest.raises(syndex.Error):
        syndex.Index.open(str(tmp_path / "missing"))
    with pytest.raises(syndex.Error, match=r"\.jsonl:1: not valid JSON"):
        bad = tmp_path / "bad.jsonl"
        bad.write_text("{not json\n")
        syndex.read_articles([str(bad)])

    index = syndex.Index.create(str(tmp_path / "idx"))
    index.add([{"id": "a", "text": "one text"}, {"id": 2, "text": "two"}])
    with pytest.raises(syndex.Error, match="no article with id 'zz'"):
        index.query(id="zz")
    with pytest.raises(ValueError, match="exactly one of id= and text="):
        index.query()
    index.close()

    def failed_add(articles):
        with syndex.Index.open(str(tmp_path / "idx"), write=True) as index:
            index.add(articles)

    with pytest.raises(syndex.Error,
                       match=r"article 2: duplicate id 'x' "
                       r"\(first at article 1\)"):
        failed_add([{"id": "x", "text": "t"}, {"id": "x", "text": "u"}])
    with pytest.raises(syndex.Error, match="article 1: duplicate id 'a' "
                       r"\(already in the index\)"):
        failed_add([{"id": "a", "text": "again"}])
    with pytest.raises(TypeError,
                       match="article 1: field 'text' is not a string"):
        failed_add([{"id": "y", "text": 5}])
    with pytest.raises(ValueError, match="field 'published' is not a valid"):
        failed_add([{"id": "y", "text": "t", "published": "yesterday"}])
    with pytest.raises(ZeroDivisionError):  # The iterable's own error.
        failed_add({"id": str(i), "text": "t" * (1 // (2 - i))}
                   for i in range(3))
    index = syndex.Index.open(str(tmp_path / "idx"), write=True)
    with pytest.raises(syndex.Error, match="no article with id 'zz'"):
        index.remove(["a", "zz"])
    with pytest.raises(syndex.Error, match="failed; open it again"):
        index.stats()
    index.close()
    # None of the failed calls changed the index on disk.
    reopened = syndex.Index.open(str(tmp_path / "idx"))
    assert sorted(reopened.ids()) == ["2", "a"]


def test_threads_query_at_once(generated):
    index = syndex.Index.open(str(generated.index), threads=1)
    ids = index.ids()[:300]
    one_by_one = [index.query(id=i, k=5) for i in ids]
    with ThreadPoolExecutor(max_workers=8) as pool:
        at_once = list(pool.map(lambda i: index.query(id=i, k=5), ids))
    assert at_once == one_by_one
    assert sum(len(m) for m in at_once) > 0
