from django.contrib.auth.backends import ModelBackend

from .identifiers import InvalidPhone, split_identifier
from .models import User


class EmailOrPhoneBackend(ModelBackend):
    """Log in with an email address or a Vietnamese phone number in the same box."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if not username or password is None:
            return None
        try:
            kind, value = split_identifier(username)
        except InvalidPhone:
            kind, value = None, None
        user = User.objects.filter(**{kind: value}).first() if kind else None
        if user is None:
            # Spend the same time as a real check so response time does not reveal accounts.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
