"""Fixtures of the syndex module's tests: the command line's binaries, the
bundled sample corpus and a generated corpus of 2,000 articles, each with
the command line's index and copy-group output."""

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("SYNDEX_BIN_DIR", REPO / "build" / "bin"))
SAMPLE = REPO / "datasets" / "sample" / "news.jsonl"


def syndex_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "syndex"), *args], check=True,
                          capture_output=True, text=True)


class Corpus:
    """A corpus file, its index built by `syndex index`, and the output of
    `syndex cluster --lsh-copies-only --copies`."""

    def __init__(self, path: Path, work: Path) -> None:
        self.path = path
        self.index = work / "index"
        syndex_cli("index", "--index", str(self.index), "--quiet",
                   "--threads", "2", str(path))
        self.copies = work / "copies.jsonl"
        syndex_cli("cluster", "--index", str(self.index), "--lsh-copies-only",
                   "--copies", "--threads", "2", "--output", str(self.copies))


@pytest.fixture(scope="session")
def sample(tmp_path_factory) -> Corpus:
    return Corpus(SAMPLE, tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Corpus:
    work = tmp_path_factory.mktemp("gen2k")
    path = work / "gen2k.jsonl"
    subprocess.run([str(BIN / "syndex-gen"), "--articles", "2000", "--seed",
                    "7", "--output", str(path), "--truth",
                    str(work / "truth.tsv")], check=True, capture_output=True)
    return Corpus(path, work)
