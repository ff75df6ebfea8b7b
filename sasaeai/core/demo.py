"""Deterministic Itabashi demo data. Later capabilities add their own builders here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from sasaeai.accounts.models import Membership, Role, User
from sasaeai.areas.demo import build_contacts
from sasaeai.areas.loader import load_areas
from sasaeai.areas.models import Area, AreaKind
from sasaeai.booklets.demo import build_booklets
from sasaeai.budgets.demo import build_budgets
from sasaeai.councils.demo import build_councils
from sasaeai.directory.confirm_demo import build_confirmations
from sasaeai.directory.demo import build_activities
from sasaeai.directory.kinds import seed_kinds
from sasaeai.directory.network_demo import build_network
from sasaeai.events.demo import build_events
from sasaeai.knowhow.demo import build_knowhow
from sasaeai.lib import planner_stats
from sasaeai.needs.demo import build_needs
from sasaeai.progress.demo import build_progress
from sasaeai.progress.figures_demo import build_figures
from sasaeai.referrals.demo import build_referrals
from sasaeai.reports.demo import build_reports
from sasaeai.support.demo import build_support
from sasaeai.surveys.demo import build_surveys

# Builders that need chance draw from random.Random(SEED), so every run is identical.
SEED = 20261126
DEMO_PASSWORD = "sasaeai-demo-2026"  # noqa: S105 - printed for the local demo only
ITABASHI = "131199"


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: str
    area_code: str


DEMO_USERS = [
    DemoUser("admin@demo.sasaeai.jp", "管理 花子", Role.ADMIN, ITABASHI),
    DemoUser("ward@demo.sasaeai.jp", "区役所 一郎", Role.WARD_STAFF, ITABASHI),
    DemoUser("block@demo.sasaeai.jp", "赤塚 ブロック", Role.BLOCK_SC, "blk-akatsuka"),
    DemoUser("sc@demo.sasaeai.jp", "高島 平子", Role.REGION_SC, "takashimadaira"),
    DemoUser("member@demo.sasaeai.jp", "会議 委員", Role.COUNCIL_MEMBER, "takashimadaira"),
    DemoUser(
        "institution@demo.sasaeai.jp", "包括 相談員", Role.INSTITUTION_STAFF, "takashimadaira"
    ),
]


@transaction.atomic
def load_demo() -> list[DemoUser]:
    municipality = Area.objects.filter(kind=AreaKind.MUNICIPALITY, code=ITABASHI).first()
    if municipality is None:
        load_areas(Path(settings.BASE_DIR) / "data" / "areas" / "itabashi.csv")
        municipality = Area.objects.get(kind=AreaKind.MUNICIPALITY, code=ITABASHI)
    for demo in DEMO_USERS:
        user = User.objects.filter(email=demo.email).first()
        if user is None:
            user = User.objects.create_user(
                demo.email, DEMO_PASSWORD, display_name=demo.name, municipality=municipality
            )
        area = Area.objects.get(municipality=municipality, code=demo.area_code)
        Membership.objects.get_or_create(user=user, area=area, role=demo.role)
    build_contacts(municipality)
    seed_kinds(municipality)
    build_activities(municipality, SEED)
    build_network(municipality, SEED)
    build_confirmations(municipality, SEED)
    build_councils(municipality, SEED)
    build_surveys(municipality, SEED)  # before the needs, as the demo has always made them
    build_needs(municipality, SEED)
    build_referrals(municipality, SEED, institution_staff="institution@demo.sasaeai.jp")
    build_events(municipality, SEED)
    build_support(municipality, SEED)
    build_budgets(municipality, SEED)
    build_progress(municipality, SEED)
    build_figures(municipality, SEED)
    build_reports(municipality)
    build_booklets(municipality)
    build_knowhow(municipality)
    planner_stats.refresh()  # a new SQLite database has no statistics to plan the searches
    return DEMO_USERS
