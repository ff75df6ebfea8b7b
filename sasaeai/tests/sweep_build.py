"""The objects the URL sweep opens (sweep.py): both municipalities, the role users, and one
object of every kind a route names in each of the four PLACES, made with the apps' builders."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import PurePosixPath
from typing import Any

from django.core.files.base import ContentFile
from PIL import Image

from sasaeai.accounts.models import Membership, Role, User
from sasaeai.api import ids
from sasaeai.areas.models import Area
from sasaeai.booklets.tests.builders import make_edition
from sasaeai.budgets.tests.builders import category, make_budget, make_expense, pdf_file
from sasaeai.councils.models import MeetingPhoto, MinutesStatus
from sasaeai.councils.tests import builders as councils
from sasaeai.directory.models import Kind, Organization, Proposal, ProposalKind
from sasaeai.directory.tests.builders import make_activity
from sasaeai.directory.tests.confirm_builders import confirm_objects
from sasaeai.directory.tests.network_builders import network_objects
from sasaeai.events.models import CalendarToken, EventSheet, Material
from sasaeai.events.tests.builders import kind as event_kind
from sasaeai.events.tests.builders import make_event, make_local_event, make_signup
from sasaeai.knowhow.tests.builders import (
    case_attachments,
    make_answer,
    make_case,
    make_question,
)
from sasaeai.knowhow.tests.chart_builders import make_chart
from sasaeai.lib.jobs import JobStatus
from sasaeai.lib.tests.test_paper_forms import returned_sheet
from sasaeai.needs.models import Introduction, NeedSheet, PeerCall
from sasaeai.needs.tests.builders import make_helper, make_need
from sasaeai.progress.tests.builders import make_goal
from sasaeai.referrals.crypto import encrypt_bytes
from sasaeai.referrals.models import Institution, InstitutionStaff, ReferralSheet, Status
from sasaeai.referrals.tests.builders import make_institution, make_referral
from sasaeai.reports.models import ReportFile
from sasaeai.reports.tests.builders import make_report
from sasaeai.support.tests.builders import make_booking, make_request, make_venue
from sasaeai.surveys.tests.builders import answer_survey, make_survey
from sasaeai.test import load_itabashi, load_other_town, make_role_users, make_user

from .sweep import MARKERS, PLACES, PLAIN, World

FISCAL_YEAR = 2026


def build() -> World:
    """Both municipalities, the role users, and one object of every kind in each place."""
    load_other_town()
    load_itabashi()
    world = World(users=make_role_users())
    local_sc = {"own": world.users["sc"], "other_block": world.users["other_sc"]}
    for place, code in PLACES.items():
        sc = local_sc.get(place) or make_user(
            f"sc-{code}@example.jp", Role.REGION_SC, code, display_name=f"{MARKERS[place]} SC"
        )
        # Institution staff answer referrals: the role user here, a new one in the other town.
        staff = None
        if place == "own":
            staff = world.users["institution"]
        elif place == "other_town":
            staff = make_user(f"inst-{code}@example.jp", Role.INSTITUTION_STAFF, code)
        objects = _build_place(place, code, sc, staff)
        region = objects["area"]
        world.objects[place] = objects
        world.values[place] = {kind: _value(kind, obj) for kind, obj in objects.items()}
        world.locals[place] = [sc, *([staff] if staff else [])]
        world.homes[place] = (region.path, (region.municipality or region).path)
    return world


def _value(kind: str, obj: Any) -> str:
    if kind.startswith("hsds_"):
        return str(obj)  # an HSDS id, made by _build_place
    if kind in ("survey_token", "calendar_token", "network_token", "confirm_code"):
        return str(obj.token)
    if kind == "area":
        return str(obj.code)
    if kind == "photo_name":
        return PurePosixPath(obj.photo.name).name
    if kind == "meeting_photo_name":
        return PurePosixPath(obj.image.name).name
    if kind.endswith("case_photo_name"):  # a know-how case's photo
        return str(obj.file_name)
    if kind.endswith("sheet_name"):  # a returned paper form's image (lib/paper_forms.py)
        return str(obj.file_name)
    return str(obj if kind in PLAIN else obj.pk)


def _link(user: User, institution: Institution) -> InstitutionStaff:
    return InstitutionStaff.objects.get_or_create(user=user, institution=institution)[0]


def _png() -> ContentFile[bytes]:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return ContentFile(out.getvalue())


def _hsds_ids(activity: Any, root: Area, mark: str) -> dict[str, str]:
    """The open data ids of the place's activity, its group, place and kind."""
    group = Organization.objects.create(municipality=root, area=activity.area, name=f"{mark} 会")
    activity.organization = group
    activity.save(update_fields=["organization"])
    kind = Kind.objects.of(root).order_by("pk").first()
    assert kind is not None
    return {
        "hsds_service": ids.make(root.code, "service", activity.pk),
        "hsds_organization": ids.make(root.code, "organization", group.pk),
        "hsds_taxonomy": ids.make(root.code, "taxonomy-activity", 1),
        "hsds_taxonomy_term": ids.make(root.code, "taxonomy_term", kind.pk),
        "hsds_service_at_location": ids.make(
            root.code, "service_at_location", activity.places.get().pk
        ),
    }


