from django.urls import path

from . import views

app_name = "subscriptions"

urlpatterns = [
    path("", views.my_subscriptions, name="my-subscriptions"),
    path("bodies/<slug:slug>/", views.follow, name="follow"),
    path("bodies/<slug:slug>/check-your-email/", views.check_email, name="check-email"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
