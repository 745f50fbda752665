"""Storage: the cross-year carry_over check, publishers matched across years, migrations."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.storage import Storage, insert_rows, report_id_for
from parsers import AnnualReport, parse_document

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pdf"
SITE = "jiangsu_huaian_hongze"


def parsed(name: str) -> AnnualReport:
    return parse_document((FIXTURES / f"{name}.pdf").read_bytes(), url=f"http://x/{name}.pdf")


def store(storage: Storage, report: AnnualReport, name: str, data: bytes = b"") -> str:
    stored = storage.store_bytes(data or name.encode())
    storage.record_document(stored.sha256, "application/pdf", 1, "pdf")
    return storage.store_report(
        report,
        site_id=SITE,
        url=f"http://www.hongze.gov.cn/{name}.pdf",
        sha256=stored.sha256,
        kind="pdf",
        fetched_at="2026-11-23T00:00:00+00:00",
    )


@pytest.fixture
def storage(tmp_path: Path) -> Storage:
    s = Storage(tmp_path / "r.db", tmp_path / "raw")
    s.upsert_sites([{"site_id": SITE, "division_code": "320813", "name": "洪泽区人民政府"}])
    return s


@pytest.fixture(scope="module")
def hongze() -> tuple[AnnualReport, AnnualReport]:
    return parsed("002_hongze_qu_2023"), parsed("003_hongze_qu_2024")


def test_the_two_hongze_reports_name_their_publisher_differently(
    hongze: tuple[AnnualReport, AnnualReport],
) -> None:
    # As printed on the real PDFs (see their expected.json): one publisher, two names.
    for report, name in zip(hongze, ("002_hongze_qu_2023", "003_hongze_qu_2024"), strict=True):
        expected = json.loads((FIXTURES / f"{name}.expected.json").read_text("utf-8"))
        assert report.publisher == expected["publisher"]
    assert hongze[0].publisher != hongze[1].publisher


def test_carry_over_is_checked_across_years_of_one_publisher(
    storage: Storage, hongze: tuple[AnnualReport, AnnualReport]
) -> None:
    first = store(storage, hongze[0], "2023")
    second = store(storage, hongze[1], "2024")
    assert first != second
    assert storage.check_carry_over() == 1
    rows = list(storage.db.query("select * from report_checks where \"check\" = 'carry_over'"))
    # 2023 prints 结转下年度 0 in the total column, 2024 prints 上年结转 0: they agree.
    assert len(rows) == 1
    assert rows[0]["report_id"] == second
    assert rows[0]["ok"] == 1
    assert rows[0]["detail"] == "2024 上年结转 0 = 2023 结转下年度 0"
    keys = {r["publisher_key"] for r in storage.db.query("select publisher_key from reports")}
    assert keys == {"洪泽区人民政府"}
    # The printed names are kept as printed.
    names = {r["publisher"] for r in storage.db.query("select publisher from reports")}
    assert names == {"洪泽区人民政府", "淮安市洪泽区人民政府"}


def test_a_carry_over_disagreement_is_a_failed_check_and_nothing_is_changed(
    storage: Storage, hongze: tuple[AnnualReport, AnnualReport]
) -> None:
    # Make the 2023 report say 结转下年度 3 (a deliberate edit of the parsed record, to see
    # the check fail); the 2024 report still says 上年结转 0.
    values = tuple(
        dataclasses.replace(v, value=3)
        if (v.table, v.row, v.column, v.source)
        == ("applications", "carried_forward", "total", "table")
        else v
        for v in hongze[0].values
    )
    store(storage, dataclasses.replace(hongze[0], values=values), "2023")
    second = store(storage, hongze[1], "2024")
    storage.check_carry_over()
    row = storage.db.execute(
        "select ok, detail from report_checks where \"check\" = 'carry_over' and report_id = ?",
        [second],
    ).fetchone()
    assert row == (0, "2024 上年结转 0 ≠ 2023 结转下年度 3")
    # Counted in the report's status as in report_headline.
    status = storage.db.execute(
        "select r.status, r.checks_failed, h.checks_failed from reports r "
        "join report_headline h using (report_id) where report_id = ?",
        [second],
    ).fetchone()
    failed = sum(1 for c in hongze[1].checks if not c.ok) + 1
    assert status == ("checks_failed", failed, failed)
    # Read again and unchanged (a reparse: its rows digest as stored): the failed carry_over
    # check and the count that includes it stay as they are, before any new check.
    storage.store_report(
        hongze[1],
        site_id=SITE,
        url="http://www.hongze.gov.cn/2024.pdf",
        sha256=storage.db.execute(
            "select sha256 from reports where report_id = ?", [second]
        ).fetchone()[0],
        kind="pdf",
        fetched_at="2026-11-24T00:00:00+00:00",
        fresh=set(),
    )
    assert storage.db.execute(
        "select r.status, r.checks_failed, c.ok from reports r join report_checks c "
        "using (report_id) where report_id = ? and c.[check] = 'carry_over'",
        [second],
    ).fetchone() == ("checks_failed", failed, 0)
    stored = storage.db.execute(
        "select value from report_values where report_id = ? and row_key = 'carried_over' "
        "and column_key = 'total' and source = 'table'",
        [second],
    ).fetchone()
    assert stored == (0,)


def test_no_carry_over_check_without_the_previous_year(
    storage: Storage, hongze: tuple[AnnualReport, AnnualReport]
) -> None:
    store(storage, hongze[1], "2024")
    assert storage.check_carry_over() == 0


def test_a_second_copy_of_the_same_report_is_a_source_not_a_report(
    storage: Storage, hongze: tuple[AnnualReport, AnnualReport]
) -> None:
    first = store(storage, hongze[1], "2024", b"pdf copy")
    again = store(storage, hongze[1], "2024-html", b"html copy")
    assert first == again == report_id_for(SITE, "洪泽区人民政府", 2024)
    assert storage.db["reports"].count == 1
    sources = list(storage.db.query("select url, primary_source from report_sources"))
    assert len(sources) == 2
    assert sum(s["primary_source"] for s in sources) == 1


def test_migrations_are_recorded_and_idempotent(tmp_path: Path) -> None:
    Storage(tmp_path / "r.db", tmp_path / "raw").close()
    again = Storage(tmp_path / "r.db", tmp_path / "raw")
    applied = [r["name"] for r in again.db.query("select name from _sqlite_migrations")]
    assert applied == [
        "m001_record_contract",
        "m002_views",
        "m003_publisher_key",
        "m004_site_entry_points",
        "m005_error_kinds",
        "m006_fetch_notes",
        "m007_lean_figures",
        "m008_compact_figures",
        "m009_headline_places",
        "m010_crawl_runs",
        "m011_clear_counts",
        "m012_site_visits",
        "m013_page_links",
        "m014_carry_over_pending",
        "m015_rows_digest",
    ]
    assert "publisher_key" in again.db["report_figures"].columns_dict


def test_m005_splits_the_failures_written_before_it(tmp_path: Path) -> None:
    from sqlite_utils import Database

    from crawler.storage import migrations

    db = Database(tmp_path / "r.db")
    migrations.apply(db, stop_before="m005_error_kinds")
    db["sites"].insert({"site_id": SITE, "name": "洪泽区人民政府"})
    db["fetches"].insert_all(
        [
            {"url": "u1", "site_id": SITE, "error": "TimeoutError: took longer than 60.0 s"},
            {"url": "u2", "site_id": SITE, "error": "HttpError: Ignoring non-200 response"},
            {"url": "u3", "site_id": SITE, "error": None},
        ]
    )
    db["documents"].insert_all(
        [
            {"sha256": "a", "error": "scanned_pdf: no text layer: pages are images"},
            {"sha256": "b", "error": "parser_failure: ValueError('x: y')"},
            {"sha256": "c", "error": "something odd without a kind"},
        ]
    )
    db.close()
    storage = Storage(tmp_path / "r.db", tmp_path / "raw")
    fetches = storage.db.execute("select error_kind, error_detail from fetches order by url")
    assert fetches.fetchall() == [
        ("TimeoutError", "took longer than 60.0 s"),
        ("HttpError", "Ignoring non-200 response"),
        (None, None),
    ]
    documents = storage.db.execute("select error_kind, error_detail from documents order by 1")
    assert documents.fetchall() == [
        ("error", "something odd without a kind"),
        ("parser_failure", "ValueError('x: y')"),
        ("scanned_pdf", "no text layer: pages are images"),
    ]
    assert "document_url" not in storage.db["reports"].columns_dict


def test_m008_keeps_every_figure_label_and_check(
    tmp_path: Path, hongze: tuple[AnnualReport, AnnualReport]
) -> None:
    """Labels move to their own table and checks to a WITHOUT ROWID table; what a reader of
    ``report_figures`` and ``report_checks`` sees is the same before and after."""
    from sqlite_utils import Database

    from crawler.storage import migrations

    db = Database(tmp_path / "r.db")
    migrations.apply(db, stop_before="m008_compact_figures")
    db["sites"].insert({"site_id": SITE, "name": "洪泽区人民政府"})
    for report in hongze:
        rid = report_id_for(SITE, report.publisher, report.year)
        db["reports"].insert({"report_id": rid, "site_id": SITE, "year": report.year})
        db["report_values"].insert_all(
            {
                "report_id": rid,
                "table_name": v.table,
                "row_key": v.row,
                "column_key": v.column,
                "value": v.value,
                "source": v.source,
                "label": v.label,
            }
            for v in report.values
        )
        db["report_checks"].insert_all(
            {
                "report_id": rid,
                "check": c.check,
                "subject": c.subject,
                "ok": c.ok,
                "detail": c.detail,
            }
            for c in report.checks
        )
    figures = "select report_id, table_name, row_key, column_key, value, source, label from "
    before = set(db.execute(figures + "report_figures").fetchall())
    checks = set(db.execute("select * from report_checks").fetchall())
    db.close()
    storage = Storage(tmp_path / "r.db", tmp_path / "raw")
    assert set(storage.db.execute(figures + "report_figures").fetchall()) == before
    assert set(storage.db.execute("select * from report_checks").fetchall()) == checks
    assert len(before) == sum(len(r.values) for r in hongze) > 100
    labels = storage.db.execute("select count(*) from labels").fetchone()[0]
    assert labels == len({v.label for r in hongze for v in r.values})


def test_closing_leaves_everything_in_the_database_file(
    tmp_path: Path, storage: Storage, hongze: tuple[AnnualReport, AnnualReport]
) -> None:
    """A reader still open at the writer's close (the crawl's conditional-GET middleware
    closes after the pipeline) kept SQLite from checkpointing: a copy of ``reports.db`` alone
    lacked the last reports (582 of 585 in a 50-portal crawl)."""
    import shutil
    import sqlite3

    reader = sqlite3.connect(f"file:{tmp_path / 'r.db'}?mode=ro", uri=True)
    reader.execute("select count(*) from reports").fetchone()
    store(storage, hongze[1], "2024")
    storage.close()
    shutil.copy(tmp_path / "r.db", tmp_path / "copy.db")
    reader.close()
    with sqlite3.connect(tmp_path / "copy.db") as copy:
        assert copy.execute("select count(*) from reports").fetchone()[0] == 1
        assert copy.execute("select count(*) from report_values").fetchone()[0] > 100


def test_concurrent_writers_of_the_same_bytes(tmp_path: Path) -> None:
    """Was: a shared temporary name; 69 of 160 simultaneous identical writes failed."""
    from concurrent.futures import ThreadPoolExecutor

    storage = Storage(tmp_path / "r.db", tmp_path / "raw")
    data = b"%PDF-1.4 " + bytes(range(256)) * 4000  # ~1 MB: writes overlap
    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(lambda _: storage.store_bytes(data), range(160)))
    assert {r.sha256 for r in results} == {results[0].sha256}
    assert storage.read_bytes(results[0].sha256) == data
    assert [p.name for p in (tmp_path / "raw").rglob("*")] == [
        results[0].sha256[:2],
        results[0].sha256,
    ]


def test_the_incremental_carry_over_check_equals_the_full_one(tmp_path: Path) -> None:
    """Checking only the reports a run wrote gives the checks a full pass gives, for them and
    for their neighbours; reports no run touched are not looked at."""
    import random

    from parsers import parse_report
    from simulator.scale import _report_2021

    rng = random.Random(7)
    texts = {
        (publisher, year): _report_2021(publisher, year, rng)[0]
        for publisher in ("甲县人民政府", "乙县人民政府", "丙县教育局")
        for year in range(2019, 2025)
    }
    reports = {key: parse_report(text) for key, text in texts.items()}

    def fill(storage: Storage, keys: list[tuple[str, int]]) -> None:
        for publisher, year in keys:
            store(storage, reports[(publisher, year)], f"{publisher}{year}")

    def checks(storage: Storage) -> set[tuple[object, ...]]:
        rows = storage.db.execute(
            "select report_id, ok, detail from report_checks where [check] = 'carry_over'"
        ).fetchall()
        return set(rows)

    full = Storage(tmp_path / "full.db", tmp_path / "raw")
    full.upsert_sites([{"site_id": SITE, "division_code": "320813", "name": "洪泽区人民政府"}])
    fill(full, list(reports))
    assert full.check_carry_over() == 15  # 3 publishers × 5 pairs of years
    part = Storage(tmp_path / "part.db", tmp_path / "raw")
    part.upsert_sites([{"site_id": SITE, "division_code": "320813", "name": "洪泽区人民政府"}])
    early = [k for k in reports if k[1] < 2022]
    fill(part, early)
    assert part.check_carry_over(part.touched) == 6
    part.touched.clear()
    fill(part, [k for k in reports if k[1] >= 2022])  # the next run: 2022 on
    # Touched: 2022–2024 of each publisher; pairs: 2021/2022 … 2023/2024, three each.
    assert part.check_carry_over(part.touched) == 9
    assert checks(part) == checks(full)
    assert part.check_carry_over(set()) == 0


def test_a_check_the_run_did_not_live_to_do_is_done_by_the_next_run(
    tmp_path: Path, hongze: tuple[AnnualReport, AnnualReport]
) -> None:
    """Two years of one publisher written, the crawl killed before its closing check: the
    next run, which writes neither report again, checks them (the mark is written with the
    report, in its transaction)."""
    killed = Storage(tmp_path / "r.db", tmp_path / "raw")
    killed.upsert_sites([{"site_id": SITE, "division_code": "320813", "name": "洪泽区人民政府"}])
    store(killed, hongze[0], "2023")  # alone: no mark
    second = store(killed, hongze[1], "2024")  # next to 2023: marked
    assert killed.db.execute("select report_id from carry_over_pending").fetchall() == [(second,)]
    killed.db.conn.close()  # no check_carry_over: the process died
    rerun = Storage(tmp_path / "r.db", tmp_path / "raw")
    assert rerun.check_carry_over(rerun.touched) == 1  # touched nothing itself
    rows = rerun.db.execute(
        "select report_id, ok from report_checks where [check] = 'carry_over'"
    ).fetchall()
    assert rows == [(second, 1)]
    assert rerun.db.execute("select count(*) from carry_over_pending").fetchone()[0] == 0
    assert rerun.check_carry_over(rerun.touched) == 0  # checked once, not at every run


def test_docs_database_describes_every_table_view_and_column(tmp_path: Path) -> None:
    """docs/DATABASE.md names each table's columns in that table's section (and each view's
    in its entry): a migration that adds one without saying what it means fails here."""
    import re

    doc = (Path(__file__).resolve().parents[2] / "docs" / "DATABASE.md").read_text("utf-8")
    storage = Storage(tmp_path / "r.db", tmp_path / "raw")
    objects = storage.db.execute(
        "select name, type from sqlite_master where type in ('table', 'view') "
        "and name not like '\\_%' escape '\\' and name not like 'sqlite%'"
    ).fetchall()
    assert len(objects) >= 12
    for name, kind in objects:
        if kind == "table":
            section = re.search(rf"### `{name}`(.*?)(?=\n##|\Z)", doc, re.S)
        else:
            views = doc[doc.index("## Views") :]
            section = re.search(rf"\*\*`{name}`\*\*(.*?)(?=\n- \*\*|\Z)", views, re.S)
        assert section is not None, f"{kind} {name} is not described"
        named = set(re.findall(r"`([a-z_0-9]+)`", section.group(1)))
        columns = {c.name for c in storage.db[name].columns}
        missing = columns - named - {"report_id", "site_id"}  # the keys, described once
        assert not missing, f"{name}: {sorted(missing)} not described"


class _Recorder:
    """A connection that notes each statement's count of bound values."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.bound: list[int] = []

    def execute(self, sql: str, params: list[object]) -> sqlite3.Cursor:
        self.bound.append(len(params))
        return self.conn.execute(sql, params)


@settings(max_examples=40, deadline=None)
@given(rows=st.integers(0, 400), width=st.integers(1, 12))
def test_insert_rows_writes_what_executemany_writes_in_few_statements(
    rows: int, width: int
) -> None:
    columns = ", ".join(f"c{i}" for i in range(width))
    data = [tuple(f"{r}-{c}" if c % 2 else r * 100 + c for c in range(width)) for r in range(rows)]
    conn = sqlite3.connect(":memory:")
    conn.execute(f"create table t ({columns})")
    recorder = _Recorder(conn)
    insert_rows(recorder, f"insert into t ({columns})", data)  # type: ignore[arg-type]
    assert conn.execute(f"select {columns} from t order by rowid").fetchall() == data
    # A few statements, never one a row (a statement is one step of SQLite: one hand-over of
    # the GIL), none binding more than the 999 values an SQLite older than 3.32 allows.
    assert sum(recorder.bound) == rows * width
    assert all(n <= 999 for n in recorder.bound)
    if rows >= 8:
        assert len(recorder.bound) < rows / 2
