"""Staff pages of the route (山登り): the areas' mountains, one region's route in a 年度, a
goal with its milestones, comments and history, and the forms that change them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sasaeai.accounts import access
from sasaeai.areas.models import Area, AreaKind
from sasaeai.councils.models import Minutes
from sasaeai.lib import optimistic
from sasaeai.lib.fiscal import fiscal_year_of, year_asked, year_label

from . import lookups, services, survey, year_figures
from .forms import CommentForm, GoalForm, MilestoneForm, StatusForm
from .models import Goal
from .route import route

VIEW = lookups.VIEW
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
@access.require(VIEW)
def index(request: HttpRequest) -> HttpResponse:
    """The areas whose progress this person follows; with one, straight to its page."""
    granted = access.granted_areas(request.user, VIEW)
    paths = {a.path for a in granted}
    tops = sorted(
        (a for a in granted if not any(a.path.startswith(f"{p}/") for p in paths)),
        key=lambda a: a.path,
    )
    if len(tops) == 1:
        return redirect("progress_staff:area", tops[0].code)
    return render(request, "progress/index.html", {"areas": tops})


@require_GET
@access.require(VIEW)
def area_page(request: HttpRequest, code: str) -> HttpResponse:
    """A region: its mountain and goals in the 年度. A block or the ward: each region's
    mountain, small, in the area file's order — side by side, never ranked."""
    area = lookups.area(request, code)
    year = year_asked(request)
    context = {
        "area": area, "year": year, "year_label": year_label(year),
        "previous": year - 1, "next": year + 1,
        "ancestors": area.ancestors(),
    }  # fmt: skip
    if area.kind == AreaKind.REGION:
        mountain = route([area], year)[area.pk]
        context |= {
            "mountain": mountain,
            "may_walk": lookups.may_walk(request.user, area),
        }
        return render(request, "progress/region.html", context)
    regions = list(
        access.scope(request.user, Area.objects.regions(), VIEW, "")
        .filter(path__startswith=f"{area.path}/")
        .order_by("sort_order", "path")
    )
    mountains = route(regions, year)
    figures = year_figures.headlines(regions, year)
    context["mountains"] = [(mountains[r.pk], figures[r.pk]) for r in regions]
    return render(request, "progress/areas.html", context)


@require_GET
@access.require(VIEW)
def goal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    goal = lookups.goal(request, pk)
    year = year_asked(request) if "year" in request.GET else fiscal_year_of(timezone.localdate())
    may_comment = lookups.may_comment(request.user, goal.area)
    context = {
        "goal": goal,
        "year": year,
        "milestones": goal.milestones.select_related("minutes__meeting"),
        "comments": goal.comments.all(),
        "steps": goal.steps.all(),
        "activities": goal.activities.all(),
        "needs": goal.needs.select_related("kind"),
        # Helpers carry names: only staff who may edit the area see them.
        "helpers": goal.helpers.all() if may_comment else None,
        "decision": goal.decision,
        "may_walk": lookups.may_walk(request.user, goal.area),
        "may_comment": may_comment,
        "status_form": StatusForm(initial={"status": goal.status, "reason": goal.review_reason}),
        "milestone_form": MilestoneForm(),
        "comment_form": CommentForm(),
    }
    return render(request, "progress/goal.html", context)


@require_http_methods(["GET", "POST"])
@access.require(VIEW)
def goal_edit(request: HttpRequest, code: str = "", pk: int | None = None) -> HttpResponse:
    if pk is None:
        region = lookups.region_to_walk(request, code)
        goal = Goal(area=region)
    else:
        goal = lookups.goal(request, pk, lookups.WALK)
        region = goal.area
    form = GoalForm(request.POST or None, instance=goal, region=region)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_goal(form.save(commit=False), by=request.user, version=form.version_read)
        except optimistic.Stale as stale:
            form.refuse(stale, link=goal.get_absolute_url())
        else:
            form.save_m2m()
            messages.success(request, _("目標を保存しました。"))
            return redirect(goal)
    context = {"form": form, "goal": goal, "area": region}
    return render(request, "progress/goal_form.html", context, status=optimistic.status(form))


@require_POST
@access.require(VIEW)
def goal_status(request: HttpRequest, pk: int) -> HttpResponse:
    goal = lookups.goal(request, pk, lookups.WALK)
    form = StatusForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        services.set_status(goal, data["status"], by=request.user, reason=data["reason"])
        messages.success(request, _("目標の状態を変えました。"))
    else:
        _say_errors(request, form)
    return redirect(goal)


@require_POST
@access.require(VIEW)
def milestone_new(request: HttpRequest, pk: int) -> HttpResponse:
    goal = lookups.goal(request, pk, lookups.WALK)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        services.add_milestone(goal, form.save(commit=False), by=request.user)
        messages.success(request, _("通過点を加えました。"))
    else:
        _say_errors(request, form)
    return redirect(goal)


