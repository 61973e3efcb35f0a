"""Shared pytest set-up: every test gets its own PII key so no test touches the user's key file."""

import pytest


@pytest.fixture(autouse=True)
def _isolated_pii_key(monkeypatch, tmp_path_factory):
    monkeypatch.setenv("GRIDGRAPH_KEY_FILE", str(tmp_path_factory.getbasetemp() / "pii.key"))
    monkeypatch.delenv("GRIDGRAPH_PII_KEY", raising=False)
