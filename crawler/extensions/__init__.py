"""Scrapy extensions of the crawl (EXTENSIONS in crawler/settings.py)."""
