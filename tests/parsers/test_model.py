"""The records: a report crosses from a parse worker to the writer as a pickle, unchanged."""

from __future__ import annotations

import pickle

from hypothesis import given
from hypothesis import strategies as st

from parsers import AnnualReport
from parsers.model import Check, Section, Value
from tests.conftest import SEED_NAMES, parsed_seed

_text = st.text(max_size=20)
_values = st.builds(
    Value,
    table=_text,
    row=_text,
    column=_text,
    value=st.one_of(st.integers(), st.floats(allow_nan=False)),
    source=st.sampled_from(["table", "prose"]),
    label=_text,
)
_reports = st.builds(
    AnnualReport,
    parser_version=_text,
    publisher=st.none() | _text,
    publisher_level=st.none() | _text,
    year=st.none() | st.integers(1990, 2100),
    template=_text,
    title=st.none() | _text,
    publish_date=st.none() | _text,
    url=st.none() | _text,
    sections=st.lists(st.builds(Section, st.integers(0, 20), _text, _text)).map(tuple),
    values=st.lists(_values).map(tuple),
    checks=st.lists(st.builds(Check, _text, st.booleans(), _text, _text)).map(tuple),
    warnings=st.lists(_text).map(tuple),
)


@given(_reports)
def test_any_report_survives_a_pickle(report: AnnualReport) -> None:
    for protocol in (2, pickle.HIGHEST_PROTOCOL):
        back = pickle.loads(pickle.dumps(report, protocol))
        assert back == report
        assert [type(v) for v in back.values] == [Value] * len(report.values)


def test_the_seeds_survive_a_pickle() -> None:
    for name in SEED_NAMES:
        report = parsed_seed(name)
        assert pickle.loads(pickle.dumps(report, pickle.HIGHEST_PROTOCOL)) == report
