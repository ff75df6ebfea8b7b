from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("sasaeai.core.urls")),
    path("areas/", include("sasaeai.core.area_urls")),
    path("activities/", include("sasaeai.directory.urls")),
    path("staff/activities/", include("sasaeai.directory.staff_urls")),
    path("staff/members/", include("sasaeai.accounts.urls")),
    path("staff/audit/", include("sasaeai.core.audit_urls")),
    path("staff/contacts/", include("sasaeai.core.contact_urls")),
    path("staff/activities/transfer/", include("sasaeai.directory.transfer_urls")),
    path("network/", include("sasaeai.directory.network_public_urls")),
    path("staff/network/", include("sasaeai.directory.network_urls")),
    path("confirm/", include("sasaeai.directory.confirm_public_urls")),
    path("staff/confirm/", include("sasaeai.directory.confirm_urls")),
    path("staff/councils/", include("sasaeai.councils.staff_urls")),
    path("needs/surveys/", include("sasaeai.surveys.urls")),
    path("staff/needs/surveys/", include("sasaeai.surveys.staff_urls")),
    path("needs/", include("sasaeai.needs.urls")),
    path("staff/needs/", include("sasaeai.needs.staff_urls")),
    path("institutions/", include("sasaeai.referrals.urls")),
    path("staff/referrals/", include("sasaeai.referrals.staff_urls")),
    path("events/", include("sasaeai.events.urls")),
    path("staff/events/", include("sasaeai.events.staff_urls")),
    path("staff/support/", include("sasaeai.support.staff_urls")),
    path("staff/budgets/", include("sasaeai.budgets.staff_urls")),
    path("staff/progress/", include("sasaeai.progress.staff_urls")),
    path("staff/reports/", include("sasaeai.reports.urls")),
    path("staff/booklets/", include("sasaeai.booklets.urls")),
    path("knowhow/", include("sasaeai.knowhow.public_urls")),
    path("staff/knowhow/", include("sasaeai.knowhow.urls")),
    path("staff/api-tokens/", include("sasaeai.api.token_urls")),
    path("api/", include("sasaeai.api.urls")),
    path("opendata/", include("sasaeai.api.opendata_urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "sasaeai.core.errors.bad_request"
handler403 = "sasaeai.core.errors.forbidden"
handler404 = "sasaeai.core.errors.not_found"
handler500 = "sasaeai.core.errors.server_error"
