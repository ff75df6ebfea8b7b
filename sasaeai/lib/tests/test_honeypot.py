from django import forms

from sasaeai.lib.honeypot import Honeypot


class Letter(Honeypot):
    name = forms.CharField(label="お名前")
    message = forms.CharField(label="ご用件")


def test_the_honeypot_comes_after_the_fields_people_fill_in() -> None:
    assert list(Letter().fields) == ["name", "message", "website"]


def test_a_form_with_the_honeypot_filled_is_refused_in_plain_words() -> None:
    trapped = Letter({"name": "板橋 花子", "message": "こんにちは", "website": "http://spam"})
    assert not trapped.is_valid()
    assert trapped.errors["website"] == ["送信できませんでした。"]
    assert Letter({"name": "板橋 花子", "message": "こんにちは", "website": ""}).is_valid()
