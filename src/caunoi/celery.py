"""Celery application. Without CELERY_BROKER_URL tasks run eagerly in-process (embedded default)."""

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caunoi.settings")

app = Celery("caunoi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _own_pool(**_kwargs) -> None:
    """A forked worker child never lends connections from a pool it inherited from its parent
    (the pool's threads did not survive the fork, its sockets are the parent's): it forgets it,
    without closing the parent's connections, and opens its own on first use."""
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        pools = getattr(conn, "_connection_pools", None)
        if pools:
            pools.pop(conn.alias, None)
