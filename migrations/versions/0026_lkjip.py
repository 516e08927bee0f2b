"""LKjIP Bab III: earlier years' figures entered with their source, the Renstra period and its end targets,
the factors (pendukung, penghambat, upaya) per indicator-year reviewed through the workflow

Revision ID: 0026_lkjip
Revises: 0025_renaksi
Create Date: 2026-12-03 08:09:03
"""
from alembic import op
import sqlalchemy as sa


revision = '0026_lkjip'
down_revision = '0025_renaksi'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lkjip_past_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('indicator_number', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('realisation', sa.Numeric(precision=14, scale=4), nullable=False),
    sa.Column('capaian', sa.Numeric(precision=14, scale=4), nullable=True),
    sa.Column('source', sa.String(length=255), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('capaian IS NULL OR capaian >= 0', name=op.f('ck_lkjip_past_values_capaian_not_negative')),
    sa.CheckConstraint('indicator_number BETWEEN 1 AND 99', name=op.f('ck_lkjip_past_values_number_range')),
    sa.CheckConstraint('realisation >= 0', name=op.f('ck_lkjip_past_values_realisation_not_negative')),
    sa.CheckConstraint('year BETWEEN 2000 AND 2100', name=op.f('ck_lkjip_past_values_year_range')),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_lkjip_past_values_office_id_offices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lkjip_past_values')),
    sa.UniqueConstraint('office_id', 'indicator_number', 'year', name=op.f('uq_lkjip_past_values_office_id_indicator_number_year'))
    )
    with op.batch_alter_table('lkjip_past_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lkjip_past_values_office_id'), ['office_id'], unique=False)

    op.create_table('renstra_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('start_year', sa.Integer(), nullable=False),
    sa.Column('end_year', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('end_year = start_year + 4', name=op.f('ck_renstra_periods_five_years')),
    sa.CheckConstraint('start_year BETWEEN 2000 AND 2096', name=op.f('ck_renstra_periods_start_range')),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_renstra_periods_office_id_offices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_renstra_periods')),
    sa.UniqueConstraint('office_id', 'start_year', name=op.f('uq_renstra_periods_office_id_start_year'))
    )
    with op.batch_alter_table('renstra_periods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_renstra_periods_office_id'), ['office_id'], unique=False)

    op.create_table('renstra_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('indicator_number', sa.Integer(), nullable=False),
    sa.Column('target', sa.Numeric(precision=14, scale=4), nullable=False),
    sa.CheckConstraint('indicator_number BETWEEN 1 AND 99', name=op.f('ck_renstra_targets_number_range')),
    sa.CheckConstraint('target >= 0', name=op.f('ck_renstra_targets_target_not_negative')),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_renstra_targets_office_id_offices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['period_id'], ['renstra_periods.id'], name=op.f('fk_renstra_targets_period_id_renstra_periods'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_renstra_targets')),
    sa.UniqueConstraint('period_id', 'indicator_number', name=op.f('uq_renstra_targets_period_id_indicator_number'))
    )
    with op.batch_alter_table('renstra_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_renstra_targets_office_id'), ['office_id'], unique=False)

    op.create_table('lkjip_factors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('indicator_number', sa.Integer(), nullable=False),
    sa.Column('pendukung', sa.Text(), nullable=False),
    sa.Column('penghambat', sa.Text(), nullable=False),
    sa.Column('upaya', sa.Text(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('indicator_number BETWEEN 1 AND 99', name=op.f('ck_lkjip_factors_number_range')),
    sa.CheckConstraint('year BETWEEN 2000 AND 2100', name=op.f('ck_lkjip_factors_year_range')),
    sa.ForeignKeyConstraint(['entry_id'], ['workflow_entries.id'], name=op.f('fk_lkjip_factors_entry_id_workflow_entries'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_lkjip_factors_office_id_offices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lkjip_factors')),
    sa.UniqueConstraint('entry_id', name=op.f('uq_lkjip_factors_entry_id')),
    sa.UniqueConstraint('office_id', 'year', 'indicator_number', name=op.f('uq_lkjip_factors_office_id_year_indicator_number'))
    )
    with op.batch_alter_table('lkjip_factors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lkjip_factors_office_id'), ['office_id'], unique=False)



def downgrade():
    with op.batch_alter_table('lkjip_factors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lkjip_factors_office_id'))

    op.drop_table('lkjip_factors')
    with op.batch_alter_table('renstra_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_renstra_targets_office_id'))

    op.drop_table('renstra_targets')
    with op.batch_alter_table('renstra_periods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_renstra_periods_office_id'))

    op.drop_table('renstra_periods')
    with op.batch_alter_table('lkjip_past_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lkjip_past_values_office_id'))

    op.drop_table('lkjip_past_values')
