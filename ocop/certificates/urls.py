from django.urls import path

from . import views

# Mounted at the site root: the public register lives at /chung-nhan/<number>/, the address
# the QR code on every certificate carries.
app_name = "certificates"
urlpatterns = [
    path("quyet-dinh/", views.decision_list, name="decisions"),
    path("quyet-dinh/<int:pk>/", views.decision_detail, name="decision"),
    path("quyet-dinh/<int:pk>/ban-hanh/", views.decision_issue, name="decision_issue"),
    path("quyet-dinh/<int:pk>/quyet-dinh.pdf", views.decision_pdf, name="decision_pdf"),
    path("quyet-dinh/tu-phien/<int:session_pk>/", views.decision_draft, name="decision_draft"),
    path("chung-nhan/", views.certificate_list, name="certificates"),
    path("chung-nhan/xuat-excel/", views.certificate_export, name="export"),
    path("chung-nhan/<str:number>.json", views.certificate_verify_json, name="verify_json"),
    path("chung-nhan/<str:number>/", views.certificate_verify, name="verify"),
    path("chung-nhan/<str:number>/quan-ly/", views.certificate_detail, name="certificate"),
    path("chung-nhan/<str:number>/thu-hoi/", views.certificate_revoke, name="revoke"),
    path("chung-nhan/<str:number>/giay-chung-nhan.pdf", views.certificate_pdf, name="pdf"),
]
