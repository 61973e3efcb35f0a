"""Connecting: settings from arguments or NEO4J_* variables, and clear errors without a server."""

from __future__ import annotations

import pytest

from graphmodel.errors import StoreError
from graphmodel.neo4j import connect, resolve_database


def test_a_missing_uri_names_the_variable(monkeypatch):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    with pytest.raises(StoreError, match="no Neo4j URI") as raised:
        connect()
    assert "NEO4J_URI" in raised.value.hint


def test_a_malformed_uri_is_refused(monkeypatch):
    with pytest.raises(StoreError, match="not a usable Neo4j URI") as raised:
        connect("ftp://localhost:7687", "neo4j", "secret")
    assert "NEO4J_URI" in raised.value.hint


def test_an_unreachable_server_says_what_to_check(monkeypatch):
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:9")      # discard port: refused at once
    with pytest.raises(StoreError, match="cannot reach Neo4j at bolt://127.0.0.1:9") as raised:
        connect(password="secret")
    assert "NEO4J_URI" in raised.value.hint


def test_the_database_falls_back_to_the_environment(monkeypatch):
    monkeypatch.delenv("NEO4J_DATABASE", raising=False)
    assert resolve_database() is None
    monkeypatch.setenv("NEO4J_DATABASE", "gov")
    assert resolve_database() == "gov" and resolve_database("other") == "other"
