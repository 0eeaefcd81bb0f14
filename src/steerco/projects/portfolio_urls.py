from django.urls import path

from . import views

app_name = "portfolios"

urlpatterns = [
    path("", views.portfolio_list_view, name="list"),
    path("new/", views.portfolio_create_view, name="create"),
    path("<int:pk>/", views.portfolio_detail_view, name="detail"),
    path("<int:pk>/edit/", views.portfolio_edit_view, name="edit"),
]
