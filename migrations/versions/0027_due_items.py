"""due items that are not entries (the year's decree) are reminded too: reminders_sent.item; SKM periods get
their result's due date (period end + IKU_SKM_DUE_DAYS, else IKU_REGISTER_DUE_DAYS, else 10 days)

Revision ID: 0027_due_items
Revises: 0026_lkjip
Create Date: 2026-12-03 08:40:00
"""
import os
from datetime import date, timedelta

from alembic import op
import sqlalchemy as sa


revision = '0027_due_items'
down_revision = '0026_lkjip'
branch_labels = None
depends_on = None


def _period_end(year: int, label: str):
    label = (label or "").strip().upper()
    if label in ("TAHUN", "S2", "TW4"):
        return date(year, 12, 31)
    if label == "S1":
        return date(year, 6, 30)
    if label in ("TW1", "TW2", "TW3"):
        return date(year, 3 * int(label[2]) + 1, 1) - timedelta(days=1)
    return None


def _due_days() -> int:
    for name in ("IKU_SKM_DUE_DAYS", "IKU_REGISTER_DUE_DAYS"):
        text = os.environ.get(name, "").strip()
        if text:
            try:
                return max(0, min(int(text), 366))
            except ValueError:
                break
    return 10


def upgrade():
    with op.batch_alter_table('reminders_sent', schema=None) as batch_op:
        batch_op.alter_column('entry_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('item', sa.String(length=80), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_reminders_sent_item_threshold_due_date'),
                                          ['item', 'threshold', 'due_date'])
        batch_op.create_check_constraint(batch_op.f('ck_reminders_sent_entry_or_item'),
                                         '(entry_id IS NULL) <> (item IS NULL)')
        batch_op.add_column(sa.Column('office_id', sa.Integer(), nullable=True))
    # the office of every reminder already sent (all were about entries), so an office backup can take them
    op.execute("UPDATE reminders_sent SET office_id = (SELECT office_id FROM workflow_entries "
               "WHERE workflow_entries.id = reminders_sent.entry_id)")
    with op.batch_alter_table('reminders_sent', schema=None) as batch_op:
        batch_op.alter_column('office_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(batch_op.f('fk_reminders_sent_office_id_offices'), 'offices', ['office_id'], ['id'],
                                    ondelete='CASCADE')
        batch_op.create_index(batch_op.f('ix_reminders_sent_office_id'), ['office_id'], unique=False)

    bind = op.get_bind()
    periods = sa.table('survey_periods', sa.column('entry_id', sa.Integer), sa.column('year', sa.Integer),
                       sa.column('label', sa.String))
    entries = sa.table('workflow_entries', sa.column('id', sa.Integer), sa.column('due_date', sa.Date))
    days = _due_days()
    rows = bind.execute(sa.select(periods.c.entry_id, periods.c.year, periods.c.label)
                        .select_from(periods.join(entries, entries.c.id == periods.c.entry_id))
                        .where(entries.c.due_date.is_(None))).all()
    for entry_id, year, label in rows:
        end = _period_end(year, label)
        if end is not None:
            bind.execute(sa.update(entries).where(entries.c.id == entry_id).values(due_date=end + timedelta(days=days)))


def downgrade():
    bind = op.get_bind()
    bind.execute(sa.text("DELETE FROM reminders_sent WHERE entry_id IS NULL"))
    with op.batch_alter_table('reminders_sent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminders_sent_office_id'))
        batch_op.drop_constraint(batch_op.f('fk_reminders_sent_office_id_offices'), type_='foreignkey')
        batch_op.drop_column('office_id')
        batch_op.drop_constraint(batch_op.f('ck_reminders_sent_entry_or_item'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_reminders_sent_item_threshold_due_date'), type_='unique')
        batch_op.drop_column('item')
        batch_op.alter_column('entry_id', existing_type=sa.Integer(), nullable=False)
