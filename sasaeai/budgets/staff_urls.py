from django.urls import path

from . import category_views, expense_views, views

app_name = "budgets_staff"
urlpatterns = [
    path("", views.budget_list, name="list"),
    path("<int:council_pk>/<int:year>/", views.year_page, name="year"),
    path("<int:council_pk>/<int:year>/budget/", views.budget_edit, name="budget"),
    path("<int:council_pk>/<int:year>/close/", views.close, name="close"),
    path("<int:council_pk>/<int:year>/ledger.xlsx", views.export, name="export"),
    path(
        "<int:council_pk>/<int:year>/expenses/new/", expense_views.expense_new, name="expense_new"
    ),
    path("expenses/<int:pk>/", expense_views.expense_edit, name="expense_edit"),
    path("expenses/<int:pk>/delete/", expense_views.expense_delete, name="expense_delete"),
    path("expenses/<int:pk>/decide/", expense_views.decide, name="decide"),
    path("expenses/<int:pk>/receipt/", expense_views.receipt, name="receipt"),
    path("categories/", category_views.categories, name="categories"),
    path("categories/<int:pk>/", category_views.category_edit, name="category_edit"),
]
