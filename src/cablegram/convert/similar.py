"""difflib's similarity ratio against one fixed string, computed only where it can reach a threshold.

`SequenceMatcher(None, a, b).ratio()` builds an index of `b` (its most expensive step) and walks both
strings. Where one `b` is compared with many `a` (a block with the blocks before it, a source term with
every window of the original), `Similar` builds the index once (difflib's own advice: set the second
sequence once, the first many times) and tries exact upper bounds of the ratio first: the one that
difflib's `real_quick_ratio()` computes, from the lengths alone (at most as many matches as the shorter
string has characters); then the length of the two strings' longest common subsequence, since the
matching blocks difflib finds lie in order in both strings and so form a common subsequence. RapidFuzz
counts that subsequence in C (a bit-parallel algorithm) in a fraction of a microsecond, less than counting
the two strings' shared characters in Python took, and it is the tighter bound of the two. A bound below
the threshold means the ratio is too, so the answers are difflib's own.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from difflib import SequenceMatcher
from itertools import accumulate, repeat
from operator import sub

from rapidfuzz.distance import LCSseq


class Similar:
    """The ratio of any `a` to one `b`, as `SequenceMatcher(None, a, b).ratio()` gives it."""

    def __init__(self, b: str, threshold: float) -> None:
        if not 0 < threshold <= 1:
            raise ValueError(f"threshold {threshold} is not in (0, 1]")
        self._b = b
        self._matcher: SequenceMatcher[str] | None = None  # built when a pair passes both bounds
        self._length = length = len(b)
        self._counts = Counter(b)
        self._drop_b: dict[int, None] | None = None  # made when first needed
        self._needed: list[int] | None = None  # made when first needed
        self.threshold = threshold
        # The lengths of `a` that pass the first bound, 2·min(len a, len b) / (len a + len b): a range, as
        # the bound grows with len a up to len b (where it is 1) and falls beyond (the exact quotient does,
        # and a division rounded once keeps that order), so its ends are found by bisection.
        low = bisect_left(range(length + 1), True, key=lambda n: _ratio(n, n + length) >= threshold)
        beyond = 2 * length + 1
        while _ratio(length, beyond + length) >= threshold:
            beyond *= 2
        high = length + bisect_left(
            range(length, beyond + 1), True, key=lambda n: _ratio(length, n + length) < threshold
        )
        self.lengths = range(low, high)

    def shared_at_most(self, parts: list[str]) -> list[int]:
        """For each run of `parts` from the first, how many of its characters occur in `b` at all: a bound on
        the matches that adds up over parts, so that the bound for any `a` made of consecutive parts is a
        difference of two of these."""
        if self._drop_b is None:
            self._drop_b = dict.fromkeys(map(ord, self._counts))
        outside = map(len, map(str.translate, parts, repeat(self._drop_b)))
        return [0, *accumulate(map(sub, map(len, parts), outside))]

    def needed(self) -> list[int]:
        """For each of `lengths`, in order, the fewest matches with which an `a` that long reaches the
        threshold."""
        if self._needed is None:
            self._needed = []
            for n in self.lengths:
                total, most = n + self._length, min(n, self._length)
                self._needed.append(
                    bisect_left(range(most + 1), True, key=lambda m: _ratio(m, total) >= self.threshold)
                )
        return self._needed

    def may_reach(self, matches: int, length: int) -> bool:
        """Whether `matches` matching characters between an `a` of `length` and `b` reach the threshold."""
        return _ratio(matches, length + self._length) >= self.threshold

    def ratio(self, a: str) -> float | None:
        """The ratio when it is at least the threshold, else None."""
        if len(a) not in self.lengths:
            return None
        if not self.may_reach(LCSseq.similarity(a, self._b), len(a)):
            return None
        if self._matcher is None:
            self._matcher = SequenceMatcher(None)
            self._matcher.set_seq2(self._b)
        self._matcher.set_seq1(a)
        ratio = self._matcher.ratio()
        return ratio if ratio >= self.threshold else None


def _ratio(matches: int, length: int) -> float:
    # difflib's _calculate_ratio, the same float operations, so that a bound compares as difflib's does
    return 2.0 * matches / length if length else 1.0
