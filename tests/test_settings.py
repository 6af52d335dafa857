"""A serve setting is declared once (coopgraph/web/settings.py): the flag, the environment variable
and the README's row are made from the declaration."""

from __future__ import annotations

import dataclasses
import os

from click.testing import CliRunner

from coopgraph.cli import main
from coopgraph.config import Settings
from coopgraph.web.settings import SETTINGS, ServeSettings, env_name, flag_name, settings_table
from tests.conftest import ROOT


def test_the_readme_table_is_made_from_the_declarations():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- settings:start")[1].split("-->", 1)[1].split("<!-- settings:end -->")[0].strip()
    assert table == settings_table()


def test_every_declared_setting_is_a_flag_and_a_variable(monkeypatch):
    help_text = CliRunner().invoke(main, ["serve", "--help"]).output
    for item in SETTINGS:
        assert flag_name(item) in help_text and env_name(item) in help_text, item.name
    monkeypatch.setenv("COOPGRAPH_MAX_ROWS", "77")
    monkeypatch.setenv("COOPGRAPH_QUERY_TIMEOUT", "2.5")
    settings = ServeSettings.from_env(Settings(root=ROOT))
    assert settings.max_rows == 77 and settings.query_timeout == 2.5
    assert ServeSettings.from_env(Settings(root=ROOT), max_rows=5).max_rows == 5  # a flag wins over the variable
    environment = settings.environment()
    assert {env_name(i) for i in SETTINGS} <= set(environment)
    assert environment["COOPGRAPH_MAX_ROWS"] == "77"
    # a process started with that environment reads the same settings back
    monkeypatch.setattr(os, "environ", {**os.environ, **environment})
    again = ServeSettings.from_env(Settings(root=ROOT))
    assert all(getattr(again, i.name) == getattr(settings, i.name) for i in SETTINGS)
    assert dataclasses.fields(ServeSettings)
