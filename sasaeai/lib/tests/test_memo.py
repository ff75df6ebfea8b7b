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
