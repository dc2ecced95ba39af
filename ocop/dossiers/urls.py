from django.urls import path

from . import views

app_name = "dossiers"
urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("new/", views.dossier_create, name="create"),
    path("<int:pk>/", views.dossier_detail, name="detail"),
    path("<int:pk>/submit/", views.dossier_submit, name="submit"),
    path("<int:pk>/review/", views.dossier_review, name="review"),
    path("<int:pk>/versions/<int:number>/", views.dossier_version, name="version"),
    path("<int:pk>/items/<str:key>/answer/", views.item_answer, name="item_answer"),
    path("<int:pk>/items/<str:key>/file/", views.item_file, name="item_file"),
    path("<int:pk>/items/<str:key>/link/", views.item_link, name="item_link"),
    path("<int:pk>/items/<str:key>/reviewed/", views.item_reviewed, name="item_reviewed"),
    path("<int:pk>/files/<int:document_pk>/remove/", views.file_remove, name="file_remove"),
]
