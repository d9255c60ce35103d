from django.db.backends.sqlite3 import base

from caunoi.core.backends import BumpOnCommit


class DatabaseWrapper(BumpOnCommit, base.DatabaseWrapper):
    pass
