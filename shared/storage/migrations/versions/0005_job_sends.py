"""jobs.sends and jobs.sent_at: when a queued job's task was handed to the broker

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("sends", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True))
    # Rows from before were sent, except those whose submission found the broker unreachable.
    op.execute(
        "UPDATE jobs SET sends = 1 WHERE error IS NULL OR error NOT LIKE 'could not queue the job%'"
    )


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("sent_at")
        batch.drop_column("sends")
