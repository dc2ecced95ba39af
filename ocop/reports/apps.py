from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "ocop.reports"
    verbose_name = _("Dashboards and reports")

    def ready(self):
        from . import signals

        signals.connect()
