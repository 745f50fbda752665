"""A local world of county portals for the demo, the tests, fault injection and benchmarks.

``Simulator(sites).start()`` serves them on 127.0.0.1 as a forward proxy under their real
host names; ``demo_sites()`` builds the demo portals from real report content.
"""

from .demo import demo_sites
from .model import ManifestEntry, Resource, Site
from .server import LogEntry, RequestLog, Simulator

__all__ = ["LogEntry", "ManifestEntry", "RequestLog", "Resource", "Simulator", "Site", "demo_sites"]
