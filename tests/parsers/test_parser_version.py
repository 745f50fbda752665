"""PARSER_VERSION moves with the parsers' outputs: a stored report says which parser wrote it,
and ``scrapy reparse`` re-reads only what an older version read."""

from __future__ import annotations

from parsers import PARSER_VERSION
from tests.tools import parser_fingerprint


def test_outputs_changed_only_with_a_new_parser_version() -> None:
    record = parser_fingerprint.recorded()
    current = parser_fingerprint.fingerprint()
    if current != record["fingerprint"]:
        assert record["parser_version"] != PARSER_VERSION, (
            f"the parsers' outputs changed but PARSER_VERSION is still {PARSER_VERSION}: bump "
            "it, then run `python -m tests.tools.parser_fingerprint --write`"
        )
        raise AssertionError(
            f"PARSER_VERSION is {PARSER_VERSION} and the outputs changed: record them with "
            "`python -m tests.tools.parser_fingerprint --write`"
        )
    assert record["parser_version"] == PARSER_VERSION, (
        "PARSER_VERSION changed but the outputs did not: record it with "
        "`python -m tests.tools.parser_fingerprint --write`"
    )


def test_the_fingerprint_sees_a_changed_figure(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    seeds = sorted((parser_fingerprint.FIXTURES / "seeds").glob("*.txt"))
    monkeypatch.setattr(parser_fingerprint, "inputs", lambda: seeds)
    before = parser_fingerprint.fingerprint()
    real = parser_fingerprint.output

    def one_figure_off(path):  # type: ignore[no-untyped-def]
        data = real(path)
        if path.name.startswith("002_1802") and isinstance(data, dict) and data.get("values"):
            data["values"][0] = {**data["values"][0], "value": data["values"][0]["value"] + 1}
        return data

    monkeypatch.setattr(parser_fingerprint, "output", one_figure_off)
    assert parser_fingerprint.fingerprint() != before
