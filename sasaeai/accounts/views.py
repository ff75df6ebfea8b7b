from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import access
from .forms import MembershipForm
from .models import Capability, Membership
from .services import grant_role

MANAGE = Capability.MANAGE_MEMBERS


@require_http_methods(["GET", "POST"])
@access.require(MANAGE)
def members(request: HttpRequest) -> HttpResponse:
    form = MembershipForm(request.POST or None, areas=access.areas(request.user, MANAGE))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        membership = grant_role(data["email"], data["area"], data["role"], data["display_name"])
        messages.success(
            request,
            _("%(user)s に「%(area)s」の %(role)s の役割を付けました。")
            % {
                "user": membership.user.email,
                "area": data["area"].name,
                "role": membership.get_role_display(),
            },
        )
        return redirect("accounts:members")
    rows = access.scope(request.user, Membership.objects.select_related("user", "area"), MANAGE)
    return render(request, "accounts/members.html", {"form": form, "memberships": rows})


@require_POST
@access.require(MANAGE)
def remove_member(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access.get_object(request, Membership.objects.all(), MANAGE, pk=pk)
    membership.delete()
    messages.success(request, _("役割を外しました。"))
    return redirect("accounts:members")
