"""the model registry (models) and training runs (trainings)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    ts = sa.DateTime(timezone=True)
    op.create_table(
        "models",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("framework", sa.String(32), nullable=False),
        sa.Column("algorithm", sa.String(64), nullable=False),
        sa.Column("task", sa.String(16), nullable=False),
        sa.Column("symbols", sa.JSON, nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("interval", sa.String(16), nullable=False),
        sa.Column("trained_from", ts, nullable=True),
        sa.Column("trained_to", ts, nullable=True),
        sa.Column("metrics", sa.JSON, nullable=False),
        sa.Column("checksum", sa.String(80), nullable=False),
        sa.Column("artifact_dir", sa.String(255), nullable=False),
        sa.Column("training_id", sa.String(36), nullable=True),
        sa.Column("owner", sa.String(64), nullable=True),
        sa.Column("created_at", ts, nullable=False),
        sa.Column("updated_at", ts, nullable=False),
        sa.UniqueConstraint("name", "version", name="uq_models_name_version"),
    )
    op.create_index("ix_models_name", "models", ["name"])
    op.create_index("ix_models_created_at", "models", ["created_at"])
    op.create_table(
        "trainings",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("job_id", sa.String(36), nullable=False, index=True),
        sa.Column("created_at", ts, nullable=False),
        sa.Column("request", sa.JSON, nullable=False),
        sa.Column("model_name", sa.String(64), nullable=False),
        sa.Column("model_id", sa.String(36), nullable=True),
        sa.Column("result", sa.JSON, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("trainings")
    op.drop_table("models")
