"""the public survey at a busy counter: kiosk devices, respondents' comments, the follow-up plan

Revision ID: 0021_survey_kiosk
Revises: 0020_desa
Create Date: 2026-12-02 06:00:00

A counter tablet (kiosk) opened from a signed link answers under its own limit; respondents may write a
"Saran dan masukan" and, for an unsur answered 1 or 2, what should be improved; the report's rencana
tindak lanjut is stored per weak unsur with its section, due date and completion.
"""
from alembic import op
import sqlalchemy as sa


revision = '0021_survey_kiosk'
down_revision = '0020_desa'
branch_labels = None
depends_on = None

UNSUR = "('u1','u2','u3','u4','u5','u6','u7','u8','u9')"


def upgrade():
    op.create_table('survey_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('unsur', sa.String(length=2), nullable=True),
    sa.Column('text', sa.String(length=1000), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint(f"unsur IS NULL OR unsur IN {UNSUR}", name=op.f('ck_survey_comments_unsur_known')),
    sa.ForeignKeyConstraint(['period_id'], ['survey_periods.id'], name=op.f('fk_survey_comments_period_id_survey_periods'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['survey_responses.id'], name=op.f('fk_survey_comments_response_id_survey_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_comments')),
    sa.UniqueConstraint('response_id', 'unsur', name=op.f('uq_survey_comments_response_id_unsur'))
    )
    with op.batch_alter_table('survey_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_comments_period_id'), ['period_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_comments_response_id'), ['response_id'], unique=False)

    op.create_table('survey_kiosks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('secret', sa.String(length=43), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_survey_kiosks_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['period_id'], ['survey_periods.id'], name=op.f('fk_survey_kiosks_period_id_survey_periods'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_kiosks'))
    )
    with op.batch_alter_table('survey_kiosks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_kiosks_period_id'), ['period_id'], unique=False)

    op.create_table('survey_followups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('unsur', sa.String(length=2), nullable=False),
    sa.Column('action', sa.String(length=1000), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint(f"unsur IN {UNSUR}", name=op.f('ck_survey_followups_unsur_known')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_survey_followups_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['period_id'], ['survey_periods.id'], name=op.f('fk_survey_followups_period_id_survey_periods'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['section_id'], ['sections.id'], name=op.f('fk_survey_followups_section_id_sections'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_followups'))
    )
    with op.batch_alter_table('survey_followups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_followups_period_id'), ['period_id'], unique=False)


def downgrade():
    with op.batch_alter_table('survey_followups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_followups_period_id'))
    op.drop_table('survey_followups')
    with op.batch_alter_table('survey_kiosks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_kiosks_period_id'))
    op.drop_table('survey_kiosks')
    with op.batch_alter_table('survey_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_comments_response_id'))
        batch_op.drop_index(batch_op.f('ix_survey_comments_period_id'))
    op.drop_table('survey_comments')
