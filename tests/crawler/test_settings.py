"""The shipped settings: polite by default, and no way into a crawl left running."""

from __future__ import annotations

import subprocess
import sys

from scrapy.settings import Settings
from scrapy.utils.conf import build_component_list

import crawler.settings


def project_settings() -> Settings:
    settings = Settings()
    settings.setmodule(crawler.settings, priority="project")
    return settings


def test_polite_by_default() -> None:
    settings = project_settings()
    assert settings.getbool("ROBOTSTXT_OBEY")
    assert "gknb" in settings["USER_AGENT"] and "https://" in settings["USER_AGENT"]
    assert settings.getbool("AUTOTHROTTLE_ENABLED") and settings.getfloat("DOWNLOAD_DELAY") >= 1
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 2
    extensions = build_component_list(settings.getwithbase("EXTENSIONS"))
    assert "crawler.extensions.throttle.PoliteThrottle" in extensions


def test_no_remote_control_and_no_telnet_console() -> None:
    """Scrapy 2.19 starts, by default, an HTTP server that runs the Python code posted to it
    (RemoteControl) and a telnet console: neither belongs in a crawl left running."""
    settings = project_settings()
    extensions = build_component_list(settings.getwithbase("EXTENSIONS"))
    assert "scrapy.extensions.remote_control.RemoteControl" not in extensions
    assert not settings.getbool("REMOTE_CONTROL_ENABLED")
    assert not settings.getbool("TELNETCONSOLE_ENABLED")


def test_a_crawl_loads_neither_aiohttp_nor_vcrpy() -> None:
    """Their imports cost 0.5 s at every start: aiohttp came with the remote control, vcrpy
    with the cassette middleware, which needs it only when a cassette is used."""
    code = (
        "import sys\n"
        "from scrapy.utils.reactor import install_reactor\n"
        "install_reactor('twisted.internet.asyncioreactor.AsyncioSelectorReactor')\n"
        "from scrapy.crawler import Crawler\n"
        "from scrapy.utils.project import get_project_settings\n"
        "from crawler.spiders.reports import ReportsSpider\n"
        "import crawler.middlewares.cassette\n"
        "c = Crawler(ReportsSpider, get_project_settings())\n"
        "c._apply_settings()\n"
        "assert 'PoliteThrottle' in [type(x).__name__ for x in c.extensions.middlewares]\n"
        "print(sorted(m for m in ('aiohttp', 'vcr') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]", done.stderr[-2000:]
