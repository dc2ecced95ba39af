"""Sign-ins, successful or refused, go to the audit log (who and when; no password, no
address)."""

from .services import audit_record


def logged_in(sender, request, user, **kwargs):
    audit_record(actor=user, action="auth.login", target=user)


def login_failed(sender, credentials, request=None, **kwargs):
    """A refused sign-in for an existing account (an unknown login names no record)."""
    from ocop.accounts.models import User

    login = (credentials or {}).get("username") or (credentials or {}).get("email") or ""
    user = User.objects.filter(email__iexact=login).first() if login else None
    if user is not None:
        audit_record(actor=None, action="auth.login_failed", target=user)
