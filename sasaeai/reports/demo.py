"""Demo reports, called by core.demo.load_demo after the routes and figures: 高島平's report of
last 年度 written, reviewed by the block and approved (version 1), and this 年度's begun as a
draft. Made through the services, so their history reads as the demo users' steps."""

from __future__ import annotations

from django.utils import timezone

from sasaeai.accounts.models import User
from sasaeai.areas.models import Area
from sasaeai.councils.models import Council
from sasaeai.lib.fiscal import fiscal_year_of

from . import pictures, services

REGION = "takashimadaira"
LAST_YEAR = {
    "intro": "高島平地域支え合い会議は、毎月1回、町会・民生委員・サロン・介護事業所・包括・社協が"
    "集まり、「独りじゃないよ 繋がりあって安心」を目指して話し合ってきました。",
    "achievements": "地域の活動を聞き取って一覧にし、会議で確かめました。通いの場が2か所増え、"
    "困りごとの相談から新しい見守りの活動が生まれました。",
    "issues": "担い手が同じ顔ぶれになりがちです。若い世代や男性の参加が少ないままです。",
    "next_year": "活動の一覧を住民に配り、担い手募集の説明会を開きます。",
}
THIS_YEAR = {
    "intro": "今年度も毎月の会議を続けています。",
    "achievements": "",
    "issues": "",
    "next_year": "",
}


def build_reports(municipality: Area) -> None:
    area = Area.objects.filter(municipality=municipality, code=REGION).first()
    if area is None or area.annual_reports.exists():
        return
    sc = User.objects.filter(email="sc@demo.sasaeai.jp").first()
    block = User.objects.filter(email="block@demo.sasaeai.jp").first()
    year = fiscal_year_of(timezone.localdate())
    # One photo of last year's minutes goes into its report (councils/demo_photos.py).
    council = Council.objects.filter(area=area).first()
    chosen = pictures.year_photos(council, year - 1)[:1]
    report = services.save_draft(area, year - 1, LAST_YEAR, by=sc, photos=chosen)
    services.send_for_review(report, by=sc)
    services.comment(report, "成果がよくわかります。数字も添えてあり読みやすいです。", by=block)
    services.approve(report, by=block)
    services.save_draft(area, year, THIS_YEAR, by=sc)
