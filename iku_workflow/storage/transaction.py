"""Files follow the database transaction that names them.

A file is written *before* the row that names it is committed (so a committed row always has its
file). Each write is noted on the SQLAlchemy session, with the (sub)transaction it happened in:

- the transaction commits: the files stay, and the files whose removal was asked for in it
  (``remove_after_commit``) are deleted now, never earlier (a rolled-back delete keeps its file);
- the transaction rolls back (or the session is closed without committing): the files written in
  it are deleted again, and the removals asked for in it are forgotten;
- a savepoint (``begin_nested``) that rolls back deletes only what was written inside it.

So there is neither an orphan file nor a row without its file, whatever the backend.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, SessionTransaction

from .base import Store

log = logging.getLogger(__name__)
WRITTEN = "iku_storage_written"
DOOMED = "iku_storage_doomed"


@dataclass
class _Pending:
    store: Store
    key: str
    transaction: Any  # the SessionTransaction it belongs to


def _transaction(session: Session) -> SessionTransaction:
    """The innermost transaction of ``session``, beginning one when none is open (so a rollback or
    commit follows, and with it the hooks below)."""
    current = session.get_nested_transaction() or session.get_transaction()
    return current if current is not None else session.begin()


def note_written(session: Session, store: Store, key: str) -> None:
    session.info.setdefault(WRITTEN, []).append(_Pending(store, key, _transaction(session)))


def note_doomed(session: Session, store: Store, key: str) -> None:
    session.info.setdefault(DOOMED, []).append(_Pending(store, key, _transaction(session)))


def pending(session: Session) -> tuple[list[str], list[str]]:
    """Keys written and keys to delete in the open transaction (for tests and diagnostics)."""
    return ([p.key for p in session.info.get(WRITTEN, [])], [p.key for p in session.info.get(DOOMED, [])])


def _within(transaction, ancestor) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False


def _delete(items: list[_Pending], why: str) -> None:
    for item in items:
        try:
            item.store.delete(item.key)
        except Exception:  # noqa: BLE001 - the database outcome stands; an orphan is only logged
            log.warning("could not delete %s from %s (%s)", item.key, item.store.url, why, exc_info=True)


def _split(session: Session, name: str, ancestor) -> list[_Pending]:
    """Take out of ``session.info[name]`` the items of ``ancestor`` and its savepoints."""
    items = session.info.get(name)
    if not items:
        return []
    taken = [p for p in items if _within(p.transaction, ancestor)]
    if taken:
        session.info[name] = [p for p in items if p not in taken]
    return taken


@sa.event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    # also fires when a savepoint is released: its files then simply belong to the outer transaction
    if session.in_nested_transaction():
        return
    session.info.pop(WRITTEN, None)
    doomed = session.info.pop(DOOMED, None)
    if doomed:
        _delete(doomed, "removed after commit")


@sa.event.listens_for(Session, "after_soft_rollback")
def _after_soft_rollback(session: Session, previous_transaction) -> None:
    _delete(_split(session, WRITTEN, previous_transaction), "written in a rolled-back transaction")
    _split(session, DOOMED, previous_transaction)


@sa.event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction) -> None:
    # The outermost transaction ended. After a commit the lists are already empty; what is left was
    # written by a transaction that rolled back or was closed (session.close(), a request's teardown).
    if transaction.parent is not None:
        return
    _delete(_split(session, WRITTEN, transaction), "transaction ended without commit")
    _split(session, DOOMED, transaction)
