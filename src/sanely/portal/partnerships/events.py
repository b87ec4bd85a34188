"""Audit event names written by the partnerships app."""

PARTNERSHIP_BEGAN = "partnership.began"
