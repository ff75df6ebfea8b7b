from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sasaeai.accounts import access


@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    area = access.public_area(request, code)
    context = {
        "area": area,
        "ancestors": area.ancestors(),
        "children": area.children.all(),
    }
    return render(request, "areas/detail.html", context)
