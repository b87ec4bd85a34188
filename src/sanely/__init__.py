"""sanely: run Innovation Partnerships from challenge to purchase."""

__version__ = "0.1.0"
