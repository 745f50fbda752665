"""``python -m simulator serve|manifest``: run the demo portals, or print their ground truth."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from pathlib import Path

from .demo import demo_sites
from .faults import FaultPlan
from .scale import registry_toml, synthetic_sites
from .server import Simulator


def _sites_arg(value: str) -> str | int:
    if value == "demo":
        return value
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError("--sites takes 'demo' or a number of portals") from None
    if number < 1:
        raise argparse.ArgumentTypeError("--sites N needs N >= 1")
    return number


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulator", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the portals on 127.0.0.1 until interrupted")
    serve.add_argument("--port", type=int, default=8700)
    serve.add_argument("--sites", type=_sites_arg, default="demo", help="'demo' or a number N")
    serve.add_argument("--seed", type=int, default=0, help="scale mode: which N portals")
    serve.add_argument("--faults", type=Path, help="a TOML fault plan (see simulator/faults.py)")
    serve.add_argument(
        "--log-dir", type=Path, help="write <site_id>.jsonl request logs here on exit"
    )
    manifest = commands.add_parser("manifest", help="print the ground truth as JSON lines")
    manifest.add_argument("--sites", type=_sites_arg, default="demo", help="'demo' or a number N")
    manifest.add_argument("--seed", type=int, default=0)
    registry = commands.add_parser(
        "registry", help="print a gknb site registry (TOML) of the portals: name, code, home page"
    )
    registry.add_argument("--sites", type=_sites_arg, default="demo", help="'demo' or a number N")
    registry.add_argument("--seed", type=int, default=0)
    for sub in (serve, manifest, registry):
        sub.add_argument(
            "--home-only",
            action="store_true",
            help="scale mode: disclosure areas on other hosts, reached from the home page only",
        )
    args = parser.parse_args(argv)
    sites = (
        demo_sites()
        if args.sites == "demo"
        else synthetic_sites(args.sites, args.seed, home_only=args.home_only)
    )
    if args.command == "registry":
        print(registry_toml(sites), end="")
        return 0
    if args.command == "manifest":
        for site in sites:
            for entry in site.manifest:
                print(json.dumps(entry.to_dict(), ensure_ascii=False))
        return 0
    plan = FaultPlan.load(args.faults) if args.faults else None
    simulator = Simulator(sites, port=args.port, faults=plan)
    simulator.start()
    print(f"gknb simulator: {len(sites)} portals on {simulator.proxy_url}")
    print("use it as http_proxy and https_proxy; Ctrl-C stops it")
    for site in sites:
        urls = len(site.manifest)
        print(f"  {site.site_id:28} {site.base_url:36} {site.family:8} {urls} report URLs")
    sys.stdout.flush()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        simulator.stop()
        if args.log_dir:
            simulator.log.write_jsonl(args.log_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
