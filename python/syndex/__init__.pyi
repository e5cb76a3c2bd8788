from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

import numpy

from ._syndex import Error as Error

Article = Dict[str, Any]

class Index:
    @classmethod
    def create(cls, path: str, *, overwrite: bool = ..., threads: int = ...,
               nprobe: int = ..., shingle_size: int = ..., seed: int = ...,
               num_perm: int = ..., char_perm: int = ...,
               lsh_threshold: float = ..., lsh_min_recall: float = ...,
               min_df: int = ..., dims: int = ...) -> Index: ...
    @classmethod
    def open(cls, path: str, *, write: bool = ..., threads: int = ...,
             nprobe: int = ...) -> Index: ...
    def add(self, articles: Iterable[Article], *, skip_bad: bool = ...,
            batch_size: int = ..., commit: bool = ...) -> Dict[str, Any]: ...
    def query(self, id: Optional[str] = ..., text: Optional[str] = ..., *,
              k: int = ..., candidates: int = ...,
              key_term_candidates: int = ..., exhaustive: bool = ...,
              syndicated_jaccard: float = ...,
              partial_containment: float = ...,
              char_jaccard: float = ..., char_cosine_ratio: float = ...,
              char_word_ratio: float = ..., related_story: float = ...,
              title: str = ..., source: str = ..., url: str = ...,
              published: Union[str, int, None] = ...,
              query_id: str = ...) -> List[Dict[str, Any]]: ...
    def cluster(self, *, copies: bool = ..., neighbours: int = ...,
                story_threshold: float = ...,
                min_edge_strength: float = ..., lsh_copies_only: bool = ...,
                syndicated_jaccard: float = ...,
                partial_containment: float = ..., char_jaccard: float = ...,
                char_cosine_ratio: float = ..., char_word_ratio: float = ...,
                related_story: float = ...) -> List[Dict[str, Any]]: ...
    def explain(self, a: str, b: str, *, text_a: Optional[Article] = ...,
                text_b: Optional[Article] = ...) -> Dict[str, Any]: ...
    def stats(self) -> Dict[str, Any]: ...
    def remove(self, ids: Sequence[str], *, commit: bool = ...) -> None: ...
    def commit(self) -> None: ...
    def features(self, articles: Iterable[Union[Article, str]]
                 ) -> Dict[str, numpy.ndarray]: ...
    def stored_features(self, ids: Sequence[str]
                        ) -> Dict[str, numpy.ndarray]: ...
    def ids(self) -> List[str]: ...
    def close(self) -> None: ...
    def __enter__(self) -> Index: ...
    def __exit__(self, *exc: Any) -> None: ...
    def __len__(self) -> int: ...

def features(articles: Iterable[Union[Article, str]], *,
             shingle_size: int = ..., seed: int = ..., num_perm: int = ...,
             char_perm: int = ..., lsh_threshold: float = ...,
             lsh_min_recall: float = ..., min_df: int = ...,
             dims: int = ...) -> Dict[str, numpy.ndarray]: ...

def read_articles(paths: Sequence[str], *, id_field: str = ...,
                  text_field: str = ..., title_field: str = ...,
                  source_field: str = ..., url_field: str = ...,
                  published_field: str = ...) -> List[Article]: ...
