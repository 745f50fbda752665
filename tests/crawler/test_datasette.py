"""datasette.yaml on the demo database: every canned query returns rows through Datasette's
own in-process client; tables are described, internal ones hidden, facets exist."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

datasette_app = pytest.importorskip(
    "datasette.app", reason="Datasette is an optional extra: pip install -e '.[datasette]'"
)

ROOT = Path(__file__).resolve().parents[2]
METADATA = yaml.safe_load((ROOT / "datasette.yaml").read_text("utf-8"))
PARAMS = {"county_figures": "site_id=henan_shangqiu_minquan"}


def ask(database: Path, *paths: str) -> list[Any]:
    async def run() -> list[Any]:
        ds = datasette_app.Datasette([str(database)], metadata=METADATA)
        await ds.invoke_startup()
        answers = []
        for path in paths:
            response = await ds.client.get(path)
            assert response.status_code == 200, (path, response.text[:500])
            answers.append(response.json())
        return answers

    return asyncio.run(run())


@pytest.fixture(scope="module")
def database(crawled: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("datasette") / "reports.db"  # the README's data/reports.db
    shutil.copy(crawled / "r.db", target)
    return target


def test_every_canned_query_returns_rows(database: Path) -> None:
    queries = METADATA["databases"]["reports"]["queries"]
    assert set(queries) >= {"county_figures", "failed_checks", "coverage", "headline"}
    paths = [f"/reports/{name}.json?_shape=array&{PARAMS.get(name, '')}" for name in queries]
    for name, rows in zip(queries, ask(database, *paths), strict=True):
        assert rows, f"{name} returned no rows"
    figures, failed, coverage, headline = ask(database, *paths[:4])
    assert {r["publisher"] for r in figures} >= {"民权县人民政府"}
    assert any(r["check"] == "review_litigation_total" for r in failed)
    assert {(r["province"], r["year"]) for r in coverage} >= {("河南省", 2021)}
    assert len(headline) == 11  # the demo's reports


def test_tables_are_described_facets_exist_and_internal_tables_hidden(database: Path) -> None:
    tables = METADATA["databases"]["reports"]["tables"]
    (listing,) = ask(database, "/reports.json")
    shown = {t["name"]: t for t in listing["tables"]}
    views = {v["name"] for v in listing.get("views", [])}
    for name in [*shown, *views]:
        assert name in tables, f"{name} has no metadata"
        assert tables[name].get("hidden") or tables[name].get("description"), name
    assert shown["_sqlite_migrations"]["hidden"] and shown["labels"]["hidden"]
    # Each facet names a column of its table, and Datasette computes it.
    for name, meta in tables.items():
        for facet in meta.get("facets", []):
            (answer,) = ask(database, f"/reports/{name}.json?_facet={facet}&_size=0")
            assert facet in answer["facet_results"], (name, facet)
    # The main views describe every column.
    for name in ("report_headline",):
        (answer,) = ask(database, f"/reports/{name}.json?_size=0")
        assert set(answer["columns"]) <= set(tables[name]["columns"]), name
