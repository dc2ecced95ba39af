from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ocop.audit"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from . import signals

        user_logged_in.connect(signals.logged_in, dispatch_uid="audit.logged_in")
        user_login_failed.connect(signals.login_failed, dispatch_uid="audit.login_failed")
