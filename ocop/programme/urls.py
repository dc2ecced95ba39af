from django.urls import path

from . import views

app_name = "programme"
urlpatterns = [
    path("", views.plans, name="index"),
    path("moi/", views.plan_form, name="create"),
    path("<int:pk>/", views.plan_detail, name="plan"),
    path("<int:pk>/sua/", views.plan_form, name="edit"),
    path("<int:pk>/phe-duyet/", views.plan_approve, name="approve"),
    path("tap-huan/", views.courses, name="courses"),
    path("tap-huan/moi/", views.course_form, name="course_create"),
    path("tap-huan/<int:pk>/", views.course_detail, name="course"),
    path("tap-huan/<int:pk>/sua/", views.course_form, name="course_edit"),
    path("tap-huan/<int:pk>/dang-ky/", views.course_register, name="course_register"),
    path("tap-huan/<int:pk>/diem-danh/", views.course_attendance, name="course_attendance"),
    path("tap-huan/<int:pk>/danh-gia/", views.course_feedback, name="course_feedback"),
    path("tai-lieu/", views.library, name="library"),
    path("tai-lieu/moi/", views.guidance_form, name="guidance_create"),
    path("tai-lieu/<int:pk>/", views.guidance_detail, name="guidance"),
    path("tai-lieu/<int:pk>/sua/", views.guidance_form, name="guidance_edit"),
    path("tai-lieu/<int:pk>/xoa/", views.guidance_delete, name="guidance_delete"),
    path("tai-lieu/<int:pk>/tep/<str:name>", views.guidance_download, name="guidance_file"),
]
