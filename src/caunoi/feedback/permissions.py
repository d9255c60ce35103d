"""The feedback app's permissions (each names the roles that hold it) and the one way views and the
Open311 endpoint get a scoped object: the `access_<entity>()` functions (see caunoi.people.access).

A missing object and one that is not yours are one error (404); someone on its ground who may not
do this gets 403. The asker of a question may always read it, whatever their mandates."""

from typing import Any

from django.core.exceptions import PermissionDenied

from caunoi.people import access
from caunoi.people.access import COMMUNE_STAFF, HEADS, OVERSIGHT, Permission
from caunoi.people.models import DelegationKind as Kind
from caunoi.people.models import Role

from .models import Category, Photo, Request, Tier

# See the requests of a ground, with the askers' names.
VIEW = Permission("feedback.view", *HEADS, *COMMUNE_STAFF, *OVERSIGHT, delegable=(Kind.ANSWERS,))
# Answer, escalate, hide, redact (heads at their level, the commune at any).
ANSWER = Permission(
    "feedback.answer", *HEADS, *COMMUNE_STAFF, Role.SYSADMIN, delegable=(Kind.ANSWERS,)
)
# Act at the commune level, keep categories and Open311 keys.
COMMUNE = Permission("feedback.commune", *COMMUNE_STAFF, Role.SYSADMIN)
# Statistics of a ground.
STATS = Permission("feedback.stats", *COMMUNE_STAFF, *OVERSIGHT)


def _asked(user: Any, req: Request) -> bool:
    """`user` is the resident who asked `req`."""
    if not getattr(user, "is_authenticated", False):
        return False
    return req.author_id is not None and req.author_id == user.pk


def access_request(*, user: Any, pk: int, perm: Permission) -> Request:
    """The request `pk` if `user` holds `perm` on its area; for VIEW, its asker too."""
    req = access.found(
        Request.objects.select_related("area", "area__parent", "category", "author")
        .filter(pk=pk)
        .first()
    )
    if perm == VIEW and _asked(user, req):
        return req
    access.check(user, perm, req.area)
    return req


def access_request_to_act(*, user: Any, pk: int) -> Request:
    """The request `pk` if `user` may answer or escalate it where it now is: while it is with the
    head, anyone answering in its area; once it is at the commune, the commune only."""
    req = access_request(user=user, pk=pk, perm=ANSWER)
    if req.level == Tier.COMMUNE:
        access.check(user, COMMUNE, req.area)
    return req


def may_act(user: Any, req: Request) -> bool:
    """What `access_request_to_act` lets through, for the buttons of a request's page."""
    if not access.can(user, ANSWER, req.area):
        return False
    if req.level == Tier.COMMUNE:
        return access.can(user, COMMUNE, req.area)
    return True


def access_own_request(*, user: Any, pk: int) -> Request:
    """The request `pk` if `user` asked it (to say whether the answer resolved it); 403 for the
    staff who see it, 404 for anyone else."""
    req = access_request(user=user, pk=pk, perm=VIEW)
    if not _asked(user, req):
        raise PermissionDenied
    return req


def access_photo(*, user: Any, pk: int, perm: Permission) -> Photo:
    """The photo `pk` if `user` holds `perm` on its request's area; for VIEW, the asker too."""
    photo = access.found(
        Photo.objects.select_related("request", "request__area").filter(pk=pk).first()
    )
    if perm == VIEW and _asked(user, photo.request):
        return photo
    access.check(user, perm, photo.request.area)
    return photo


def access_category(*, user: Any, pk: int, perm: Permission) -> Category:
    """The category `pk` if `user` holds `perm` on its commune."""
    category = Category.objects.select_related("commune").filter(pk=pk).first()
    return access.check_object(user, perm, category, lambda c: c.commune)
