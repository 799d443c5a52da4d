from django.urls import path

from films import views

app_name = "kinostarts"

urlpatterns = [
    path("", views.kinostarts, name="current"),
    path("<text:day>/", views.kinostarts_week, name="week"),
]
