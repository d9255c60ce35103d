from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db.models import Q

from caunoi.core.phones import normalize_phone
from caunoi.people.models import Person


class PhoneOrUsernameBackend(ModelBackend):
    """Password sign-in with a username or a phone number (officials)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password:
            return None
        lookup = Q(username__iexact=username.strip())
        try:
            lookup |= Q(phone=normalize_phone(username))
        except ValidationError:
            pass
        person = Person.objects.filter(lookup).first()
        if person is None:
            Person().set_password(password)  # same work whether or not the account exists
            return None
        if person.check_password(password) and self.user_can_authenticate(person):
            return person
        return None
