"""file store: generated decree versions and kop templates move from database blobs to the file store

Revision ID: 0009_file_store
Revises: 0008_office_logo
Create Date: 2026-12-01 18:00:00

``decree_versions.docx`` and ``office_templates.docx`` (LargeBinary) become ``file_key``, a key in
the app's file store (IKU_STORAGE_URL). Existing blobs are written to the store under keys derived
from the row (so an interrupted upgrade run again writes the same keys), each checked against the
row's SHA-256 before the blob column is dropped. The store is the running app's, which env.py hands
over as ``config.attributes["iku_storage"]`` (any object with ``put``/``read``): this revision imports
no application code. Downgrade reads the files back into the blob column (the files stay in the
store); on SQLite the restored column stays nullable (making it NOT NULL would rebuild the table).
"""
import hashlib

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009_file_store'
down_revision = '0008_office_logo'
branch_labels = None
depends_on = None

_VERSIONS = sa.text(
    "SELECT v.id, o.code, d.year, v.number, v.sha256 FROM decree_versions v "
    "JOIN decrees d ON d.id = v.decree_id JOIN offices o ON o.id = v.office_id ORDER BY v.id")
_TEMPLATES = sa.text(
    "SELECT t.id, o.code, t.sha256 FROM office_templates t JOIN offices o ON o.id = t.office_id ORDER BY t.id")


def _store():
    from alembic import context

    store = context.config.attributes.get("iku_storage")  # set by env.py from the running app
    if store is None:
        raise RuntimeError("0009_file_store moves files into the file store: run it through the app "
                           "(iku-workflow db upgrade), which opens the store of IKU_STORAGE_URL")
    return store


def _move_out(conn, table: str, rows, key_of) -> None:
    store = None
    for row in rows:
        blob = conn.execute(sa.text(f"SELECT docx FROM {table} WHERE id = :id"), {"id": row[0]}).scalar()
        data = bytes(blob or b"")
        if hashlib.sha256(data).hexdigest() != row[-1]:
            raise RuntimeError(f"{table} {row[0]}: the stored .docx does not match its SHA-256; nothing moved")
        store = store or _store()
        key = key_of(row)
        written = store.put(key, data)
        if written.sha256 != row[-1]:
            raise RuntimeError(f"{table} {row[0]}: the file store returned other bytes for {key}")
        conn.execute(sa.text(f"UPDATE {table} SET file_key = :key WHERE id = :id"), {"key": key, "id": row[0]})


def upgrade():
    conn = op.get_bind()
    for table in ("decree_versions", "office_templates"):
        # NOT NULL needs a default on SQLite's ADD COLUMN; every row gets its key just below
        op.add_column(table, sa.Column('file_key', sa.String(length=255), nullable=False, server_default=''))
    _move_out(conn, "decree_versions", conn.execute(_VERSIONS).all(),
              lambda r: f"{r[1]}/{r[2]}/decree/versi-{r[3]}-{r[4][:16]}.docx")
    _move_out(conn, "office_templates", conn.execute(_TEMPLATES).all(),
              lambda r: f"{r[1]}/kop/templat-{r[0]}-{r[2][:16]}.docx")
    for table in ("decree_versions", "office_templates"):
        # SQLite >= 3.35 drops a plain column in place (no table rebuild, which foreign keys would refuse)
        op.drop_column(table, 'docx')
        if conn.dialect.name == "postgresql":
            op.alter_column(table, 'file_key', server_default=None)


def downgrade():
    conn = op.get_bind()
    for table in ("decree_versions", "office_templates"):
        op.add_column(table, sa.Column('docx', sa.LargeBinary(), nullable=True))
        keys = conn.execute(sa.text(f"SELECT id, file_key FROM {table} ORDER BY id")).all()
        store = _store() if keys else None
        for row_id, key in keys:
            conn.execute(sa.text(f"UPDATE {table} SET docx = :data WHERE id = :id"),
                         {"data": store.read(key), "id": row_id})
        if conn.dialect.name == "postgresql":
            op.alter_column(table, 'docx', nullable=False)
        op.drop_column(table, 'file_key')
