"""Answers of pure functions remembered while one document is converted, and forgotten after it.

A document's blocks are read more than once with the same text: the layer split reads each block's script
and looks for OCR residue, the block classifier does again, and looks for dates in the block both as a
dateline and as a signature before the phrase encoder reads its dates. Inside `one_document()`, a function
decorated with `per_document` computes each answer once. The memory lasts one document only, so that
neither the time nor the memory a conversion takes depends on the documents converted before it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_remembering = False
_memories: list[dict[Hashable, Any]] = []  # each decorated function's answers


@contextmanager
def one_document() -> Iterator[None]:
    """Remember answers until the end of the block (one document's conversion)."""
    global _remembering
    outer, _remembering = _remembering, True
    try:
        yield
    finally:
        _remembering = outer
        for answers in _memories:
            answers.clear()


def per_document(function: Callable[P, R]) -> Callable[P, R]:
    """Remember `function`'s answers inside `one_document()`; its arguments must be hashable and its
    answers immutable (they are shared by the callers)."""
    answers: dict[Hashable, R] = {}
    _memories.append(answers)

    @functools.wraps(function)
    def remembered(*args: P.args, **kwargs: P.kwargs) -> R:
        if not _remembering:
            return function(*args, **kwargs)
        key = (args, tuple(kwargs.items()))
        if key in answers:
            return answers[key]
        answer = answers[key] = function(*args, **kwargs)
        return answer

    return remembered
