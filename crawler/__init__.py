"""Everything that knows about HTTP, Scrapy or SQLite; it calls ``parsers`` for the reading."""
