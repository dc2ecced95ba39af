from django.urls import path

from . import views

app_name = "products"
urlpatterns = [
    path("", views.product_list, name="list"),
    path("new/", views.product_create, name="create"),
    path("<int:pk>/", views.product_detail, name="detail"),
    path("<int:pk>/edit/", views.product_edit, name="edit"),
    path("<int:pk>/photos/", views.product_photo_add, name="photo_add"),
    path(
        "<int:pk>/photos/<int:document_id>/remove/",
        views.product_photo_remove,
        name="photo_remove",
    ),
]
