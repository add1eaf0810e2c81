"""simulations, trades, sweeps, stress tests and fan-out chunks

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    ts = sa.DateTime(timezone=True)
    op.create_table(
        "job_chunks",
        sa.Column("owner_id", sa.String(36), primary_key=True),
        sa.Column("idx", sa.Integer, primary_key=True),
        sa.Column("result", sa.JSON, nullable=False),
        sa.Column("worker", sa.String(255), nullable=True),
        sa.Column("finished_at", ts, nullable=False),
    )
    op.create_table(
        "simulations",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("job_id", sa.String(36), nullable=False, index=True),
        sa.Column("created_at", ts, nullable=False, index=True),
        sa.Column("strategy", sa.String(64), nullable=False),
        sa.Column("symbols", sa.JSON, nullable=False),
        sa.Column("request", sa.JSON, nullable=False),
        sa.Column("summary", sa.JSON, nullable=True),
        sa.Column("equity", sa.JSON, nullable=True),
    )
    op.create_table(
        "simulation_trades",
        sa.Column(
            "simulation_id",
            sa.String(36),
            sa.ForeignKey("simulations.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("symbol", sa.String(64), nullable=False),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("quantity", sa.Float, nullable=False),
        sa.Column("entry_time", ts, nullable=False),
        sa.Column("entry_price", sa.Float, nullable=False),
        sa.Column("exit_time", ts, nullable=True),
        sa.Column("exit_price", sa.Float, nullable=True),
        sa.Column("pnl", sa.Float, nullable=False),
        sa.Column("return_pct", sa.Float, nullable=False),
        sa.Column("fees", sa.Float, nullable=False),
        sa.Column("slippage", sa.Float, nullable=False),
        sa.Column("is_open", sa.Boolean, nullable=False),
    )
    op.create_table(
        "sweeps",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("job_id", sa.String(36), nullable=False, index=True),
        sa.Column("created_at", ts, nullable=False, index=True),
        sa.Column("request", sa.JSON, nullable=False),
        sa.Column("n_combinations", sa.Integer, nullable=False),
        sa.Column("n_chunks", sa.Integer, nullable=False),
        sa.Column("result", sa.JSON, nullable=True),
    )
    op.create_table(
        "stress_tests",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "simulation_id",
            sa.String(36),
            sa.ForeignKey("simulations.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("job_id", sa.String(36), nullable=False, index=True),
        sa.Column("created_at", ts, nullable=False),
        sa.Column("request", sa.JSON, nullable=False),
        sa.Column("result", sa.JSON, nullable=True),
    )


def downgrade() -> None:
    for table in ("stress_tests", "sweeps", "simulation_trades", "simulations", "job_chunks"):
        op.drop_table(table)
