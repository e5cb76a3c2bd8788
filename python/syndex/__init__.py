"""syndex: syndicated copies and related stories in news corpora.

A thin Python front end of the syndex engine (engine/syndex.h). Articles
are dicts with the fields of the input format (README): ``id`` (str or
int), ``text`` (str), and optional ``title``, ``source``, ``url`` (str)
and ``published`` (ISO 8601 str or Unix seconds). Results are dicts in
the JSON schemas of the command line (``query --json``, ``cluster
--output``, ``explain --json``, ``stats --json``). Engine errors raise
:class:`syndex.Error` with the engine's message. Heavy calls release the
GIL, so threads may query one index at once.

    import syndex
    index = syndex.Index.create("news.idx")
    index.add(syndex.read_articles(["news.jsonl"]))
    for match in index.query(id="a17", k=5):
        print(match["id"], match["relation"], match["jaccard"])

``python3 -m syndex.dask`` computes the copy groups on a Dask cluster
(syndex/dask.py).
"""

from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

import numpy

from . import _syndex
from ._syndex import Error

__all__ = ["Error", "Index", "features", "read_articles"]

Article = Dict[str, Any]


class Index:
    """A syndex index: a directory written atomically by every commit.

    Queries, ``cluster``, ``explain``, ``stats`` and ``features`` may run
    from many threads at once; ``add``, ``remove`` and ``commit`` wait for
    them and run alone.
    """

    def __init__(self, native: "_syndex.Index") -> None:
        self._index = native

    @classmethod
    def create(cls, path: str, *, overwrite: bool = False, threads: int = 0,
               nprobe: int = 16, **params: Any) -> "Index":
        """Creates an empty index in ``path`` (written by the first commit).

        ``params`` are the index parameters (engine/syndex.h IndexParams):
        ``shingle_size`` (5), ``seed``, ``num_perm`` (128), ``char_perm``
        (128), ``lsh_threshold`` (0.5), ``lsh_min_recall`` (0.95),
        ``min_df`` (1), ``dims`` (256). ``overwrite`` replaces an index in
        ``path``; ``threads`` 0 uses all cores. Takes the writer lock.
        """
        return cls(_syndex.Index.create(path, overwrite=overwrite,
                                        threads=threads, nprobe=nprobe,
                                        **params))

    @classmethod
    def open(cls, path: str, *, write: bool = False, threads: int = 0,
             nprobe: int = 16) -> "Index":
        """Opens the index in ``path``; ``write`` takes the writer lock."""
        return cls(_syndex.Index.open(path, write=write, threads=threads,
                                      nprobe=nprobe))

    def add(self, articles: Iterable[Article], *, skip_bad: bool = False,
            batch_size: int = 100000, commit: bool = True) -> Dict[str, Any]:
        """Adds the articles of an iterable of dicts, ``batch_size`` at a time.

        The first batch of an index learns its site chrome. A bad or
        duplicate article raises (``"article N: reason"``) and leaves the
        index on disk as it was, unless ``skip_bad``, which counts it in
        the report's ``skipped``. Commits unless ``commit`` is False.
        After a failed change this object refuses further calls (the
        engine's state is undefined then): open the index again.
        Returns ``{"added": n, "skipped": {reason: n}, ...}``.
        """
        return self._index.add(articles, skip_bad=skip_bad,
                               batch_size=batch_size, commit=commit)

    def query(self, id: Optional[str] = None, text: Optional[str] = None, *,
              k: int = 10, **options: Any) -> List[Dict[str, Any]]:
        """The best matches of a stored article (``id``) or of a ``text``.

        Returns up to ``k`` dicts in the ``query --json`` schema, best
        first. ``options``: ``candidates``, ``key_term_candidates``,
        ``exhaustive`` (with ``id``), the relation thresholds
        (``syndicated_jaccard``, ``partial_containment``, ``char_jaccard``,
        ``char_cosine_ratio``, ``char_word_ratio``, ``related_story``),
        and with ``text`` the article's ``title``, ``source``, ``url``,
        ``published`` and ``query_id`` (default "query").
        """
        return self._index.query(id, text, k=k, **options)

    def cluster(self, *, copies: bool = False,
                **options: Any) -> List[Dict[str, Any]]:
        """Copy groups and stories: one dict per article, in index order.

        Dicts follow the ``cluster --output`` schema, or with ``copies``
        its copy fields only (``cluster --copies``). ``options``:
        ``neighbours``, ``story_threshold``, ``min_edge_strength``,
        ``lsh_copies_only`` and the relation thresholds.
        """
        return self._index.cluster(copies=copies, **options)

    def explain(self, a: str, b: str, *, text_a: Optional[Article] = None,
                text_b: Optional[Article] = None) -> Dict[str, Any]:
        """Scores, relation and deciding rule of two stored articles.

        With both articles' dicts (the index keeps no texts), also the
        passages they share. The ``explain --json`` schema.
        """
        return self._index.explain(a, b, text_a=text_a, text_b=text_b)

    def stats(self) -> Dict[str, Any]:
        """What the index holds: the ``stats --json`` schema."""
        return self._index.stats()

    def remove(self, ids: Sequence[str], *, commit: bool = True) -> None:
        """Removes the articles with these ids; an unknown id raises and
        removes nothing. Commits unless ``commit`` is False."""
        self._index.remove(list(ids), commit=commit)

    def commit(self) -> None:
        """Writes the index atomically."""
        self._index.commit()

    def features(self, articles: Iterable[Union[Article, str]]
                 ) -> Dict[str, numpy.ndarray]:
        """The copy-detection features of articles (dicts or texts) under
        this index's parameters and chrome: what ``add`` would store.

        Returns arrays ``signature`` (n x num_perm, uint32),
        ``char_signature`` (n x char_perm, uint32), ``shingles``,
        ``char_grams`` (uint32) and ``content_hash`` (uint64).
        """
        return self._index.features(articles)

    def stored_features(self, ids: Sequence[str]) -> Dict[str, numpy.ndarray]:
        """The stored features of articles, as :meth:`features` gives them."""
        return self._index.stored_features(list(ids))

    def ids(self) -> List[str]:
        """The ids of the stored articles, in index order."""
        return self._index.ids()

    def close(self) -> None:
        """Releases the index (and its writer lock); later calls raise."""
        self._index.close()

    def __enter__(self) -> "Index":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __len__(self) -> int:
        return len(self._index)


def features(articles: Iterable[Union[Article, str]],
             **params: Any) -> Dict[str, numpy.ndarray]:
    """The copy-detection features of articles (dicts or texts) without an
    index: equal, bit for bit, to what an index with the same ``params``
    (see :meth:`Index.create`) stores while it has learned no site chrome.
    The arrays of :meth:`Index.features`.
    """
    return _syndex.features(articles, **params)


def read_articles(paths: Sequence[str], **fields: str) -> List[Article]:
    """The articles of JSON Lines files (.jsonl, .jsonl.gz), read by the
    engine's reader: a bad line raises ``"file:line: reason"``. ``fields``
    map the input's field names: ``id_field``, ``text_field``, ...
    """
    return _syndex.read_articles(list(paths), **fields)
