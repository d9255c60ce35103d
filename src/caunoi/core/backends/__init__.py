"""Django's own database backends, plus one step at commit: the public pages' version bumps
(`caunoi.core.pagecache`) are written last, just before COMMIT, in path order, after the
deferred foreign-key checks. Taking those row locks last and always in the same order is what
keeps concurrent writers from deadlocking on them (PostgreSQL), and the bumps still commit or
roll back with the writes they describe.

settings.py names these engines; `connection.vendor` stays "postgresql" / "sqlite"."""

UPSERT = (
    "INSERT INTO core_pageversion (path, n) VALUES (%s, 1) "
    "ON CONFLICT (path) DO UPDATE SET n = core_pageversion.n + 1"
)


class BumpOnCommit:
    """Mixed into a DatabaseWrapper: `pagecache_bump(path)` inside a transaction, written at its
    commit; forgotten at its rollback."""

    def pagecache_bump(self, path: str) -> None:
        pending = self.__dict__.setdefault("_pagecache_pending", set())
        pending.add(path)

    def commit(self) -> None:
        pending = self.__dict__.get("_pagecache_pending")
        if pending:
            self._pagecache_pending: set[str] = set()
            with self.cursor() as cursor:  # type: ignore[attr-defined]
                if self.vendor == "postgresql":  # type: ignore[attr-defined]
                    # the deferred foreign-key checks (row locks on the rows referred to) first,
                    # so that nothing is waited for once a version row is locked
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for path in sorted(pending):
                    cursor.execute(UPSERT, [path])
        super().commit()  # type: ignore[misc]

    def rollback(self) -> None:
        self._pagecache_pending = set()
        super().rollback()  # type: ignore[misc]
