"""Exit statuses of the command line; never an error count (it wraps at 256)."""

from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0
    BAD_INPUT = 1
    USAGE = 2
    INTERNAL = 3
    INTERRUPTED = 130