def _build_place(place: str, code: str, sc: User, institution_staff: User | None) -> dict[str, Any]:
    mark = MARKERS[place]
    region = Area.objects.get(code=code)
    root = region.municipality or region
    o: dict[str, Any] = {"area": region, "person": sc, "fiscal_year": FISCAL_YEAR}
    o["membership"] = Membership.objects.get(user=sc, area=region)
    o["activity"] = activity = make_activity(f"{mark} サロン", code)
    activity.photo.save("photo.png", _png())
    o["photo_name"] = activity
    o.update(_hsds_ids(activity, root, mark))
    o["proposal"] = Proposal.objects.create(
        municipality=root, area=region, kind=ProposalKind.NEW, name=f"{mark} 体操",
        details=f"{mark} 毎週火曜",
    )  # fmt: skip
    o["council"] = council = councils.make_council(code, name=f"{mark} 支え合い会議")
    o["council_member"] = councils.make_member(council, name=f"{mark} 委員")
    o["meeting"] = meeting = councils.make_meeting(council, dt.date(FISCAL_YEAR, 4, 16))
    o["agenda_item"] = councils.make_item(meeting, title=f"{mark} 議題")
    o["action_item"] = councils.make_action(meeting, what=f"{mark} 宿題")
    o["minutes"] = councils.make_minutes(meeting, notes=f"{mark} 議事録")
    o["meeting_photo"] = o["meeting_photo_name"] = MeetingPhoto.objects.create(
        meeting=meeting, image=ContentFile(_png().read(), name="photo.png"), caption=mark
    )
    # Some steps fit one state only: a summary is chosen from approved minutes, a draft is
    # edited, sent or deleted, a returned referral is sent again.
    o["approved_meeting"] = held = councils.make_meeting(council, dt.date(FISCAL_YEAR, 3, 19))
    councils.make_minutes(held, status=MinutesStatus.APPROVED, notes=f"{mark} 承認済み")
    o["need"] = need = make_need(code, what=f"{mark} 買い物に困っている", by=sc)
    o["helper"] = make_helper(code, name=f"{mark} 協力者", by=sc)
    o["need_sheet"] = o["need_sheet_name"] = returned_sheet(NeedSheet, by=sc, area=region)
    o["introduction"] = Introduction.objects.create(
        area=region, need=need, activity=activity, note=f"{mark} 紹介"
    )
    o["peer_call"] = PeerCall.objects.create(
        activity=activity, looking_for="helpers", what=f"{mark} 運転できる方"
    )
    o["survey"] = o["survey_token"] = survey = make_survey(code, title=f"{mark} アンケート")
    response = answer_survey(survey, 1, [0], 3, f"{mark} 自由記述")
    o["answer"] = response.answers.order_by("pk").last()
    # Questions change while a survey is a draft (a published one keeps its questions).
    o["draft_survey"] = draft = make_survey(code, status="draft", title=f"{mark} 下書き")
    o["question"] = draft.questions.order_by("position").first()
    # Institutions are kept by the municipality: all of its staff and residents read the list,
    # so only the other town's carries a marker. Each place has its own, so that a referral
    # reaches only the staff of its place's institution.
    o["institution"] = institution = make_institution(
        f"{mark} 相談センター" if place == "other_town" else f"相談センター{region.name}",
        (code,),
        municipality_code=root.code,
    )
    o["institution_kind"] = institution.kind
    o["institution_staff"] = _link(institution_staff or sc, institution)
    for kind, status in (("referral", Status.SENT), ("draft_referral", Status.DRAFT),
                         ("returned_referral", Status.RETURNED)):  # fmt: skip
        o[kind] = make_referral(institution, code, by=sc, status=status, problem=f"{mark} 物忘れ")
    o["referral_sheet"] = o["referral_sheet_name"] = returned_sheet(
        ReferralSheet, by=sc, content=encrypt_bytes(_png().read()), area=region,
        institution=institution,
    )  # fmt: skip
    o["event"] = event = make_event(code, title=f"{mark} 研修会")
    o["draft_event"] = make_event(code, title=f"{mark} 準備中の研修会", published=False)
    o["material"] = material = Material(event=event, title=f"{mark} 資料")
    material.file.save("material.pdf", ContentFile(b"%PDF-1.4"))
    o["event_kind"] = event_kind("training", root.code)
    o["calendar_token"] = CalendarToken.objects.create(user=sc)
    o["local_event"] = local_event = make_local_event(code, title=f"{mark} 体験会")
    o["local_signup"] = make_signup(local_event, name=f"{mark} 申込者")
    o["local_draft"] = make_local_event(code, title=f"{mark} 準備中の体験会", published=False)
    o["event_sheet"] = o["event_sheet_name"] = returned_sheet(EventSheet, by=sc, event=local_event)
    o["support_request"] = make_request(council, title=f"{mark} 受付の手伝い", by=sc)
    o["venue"] = venue = make_venue(name=f"{mark} 会議室", area_code=code)
    o["booking"] = make_booking(venue, purpose=f"{mark} 体操教室")
    o["expense"] = expense = make_expense(make_budget(council), item=f"{mark} 会場使用料")
    expense.receipt.save("receipt.pdf", pdf_file())
    o["expense_category"] = category("会場費", root.code)
    o["goal"] = goal = make_goal(
        code, FISCAL_YEAR, title=f"{mark} 目標", milestones=(f"{mark} 通過点",)
    )
    o["milestone"] = goal.milestones.get()
    o["booklet"] = booklet = make_edition(code, FISCAL_YEAR, welcome=f"{mark} あいさつ")
    booklet.pdf.save("guidebook.pdf", ContentFile(b"%PDF-1.4"))  # as made, for the downloads
    booklet.sheet.save("sheet.pdf", ContentFile(b"%PDF-1.4"))
    o["report"] = make_report(code, FISCAL_YEAR, sc, intro=f"{mark} 活動報告")
    o["report_file"] = made = ReportFile.objects.create(
        area=region, fiscal_year=FISCAL_YEAR, job_status=JobStatus.DONE
    )
    made.pdf.save("report.pdf", pdf_file())
    o.update(network_objects(activity, sc, mark))
    o.update(confirm_objects(activity, mark))
    # A draft is its area's; a published case is read across its municipality, so only the
    # other town's carries the marker (published_case is in MUNICIPAL).
    o["knowhow_case"] = make_case(code, f"{mark} 事例", by=sc, results=f"{mark} 結果")
    o["published_case"] = make_case(
        code, f"{mark} 公開の事例" if place == "other_town" else "公開の事例", by=sc,
        status="published", audience="public",
    )  # fmt: skip
    # Questions are read across their municipality too (MUNICIPAL): the other town's is marked.
    said = mark if place == "other_town" else ""
    o["knowhow_question"] = question = make_question(sc, f"{said} 質問", text=f"{said} 中身")
    o["knowhow_answer"] = make_answer(question, sc, f"{said} 回答")
    o["forum_chart"] = make_chart(code, f"{mark} チャート", meeting=meeting)
    o.update(case_attachments(o["knowhow_case"], o["published_case"]))
    return o