@require_http_methods(["GET", "POST"])
@access.require(VIEW)
def milestone_edit(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = lookups.milestone(request, pk)
    form = MilestoneForm(request.POST or None, instance=milestone)
    back = milestone.goal.get_absolute_url()
    if request.method == "POST" and form.is_valid() and optimistic.saved(form, link=back):
        messages.success(request, _("通過点を保存しました。"))
        return redirect(milestone.goal)
    context = {"form": form, "milestone": milestone}
    return render(request, "progress/milestone_form.html", context, status=optimistic.status(form))


@require_POST
@access.require(VIEW)
def milestone_reach(request: HttpRequest, pk: int) -> HttpResponse:
    """Tick a milestone; from the minutes page, the minutes it was reported in come along
    (they must be of the goal's own region) and the page goes back there."""
    milestone = lookups.milestone(request, pk)
    minutes = None
    if minutes_pk := request.POST.get("minutes", "").strip():
        minutes = get_object_or_404(
            Minutes.objects.select_related("meeting__council"),
            pk=int(minutes_pk) if minutes_pk.isdigit() else 0,
            meeting__council__area=milestone.goal.area,
        )
    services.reach(milestone, by=request.user, minutes=minutes)
    messages.success(request, _("通過点「%(title)s」に着きました。") % {"title": milestone.title})
    if minutes is not None:
        return redirect(minutes)
    return redirect(milestone.goal)


@require_POST
@access.require(VIEW)
def milestone_unreach(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = lookups.milestone(request, pk)
    services.unreach(milestone, by=request.user)
    messages.success(request, _("通過点を未達に戻しました。"))
    return redirect(milestone.goal)


@require_POST
@access.require(VIEW)
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    goal = lookups.goal(request, pk, lookups.COMMENT)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment(goal, form.cleaned_data["text"], by=request.user)
        messages.success(request, _("コメントを書きました。"))
    else:
        _say_errors(request, form)
    return redirect(goal)


def _say_errors(request: HttpRequest, form: forms.BaseForm) -> None:
    """A small form posted from the goal's page: its errors as messages there."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


@require_GET
@access.require(VIEW)
def figures_page(request: HttpRequest, code: str) -> HttpResponse:
    """An area's figures over five 年度: charts drawn on the server and the same numbers as a
    table, every number linked to the list it counts where one can show exactly those."""
    area = lookups.area(request, code)
    year = year_asked(request)
    table = year_figures.tables([area], year)[0]
    municipality = area.municipality or area
    context = {
        "area": area, "year": year, "year_label": year_label(year),
        "previous": year - 1, "next": year + 1, "ancestors": area.ancestors(),
        "table": table,
        "closure": year_figures.closures(municipality, [year]).get(year),
        "may_close": area.pk == municipality.pk and lookups.may_close(request.user, municipality),
        "year_over": year < fiscal_year_of(timezone.localdate()),
    }  # fmt: skip
    return render(request, "progress/figures.html", context)


@require_POST
@access.require(VIEW)
def close_year(request: HttpRequest) -> HttpResponse:
    """The ward closes a 年度: its figures are frozen as they are counted now."""
    municipality = lookups.municipality_to_close(request)
    year = year_asked(request)
    if year >= fiscal_year_of(timezone.localdate()):
        messages.error(request, _("終わっていない年度は締められません。"))
    else:
        year_figures.close_year(municipality, year, by=request.user)
        messages.success(
            request,
            _("%(year)sを締めました。数字はこの日のまま残ります。") % {"year": year_label(year)},
        )
    return redirect(f"{reverse('progress_staff:figures', args=[municipality.code])}?year={year}")


@require_POST
@access.require(VIEW)
def reopen_year(request: HttpRequest) -> HttpResponse:
    """The ward reopens a closed 年度, saying why (kept with the closure, and audited)."""
    municipality = lookups.municipality_to_close(request)
    year = year_asked(request)
    closure = year_figures.closures(municipality, [year]).get(year)
    reason = request.POST.get("reason", "").strip()
    if closure is None:
        messages.error(request, _("この年度は締められていません。"))
    elif not reason or len(reason) > 300:
        messages.error(request, _("開け直す理由を300文字までで書いてください。"))
    else:
        year_figures.reopen_year(closure, by=request.user, reason=reason)
        messages.success(request, _("%(year)sを開け直しました。") % {"year": year_label(year)})
    return redirect(f"{reverse('progress_staff:figures', args=[municipality.code])}?year={year}")


@require_GET
@access.require(VIEW)
def survey_workbook(request: HttpRequest) -> HttpResponse:
    """The national survey's figures of a 年度 as .xlsx, for the ward (who may close it)."""
    municipality = lookups.municipality_to_close(request)
    year = year_asked(request)
    content = survey.workbook(municipality, year)
    name = f"mhlw-survey-{municipality.code}-{year}.xlsx"
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
