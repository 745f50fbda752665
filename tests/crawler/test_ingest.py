"""One way in (crawler/ingest.py): one transaction per document, and a reparse that can be
killed at any moment without losing a report."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from crawler import ingest as ingest_module
from crawler import parsepool
from crawler.ingest import (
    Exchange,
    Failure,
    Provenance,
    Recorded,
    ingest,
    read,
    read_and_record,
    record,
    reparse,
)
from crawler.storage import Storage
from parsers import PARSER_VERSION, AnnualReport
from tests.crawler.replay import ROOT, storage_settings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pdf"
SITE = "jiangsu_huaian_hongze"
PDF = FIXTURES / "002_hongze_qu_2023.pdf"
PROVENANCE = Provenance(
    SITE, "http://www.hongze.gov.cn/a.pdf", "application/pdf", "2026-12-01T00:00:00+00:00"
)
FETCH = {"url": PROVENANCE.url, "final_url": PROVENANCE.url, "status": 200, "site_id": SITE}


@pytest.fixture
def storage(tmp_path: Path) -> Storage:
    s = Storage(tmp_path / "r.db", tmp_path / "raw")
    s.upsert_sites([{"site_id": SITE, "division_code": "320813", "name": "洪泽区人民政府"}])
    return s


def counts(db: sqlite3.Connection | Storage) -> dict[str, int]:
    execute = db.db.execute if isinstance(db, Storage) else db.execute
    return {
        table: execute(f"select count(*) from {table}").fetchone()[0]
        for table in ("documents", "fetches", "reports", "report_values", "report_sources")
    }


def test_a_document_its_fetch_and_its_report_are_written_together(storage: Storage) -> None:
    done = ingest(storage, PDF.read_bytes(), PROVENANCE, fetch=FETCH)
    assert done.failure is None and done.report_id is not None
    assert counts(storage) == {
        "documents": 1,
        "fetches": 1,
        "reports": 1,
        "report_values": len(done.report.values),  # type: ignore[union-attr]
        "report_sources": 1,
    }
    row = storage.db.execute("select parser_version, error_kind from documents").fetchone()
    assert row == (PARSER_VERSION, None)


def test_a_document_and_all_its_exchange_brought_are_one_commit(storage: Storage) -> None:
    """``record``: the redirect that led to it, its platform, fetch, report and links."""
    data = PDF.read_bytes()
    sha256 = storage.store_bytes(data).sha256
    exchange = Exchange(
        PROVENANCE,
        FETCH,
        hops=({**FETCH, "url": "http://hongze.gov.cn/a.pdf", "kind": "redirect", "status": 301},),
        platform="trs",
        links=(("http://www.hongze.gov.cn/b.pdf", "b"),),
    )
    commits: list[str] = []
    storage.db.conn.set_trace_callback(
        lambda sql: commits.append(sql) if sql.strip().lower() == "commit" else None
    )
    done = record(storage, data, sha256, exchange, read(data, PROVENANCE.url, "application/pdf"))
    storage.db.conn.set_trace_callback(None)
    assert len(commits) == 1
    assert done.written == "new" and done.report_id in storage.touched
    assert (done.publisher, done.year, done.failure) == ("洪泽区人民政府", 2023, None)
    assert {**counts(storage), "fetches": 2} == counts(storage)
    assert storage.db.execute("select count(*) from page_links").fetchone()[0] == 1


def test_a_worker_records_what_it_reads_in_its_own_connection(tmp_path: Path) -> None:
    """``read_and_record`` (a parse worker's job): its report comes back as a few fields,
    "new" for the copy that wrote it first and "updated" for the next; a document that is
    no report comes back with its reason."""
    database, raw = str(tmp_path / "r.db"), str(tmp_path / "raw")
    main = Storage(database, raw)
    main.upsert_sites([{"site_id": SITE, "division_code": "320813", "name": "洪泽区人民政府"}])
    data = PDF.read_bytes()
    sha256 = main.store_bytes(data).sha256
    try:
        first = read_and_record(database, raw, data, sha256, Exchange(PROVENANCE, FETCH))
        other = replace(PROVENANCE, url="http://www.hongze.gov.cn/copy.pdf")
        again = read_and_record(
            database, raw, data, sha256, Exchange(other, {**FETCH, "url": other.url})
        )
        text = "这是一个普通网页。".encode()
        page = main.store_bytes(text).sha256
        html = replace(PROVENANCE, url="http://www.hongze.gov.cn/p.txt", content_type="")
        nothing = read_and_record(database, raw, text, page, Exchange(html, FETCH))
    finally:
        ingest_module._STORES.pop((database, raw)).close()
    assert isinstance(first, Recorded) and first.written == "new"
    assert (first.publisher, first.year) == ("洪泽区人民政府", 2023)
    assert again.report_id == first.report_id and again.written in ("updated", None)
    assert nothing.report_id is None and nothing.written is None
    assert nothing.failure is not None and nothing.failure.kind == "not_a_report"
    assert main.db.execute("select count(*) from fetches").fetchone()[0] == 3
    assert main.db.execute("select count(*) from report_sources").fetchone()[0] == 2


def test_a_parser_bug_is_the_documents_error(
    storage: Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(parsepool, "parse_document", broken)
    done = ingest(storage, PDF.read_bytes(), PROVENANCE, fetch=FETCH)
    assert done.failure == Failure("parser_failure", "ZeroDivisionError('a bug')")
    row = storage.db.execute("select error_kind, error_detail, error from documents").fetchone()
    assert row == (
        "parser_failure",
        "ZeroDivisionError('a bug')",
        "parser_failure: ZeroDivisionError('a bug')",
    )
    assert counts(storage)["reports"] == 0 and counts(storage)["fetches"] == 1


def test_a_failure_while_writing_leaves_nothing_half_written(
    storage: Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = Storage._write_report

    def dies_after_the_report_row(self: Storage, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        raise OSError("disk full")

    monkeypatch.setattr(Storage, "_write_report", dies_after_the_report_row)
    with pytest.raises(OSError, match="disk full"):
        ingest(storage, PDF.read_bytes(), PROVENANCE, fetch=FETCH)
    # The bytes are in the raw store; no row of the transaction is.
    assert counts(storage) == dict.fromkeys(counts(storage), 0)
    assert any((storage.raw_dir).rglob("*"))


def test_a_reread_writes_only_the_rows_that_differ(storage: Storage) -> None:
    first = ingest(storage, PDF.read_bytes(), PROVENANCE)
    report = first.report
    assert report is not None and len(report.values) > 100
    stored = storage.db.execute("select * from report_values order by 2, 3, 4, 5").fetchall()
    changes = storage.db.conn.total_changes
    statements: list[str] = []
    storage.db.conn.set_trace_callback(statements.append)
    again = ingest(storage, PDF.read_bytes(), PROVENANCE, fresh=set(), sha256=first.sha256)
    storage.db.conn.set_trace_callback(None)
    assert again.report_id == first.report_id
    assert storage.db.conn.total_changes == changes  # nothing differed: no row written at all
    # The report's rows digest as stored: none of its figures was even read back.
    assert not [sql for sql in statements if "report_values" in sql]

    # One figure changed, one moved to a new key: each deleted and inserted under its new
    # value or key (four row changes), and the report's row for its new rows digest (as many
    # figures, same weight). No other figure is touched.
    one, two, *rest = report.values
    edited = replace(
        report,
        values=(replace(one, value=one.value + 1), *rest, replace(two, row="new_row")),
    )
    changes = storage.db.conn.total_changes
    ingest(storage, PDF.read_bytes(), PROVENANCE, fresh=set(), parsed=edited, sha256=first.sha256)
    assert storage.db.conn.total_changes - changes == 5
    after = storage.db.execute(
        "select report_id, table_name, row_key, column_key, value, source, label "
        "from report_figures"
    ).fetchall()
    expected = sorted(
        (first.report_id, v.table, v.row, v.column, v.value, v.source, v.label)
        for v in edited.values
    )
    assert sorted(after) == expected != sorted(stored)


def test_reparse_counts_figures_changed_new_and_gone(workdir: Path) -> None:
    storage = Storage(workdir / "r.db", workdir / "raw")
    target = storage.db.execute(
        "select report_id, source_url from reports order by report_id limit 1"
    ).fetchone()

    def edits_one_report(data: bytes, url: str, content_type: str) -> object:
        result = read(data, url, content_type)
        if url != target[1] or not isinstance(result, AnnualReport):
            return result
        one, two, _, *rest = result.values
        return replace(
            result,
            values=(
                replace(one, value=one.value + 7),
                replace(two, column="elsewhere"),
                *rest,
            ),
        )

    summary = reparse(storage, everything=True, parse=edits_one_report)  # type: ignore[arg-type]
    assert (summary.figures_changed, summary.figures_gone) == (
        2,
        2,
    )  # changed + moved; moved + dropped
    summary = reparse(storage, everything=True)
    assert (summary.figures_changed, summary.figures_gone) == (3, 1)


def test_reparse_interrupted_in_process_keeps_every_report(workdir: Path) -> None:
    storage = Storage(workdir / "r.db", workdir / "raw")
    before = Counter(r[0] for r in storage.db.execute("select site_id from reports"))
    figures = counts(storage)["report_values"]
    seen = 0

    def dies_at_the_seventh(data: bytes, url: str, content_type: str) -> object:
        nonlocal seen
        seen += 1
        if seen == 7:
            raise KeyboardInterrupt
        return read(data, url, content_type)

    with pytest.raises(KeyboardInterrupt):
        reparse(storage, everything=True, parse=dies_at_the_seventh)  # type: ignore[arg-type]
    after = Counter(r[0] for r in storage.db.execute("select site_id from reports"))
    assert after == before
    summary = reparse(storage)  # finishes what was left: documents still read by no parser
    assert summary.gone == 0 and summary.figures_changed == 0
    assert counts(storage)["report_values"] == figures


def test_reparse_rereads_only_what_an_older_parser_read(workdir: Path) -> None:
    storage = Storage(workdir / "r.db", workdir / "raw")
    assert reparse(storage).documents == 0  # the crawl's own parser read everything
    with storage.db.atomic():
        storage.db.execute(
            "update reports set parser_version = '0.0.1' where publisher = '民权县人民政府'"
        )
    summary = reparse(storage)
    sources = storage.db.execute(
        "select count(*) from report_sources s join reports r using (report_id) "
        "where r.publisher = '民权县人民政府'"
    ).fetchone()[0]
    assert summary.documents == sources and summary.reports_read == sources
    assert summary.versions == (PARSER_VERSION,)
    assert reparse(storage, everything=True).documents == counts(storage)["documents"]


def test_a_report_no_document_carries_any_more_goes_only_at_the_end(workdir: Path) -> None:
    storage = Storage(workdir / "r.db", workdir / "raw")
    reports = counts(storage)["reports"]
    gone_during_the_run: list[int] = []

    def minquan_is_no_report(data: bytes, url: str, content_type: str) -> object:
        gone_during_the_run.append(counts(storage)["reports"])
        result = read(data, url, content_type)
        if getattr(result, "publisher", "") == "民权县人民政府":
            return Failure("not_a_report", "as a stricter parser would say")
        return result

    summary = reparse(storage, everything=True, parse=minquan_is_no_report)  # type: ignore[arg-type]
    assert set(gone_during_the_run) == {reports}  # never fewer while documents are read
    assert summary.gone == 1 and summary.reports_after == reports - 1


def _reports_per_site(path: Path) -> Counter[str]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return Counter(r[0] for r in connection.execute("select site_id from reports"))
    finally:
        connection.close()


def _reread(path: Path) -> tuple[int, int]:
    """Documents the current parser has read, of how many."""
    connection = sqlite3.connect(path)
    try:
        done, total = connection.execute(
            "select sum(parser_version = ?), count(*) from documents", [PARSER_VERSION]
        ).fetchone()
    finally:
        connection.close()
    return done, total


def _kill_reparse_after(workdir: Path, target: int, delay: float) -> tuple[int, int]:
    """Start ``scrapy reparse``, watch the reports while it runs, SIGKILL it ``delay`` seconds
    after it has committed ``target`` re-read documents; the documents it had re-read by then,
    of how many."""
    before = _reports_per_site(workdir / "r.db")
    proc = subprocess.Popen(
        # Small batches, so that kills land between commits as well as inside them.
        [sys.executable, "-m", "scrapy", "reparse", "--batch", "3", *storage_settings(workdir)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while proc.poll() is None and _reread(workdir / "r.db")[0] < target:
        assert _reports_per_site(workdir / "r.db") >= before  # watched while it runs, too
        time.sleep(0.005)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    after = _reports_per_site(workdir / "r.db")
    assert all(after[site] >= count for site, count in before.items()), (target, after)
    return _reread(workdir / "r.db")


def test_reparse_killed_at_random_moments_loses_no_report(crawled: Path, tmp_path: Path) -> None:
    """Five kills at random moments of a reparse of every document (all marked as read by an
    older parser), each after a random number of documents was committed; each must leave
    every report, and the next run must finish the job."""
    reports = _reports_per_site(crawled / "r.db")
    figures = counts(sqlite3.connect(crawled / "r.db"))["report_values"]
    total = _reread(crawled / "r.db")[1]
    progress = []
    for seed in range(5):
        workdir = tmp_path / str(seed)
        shutil.copytree(crawled, workdir)
        with sqlite3.connect(workdir / "r.db") as connection:
            connection.execute("update documents set parser_version = '0.0.1'")
            connection.execute("update reports set parser_version = '0.0.1'")
        rng = random.Random(seed)
        # After the first commit (or the first batch), within the run: a kill between
        # commits, or inside the next transaction.
        target = rng.randint(1, total // 2)
        progress.append(_kill_reparse_after(workdir, target, rng.uniform(0, 0.05)))
        storage = Storage(workdir / "r.db", workdir / "raw")
        summary = reparse(storage)  # the next run finishes the job
        assert summary.gone == 0 and summary.versions == (PARSER_VERSION,)
        assert _reports_per_site(workdir / "r.db") == reports
        assert counts(storage)["report_values"] == figures
        storage.close()
    print("reparse killed at (documents re-read, of):", progress)
    # The kills landed while documents were being rewritten, not only before or after.
    assert sum(0 < done < total for done, total in progress) >= 2, progress


SLOW_PARSER = """
import os
import sys
import time

sys.path.insert(0, {root!r})  # this checkout's crawler, whatever is installed

import crawler.parsepool

_read = crawler.parsepool.read


def slow(data, url, content_type):
    if url.endswith("20510.pdf"):  # a document that would hold the crawl up
        with open({pids!r}, "a") as out:
            out.write(f"{{os.getpid()}}\\n")
        time.sleep(60)
    if url.endswith("629798.pdf"):  # a document that needs 4 GB
        hog = bytearray(4 * 1024**3)
        return _read(bytes(hog[:1]), url, content_type)
    return _read(data, url, content_type)


crawler.parsepool.read = slow
"""


def test_documents_over_their_time_or_memory_budget_are_too_costly(tmp_path: Path) -> None:
    """Parsing runs in worker processes within GKNB_PARSE_TIMEOUT and GKNB_PARSE_MEMORY_MB: the
    slow document's worker is killed, the greedy one fails in its worker, both are recorded
    as too_costly, every other report is stored, and the crawl does not wait."""
    from tests.crawler.replay import CASSETTES, replay

    hook = tmp_path / "hook"
    hook.mkdir()
    pids = tmp_path / "slow.pids"
    (hook / "sitecustomize.py").write_text(
        SLOW_PARSER.format(root=str(ROOT), pids=str(pids)), "utf-8"
    )
    env = {"PYTHONPATH": str(hook)}
    workdir = tmp_path / "w"
    workdir.mkdir()
    start = time.monotonic()
    db = replay(
        workdir,
        CASSETTES,
        *("-s", "GKNB_PARSE_TIMEOUT=4", "-s", "GKNB_PARSE_MEMORY_MB=1536"),
        env=env,
    )
    elapsed = time.monotonic() - start
    rows = db.execute(
        "select substr(f.url, -10), d.error_kind, d.error_detail from fetches f "
        "join documents d using (sha256) where f.url like '%20510.pdf' or f.url like '%629798.pdf' "
        "order by 1"
    ).fetchall()
    assert [tuple(r) for r in rows] == [
        ("/20510.pdf", "too_costly", "parsing took longer than 4 s"),
        ("629798.pdf", "too_costly", "parsing needed more than 1536 MB"),
    ]
    # 11 less the slow one (the greedy PDF's report is read from its HTML copy)
    assert db.execute("select count(*) from reports").fetchone()[0] == 10
    assert elapsed < 50  # the slow parse would have taken 60 s
    (pid,) = (int(line) for line in pids.read_text().split())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # its worker was killed, not left running
