"""Two people edit the same record through its edit page (lib/optimistic.py): the helper the
apps' `test_edit_conflicts.py` share. It reads the form off the page as a browser would send
it, so each test names only the page, the two people and the field they both change."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

from django.test import Client
from django.utils.html import escape

TOLD = "ほかの人が先に保存しました"
SAVED_NOW = "いま保存されている内容"


class _PostForm(HTMLParser):
    """The fields of each POST form on a page, with the values a browser would send."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, list[str]]] = []
        self._form: dict[str, list[str]] | None = None
        self._select = ""
        self._textarea = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = {}
            self.forms.append(self._form)
        if self._form is None or "disabled" in a:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form.setdefault(name, []).append(
                a.get("value", "on" if kind == "checkbox" else "")
            )
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self._form.setdefault(self._select, []).append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._form.setdefault(name, []).append("")

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            values = self._form[self._textarea]
            values[-1] += data.removeprefix("\n") if not values[-1] else data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = ""
        elif tag == "textarea":
            self._textarea = ""


def form_on(page: str) -> dict[str, Any]:
    """The edit form of `page` (the POST form that carries a `version`), as it would be sent."""
    parser = _PostForm()
    parser.feed(page)
    found = [f for f in parser.forms if "version" in f]
    assert found, "the edit form carries the version it was read with"
    return {name: values if len(values) > 1 else values[0] for name, values in found[0].items()}


def opened(client: Client, user: Any, url: str) -> dict[str, Any]:
    """The edit page as `user` opens it: its form's data, to change and send."""
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return form_on(response.content.decode())


def second_saver_is_told(
    url: str,
    people: tuple[Any, Any],
    field: str,
    values: tuple[str, str],
    saved: Callable[[], Any],
    fill: dict[str, str] | None = None,
) -> None:
    """`people` open `url` at once; the first saves `values[0]` into `field`, the second then
    `values[1]` (both also typing `fill` into a form that opened empty): they get 409, their
    input kept, what the first saved shown, and nothing of theirs written. Pressing 保存する
    again on that page, after looking, saves theirs."""
    first, second = Client(), Client()
    mine, theirs = opened(first, people[0], url), opened(second, people[1], url)
    mine, theirs = {**mine, **(fill or {})}, {**theirs, **(fill or {})}
    done = first.post(url, {**mine, field: values[0]})
    assert done.status_code == 302, done.content.decode()[-3000:]
    assert saved() == values[0]

    refused = second.post(url, {**theirs, field: values[1]})
    page = refused.content.decode()
    assert refused.status_code == 409, page[-3000:]
    assert TOLD in page and "もう一度「保存する」を押してください" in page
    assert SAVED_NOW in page and escape(values[0]) in page  # what the first saved
    assert saved() == values[0]  # nothing of the second's written
    kept = form_on(page)
    assert kept[field] == values[1]  # their input is still in the form

    again = second.post(url, kept)
    assert again.status_code == 302, again.content.decode()[-3000:]
    assert saved() == values[1]


def second_saver_is_told_in_the_browser(
    base: str, page: str, saved: str, label: str, values: tuple[str, str], shot: str
) -> None:
    """The same in Chromium (the live server at `base`): the region's SC and the block's SC
    (make_role_users) open the edit page `page`; the SC saves values[0] into the field labelled
    `label` (and lands on `saved`), the block SC then saves values[1] and is told, with their
    input kept; the page passes axe (screenshot `shot`)."""
    from sasaeai.test import make_role_users
    from sasaeai.tests.test_browser import SHOTS, check_page, chromium_page, sign_in

    users = make_role_users()
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    with chromium_page([]) as first:
        second = first.context.browser.new_page(locale="ja-JP")
        sign_in(first, base, users["sc"])
        sign_in(second, base, users["block"])
        first.goto(base + page)
        second.goto(base + page)
        first.get_by_label(label).fill(values[0])
        first.get_by_role("button", name="保存する").click()
        first.wait_for_url(base + saved)
        second.get_by_label(label).fill(values[1])
        second.get_by_role("button", name="保存する").click()
        second.get_by_role("heading", name=SAVED_NOW).wait_for()
        told = second.get_by_role("alert").inner_text()
        kept = second.get_by_label(label).input_value()
        check_page(second, shot, problems)
    assert TOLD in told and kept == values[1]
    assert not problems, "\n".join(problems)
