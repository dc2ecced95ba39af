from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("<int:pk>/<str:name>", views.document_download, name="download"),
    path("public/<int:pk>/<str:name>", views.public_image, name="public_image"),
]
