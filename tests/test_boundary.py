"""``parsers/`` is pure: no framework, database or network imports, no I/O but in __main__."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PARSERS = Path(__file__).resolve().parent.parent / "parsers"
FORBIDDEN_MODULES = {
    "scrapy",
    "twisted",
    "sqlite_utils",
    "sqlite3",
    "requests",
    "httpx",
    "aiohttp",
    "urllib3",
    "socket",
    "ssl",
    "http",
    "urllib.request",
    "ftplib",
    "smtplib",
    "subprocess",
    "vcr",
    "crawler",
}
IO_CALLS = {"open", "urlopen", "read_bytes", "read_text", "write_bytes", "write_text", "system"}
CLI_MODULE = "__main__.py"


def _modules() -> list[Path]:
    return sorted(PARSERS.rglob("*.py"))


def _imports(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _forbidden(name: str) -> bool:
    return any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN_MODULES)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.name)
def test_no_forbidden_import(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert not {name for name in _imports(tree) if _forbidden(name)}


@pytest.mark.parametrize(
    "path", [p for p in _modules() if p.name != CLI_MODULE], ids=lambda p: p.name
)
def test_no_io_calls(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name in IO_CALLS:
                calls.add(name)
    assert not calls


def test_importing_parsers_loads_no_forbidden_module() -> None:
    roots = {"scrapy", "twisted", "sqlite_utils", "sqlite3", "requests", "httpx", "aiohttp", "vcr"}
    code = (
        "import sys, parsers, parsers.__main__\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {roots!r})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_boundary_test_would_catch_a_violation(tmp_path: Path) -> None:
    tree = ast.parse("import scrapy\nfrom sqlite_utils import Database\nopen('x')\n")
    assert {name for name in _imports(tree) if _forbidden(name)} == {"scrapy", "sqlite_utils"}
