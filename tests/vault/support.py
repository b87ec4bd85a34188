"""Instants and ids the vault's tests share."""

from datetime import UTC, datetime, timedelta

DEADLINE = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
CREATED = DEADLINE - timedelta(days=30)
ROUND_ID = "round-1"
