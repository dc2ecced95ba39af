from django.urls import path

from . import views

app_name = "consultants"
urlpatterns = [
    path("", views.engagements, name="engagements"),
    path("moi/", views.engagement_create, name="create"),
    path("<int:pk>/", views.engagement_detail, name="engagement"),
    path("<int:pk>/hoat-dong/", views.activity_add, name="activity"),
    path("<int:pk>/ket-thuc/", views.engagement_end, name="end"),
]
