"""Typing yen: commas and full-width digits are fine; decimals and words are refused."""

from __future__ import annotations

import pytest

from sasaeai.budgets.money import MoneyError, YenField, parse_yen


@pytest.mark.parametrize(
    ("text", "yen"),
    [("1000", 1000), ("1,000", 1000), ("１０００", 1000), ("１，０００", 1000),
     ("12,345,678", 12_345_678), (" 3000円 ", 3000), ("¥2,500", 2500), ("￥800", 800)],
)  # fmt: skip
def test_accepts_what_people_type(text: str, yen: int) -> None:
    assert parse_yen(text) == yen
    assert isinstance(parse_yen(text), int)


@pytest.mark.parametrize(
    ("text", "message"),
    [("1,000.5", "小数点は使えません"), ("1000.0", "小数点は使えません"),
     ("-500", "0円より大きい"), ("1,00", "数字で入力"), ("千円", "数字で入力"),
     ("1e3", "数字で入力"), ("", "金額を入力")],
)  # fmt: skip
def test_refuses_anything_else_in_japanese(text: str, message: str) -> None:
    with pytest.raises(MoneyError, match=message):
        parse_yen(text)


def test_field_limits_and_messages() -> None:
    field = YenField(label="金額", max_yen=10_000)
    assert field.clean("１０，０００") == 10_000
    for text, message in [("10,001", "10,000円まで"), ("0", "1円以上"), ("1,000.5", "小数点")]:
        with pytest.raises(Exception, match=message):
            field.clean(text)
    assert field.prepare_value(1234567) == "1,234,567"
