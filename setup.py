"""For ``scrapyd-deploy``, which builds an egg with ``python setup.py bdist_egg`` (and writes a
setup.py of its own, without the package data, where there is none). Everything is declared
in pyproject.toml."""

from setuptools import setup

setup()
