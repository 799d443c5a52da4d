from django.urls import path

from films import views

app_name = "kinostarts"

urlpatterns = [
    path("", views.kinostarts, name="current"),
    path("<str:day>/", views.kinostarts_week, name="week"),
]
