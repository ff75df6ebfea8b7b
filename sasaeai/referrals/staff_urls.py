from django.urls import path

from . import staff_views

app_name = "referrals_staff"
urlpatterns = [
    path("", staff_views.referral_list, name="list"),
    path("new/", staff_views.referral_edit, name="new"),
    path("institutions/", staff_views.institution_list, name="institutions"),
    path("<int:pk>/", staff_views.referral_detail, name="detail"),
    path("<int:pk>/edit/", staff_views.referral_edit, name="edit"),
    path("<int:pk>/print/", staff_views.referral_print, name="print"),
    path("<int:pk>/send/", staff_views.referral_send, name="send"),
    path("<int:pk>/answer/", staff_views.referral_answer, name="answer"),
    path("<int:pk>/erase/", staff_views.referral_erase, name="erase"),
    path("<int:pk>/disclosure/", staff_views.referral_disclosure, name="disclosure"),
]
