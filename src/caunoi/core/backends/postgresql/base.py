from django.db.backends.postgresql import base

from caunoi.core.backends import BumpOnCommit


class DatabaseWrapper(BumpOnCommit, base.DatabaseWrapper):
    pass
