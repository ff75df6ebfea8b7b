"""Small builders of cases for the tests (and the URL sweep)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sasaeai.accounts.models import User
from sasaeai.progress.models import Stage
from sasaeai.test import area

from .. import services
from ..models import Audience, Case, CaseStatus, Question


def make_case(
    area_code: str = "takashimadaira",
    title: str = "男性が集まる朝の体操",
    *,
    by: User | None = None,
    status: str = CaseStatus.DRAFT,
    audience: str = Audience.STAFF,
    questions: tuple[str, ...] = (Question.MORE_MEMBERS,),
    voices: tuple[services.VoiceText, ...] = (),
    links_to: dict[str, Any] | None = None,
    **fields: Any,
) -> Case:
    """A case written through the service; sent for review and published when asked."""
    fields.setdefault("happened_on", dt.date(2026, 6, 1))
    fields.setdefault("stage", Stage.CREATE)
    fields.setdefault("results", "参加者が12人から25人に増えました。")
    case = Case(area=area(area_code), title=title, audience=audience, **fields)
    case = services.save_case(
        case, by=by, questions=questions, voices=list(voices), links_to=links_to
    )
    if status in (CaseStatus.REVIEW, CaseStatus.PUBLISHED):
        case = services.send_for_review(case, by=by)
    if status == CaseStatus.PUBLISHED:
        case = services.publish(case, by=by)
    return case


def make_question(
    by: User,
    title: str = "男性の参加者を増やすには？",
    *,
    text: str = "体操教室の参加者が女性ばかりです。男性に来てもらう工夫を教えてください。",
    stars: tuple[str, ...] = (Question.MORE_MEMBERS,),
    block: str = "",
    **tags: Any,
) -> Any:
    """A question asked through the service, from the asker's own area (or to a block)."""
    from .. import questions_services
    from ..models import AskedQuestion
    from ..questions_lookups import home_area

    place = home_area(by, by.municipality or area("131199"))
    assert place is not None, "the asker holds no area"
    asked = AskedQuestion(title=title, text=text, area=place)
    if block:
        asked.block = area(block)
    return questions_services.ask(asked, by=by, stars=stars, tags=tags)


def make_answer(question: Any, by: User, text: str = "朝の時間に将棋の会を開きました。",
                cases: tuple[Case, ...] = ()) -> Any:  # fmt: skip
    from .. import questions_services
    from ..questions_lookups import home_area

    place = home_area(by, question.municipality)
    assert place is not None, "the answerer holds no area of the question's municipality"
    return questions_services.answer(question, text, by=by, area=place, cases=cases)


def case_attachments(draft: Case, published: Case) -> dict[str, Any]:
    """A photo and a file of a draft case, and a photo (with consent) of a published one: the
    URL sweep's objects (their names are random; nothing in them marks a place)."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    from ..models import CaseFile, CasePhoto

    def png() -> ContentFile[bytes]:
        out = io.BytesIO()
        Image.new("RGB", (4, 4), "white").save(out, "PNG")
        return ContentFile(out.getvalue())

    photo = CasePhoto(case=draft, caption="写真", consent=True)
    photo.image.save("photo.png", png())
    shown = CasePhoto(case=published, caption="写真", consent=True)
    shown.image.save("photo.png", png())
    file = CaseFile(case=draft, title="資料", original_name="資料.pdf", kind="pdf")
    file.file.save("file.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return {"case_photo": photo, "case_photo_name": photo, "case_file": file,
            "public_case_photo": shown, "public_case_photo_name": shown}  # fmt: skip
