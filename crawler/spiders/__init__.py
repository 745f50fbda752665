"""Spiders navigate only: list pages → report pages → attachments (see DESIGN.md)."""
