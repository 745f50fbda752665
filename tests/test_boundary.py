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
# Builtin calls, and methods, that touch files or processes (``pdfplumber.open`` on an
# in-memory ``io.BytesIO`` is not I/O and is allowed).
IO_BUILTINS = {"open", "exec", "eval", "__import__"}
IO_METHODS = {"urlopen", "read_bytes", "read_text", "write_bytes", "write_text", "system", "popen"}
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
            if isinstance(func, ast.Name) and func.id in IO_BUILTINS:
                calls.add(func.id)
            elif isinstance(func, ast.Attribute) and func.attr in IO_METHODS:
                calls.add(func.attr)
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
