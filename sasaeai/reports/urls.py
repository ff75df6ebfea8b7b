from django.urls import path

from . import files, views

app_name = "reports_staff"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:code>/", views.area_page, name="area"),
    path("<slug:code>/<int:year>/", views.report_page, name="report"),
    path("<slug:code>/<int:year>/edit/", views.edit, name="edit"),
    path("<slug:code>/<int:year>/send/", views.send, name="send"),
    path("<slug:code>/<int:year>/comment/", views.comment, name="comment"),
    path("<slug:code>/<int:year>/send-back/", views.send_back, name="send_back"),
    path("<slug:code>/<int:year>/approve/", views.approve, name="approve"),
    path("<slug:code>/<int:year>/report.pdf", files.pdf, name="pdf"),
    path("<slug:code>/<int:year>/report.docx", files.docx, name="docx"),
    path("<slug:code>/<int:year>/figures.xlsx", files.xlsx, name="xlsx"),
    path("<slug:code>/<int:year>/pdf/", files.pdf_job, name="pdf_job"),
    path("<slug:code>/<int:year>/pdf/file/", files.pdf_file, name="pdf_file"),
]
