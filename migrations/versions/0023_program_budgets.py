"""program budgets of an office-year (PK table 2, LKjIP serapan)

Revision ID: 0023_program_budgets
Revises: 0022_reminders
Create Date: 2026-12-02 09:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0023_program_budgets'
down_revision = '0022_reminders'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('program_budgets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('budget', sa.Numeric(precision=16, scale=2), nullable=False),
    sa.Column('realisation', sa.Numeric(precision=16, scale=2), nullable=True),
    sa.Column('note', sa.String(length=255), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('year BETWEEN 2000 AND 2100', name=op.f('ck_program_budgets_year_range')),
    sa.CheckConstraint('budget >= 0', name=op.f('ck_program_budgets_budget_not_negative')),
    sa.CheckConstraint('realisation IS NULL OR realisation >= 0', name=op.f('ck_program_budgets_realisation_not_negative')),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_program_budgets_office_id_offices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_program_budgets')),
    sa.UniqueConstraint('office_id', 'year', 'name', name=op.f('uq_program_budgets_office_id_year_name'))
    )
    op.create_index('ix_program_budgets_office_year', 'program_budgets', ['office_id', 'year'], unique=False)


def downgrade():
    op.drop_index('ix_program_budgets_office_year', table_name='program_budgets')
    op.drop_table('program_budgets')
