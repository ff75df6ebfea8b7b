"""Seats and the waiting list, shared by SC trainings (one seat per registration) and local
events for residents (a sign-up may bring several people): who fits, and who moves up."""

from __future__ import annotations

from collections.abc import Callable, Sequence


def fits(capacity: int | None, taken: int, size: int = 1) -> bool:
    """Whether `size` more people fit when `taken` seats are taken (no capacity: always)."""
    return capacity is None or taken + size <= capacity


def to_promote[T](
    capacity: int | None, taken: int, waiting: Sequence[T], size: Callable[[T], int]
) -> list[T]:
    """The waiters who get a seat, in order of application. The queue keeps its order: when
    the first in line does not fit, nobody behind them jumps ahead."""
    promoted: list[T] = []
    for waiter in waiting:
        if not fits(capacity, taken, size(waiter)):
            break
        taken += size(waiter)
        promoted.append(waiter)
    return promoted
