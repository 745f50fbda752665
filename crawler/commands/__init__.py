"""Custom Scrapy commands (COMMANDS_MODULE): sites, summary, export, reparse, coverage."""
