"""The two places that reach into another library's private parts, and the exact versions they
were checked against (setup.cfg pins them). A new NetworkX or pydantic fails here first: read
graphmodel/graph.py (``_node``, ``_succ``, ``_pred``) and queries/results.py (``trusted``)
against it, then move the pin and these versions together."""

import configparser
from pathlib import Path

import networkx
import pydantic
from pydantic import BaseModel

ROOT = Path(__file__).resolve().parent.parent
CHECKED = {"networkx": "3.6.1", "pydantic": "2.14.4"}


def _pins() -> dict[str, str]:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    pins = {}
    for line in config["options"]["install_requires"].split():
        name, _, version = line.partition("==")
        if version:
            pins[name] = version
    return pins


def test_the_pins_are_the_versions_checked_and_installed():
    assert {name: _pins()[name] for name in CHECKED} == CHECKED
    assert (networkx.__version__, pydantic.VERSION) == (CHECKED["networkx"], CHECKED["pydantic"])


def test_networkx_keeps_its_adjacency_in_the_dicts_the_graph_fills():
    graph = networkx.MultiDiGraph()
    graph.add_edge("a", "b", key="T", type="T")
    assert graph._node == {"a": {}, "b": {}}
    assert graph._succ["a"]["b"] is graph._pred["b"]["a"]  # one key dict, shared both ways
    assert graph._adj is graph._succ and graph._succ["a"]["b"]["T"] == {"type": "T"}


def test_pydantic_keeps_the_instance_slots_trusted_sets():
    from queries.results import Item, trusted

    slots = {name for name in ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__")
             if name in BaseModel.__dict__}
    assert slots == {"__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__"}
    fields = {"community_id": None, "community": None, "street_id": None, "street": None, "label": "Compound",
              "id": "XQ1", "name": "幸福小区", "reason": "no_party_org", "reason_zh": "无党组织", "detail": None}
    item = trusted(Item, dict(fields))
    assert item == Item(**fields) and item.model_fields_set == set(fields)
    assert item.model_copy(update={"name": "幸福家园"}).name == "幸福家园" and item.name == "幸福小区"
