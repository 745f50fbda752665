"""Thin adapters between what spiders fetch and what parsers and storage do."""

from .store import StorePipeline

__all__ = ["StorePipeline"]
