from sasaeai.lib import memo


def test_remembers_until_forgotten_or_too_old() -> None:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert memo.remember("k", compute) == 1
    assert memo.remember("k", compute) == 1
    assert memo.remember("k", compute, seconds=0) == 2  # too old
    memo.forget()
    assert memo.remember("k", compute) == 3


def test_holds_no_more_than_its_limit() -> None:
    """Keys can carry what visitors typed: a flood of different searches cannot grow it."""
    memo.forget()
    for n in range(memo.LIMIT + 5):
        memo.remember(("words", n), lambda: "estimate")
    assert len(memo._remembered) <= memo.LIMIT
    assert memo.remember(("words", memo.LIMIT + 4), lambda: "again") == "estimate"
