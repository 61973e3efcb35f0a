"""The views in headless Chromium, offline: drawn counts, no request leaves the page, names stay text.

Needs Debian's chromium, chromium-driver and fonts-noto-cjk: skipped with the reason when they are
missing, except under CI=true, where a missing browser fails the run. Screenshots are written to
$GRIDGRAPH_SCREENSHOTS (default: the test's tmp folder) for a person to look at.
"""

import os
from pathlib import Path

import pytest

from loaders.store import open_graph
from gridgraph.views import build_view, write_view

from browser import missing_chromium, offline_browser
from test_views import AS_OF, XSS, small_city

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SAMPLE = Path(__file__).resolve().parents[1] / "loaders" / "sample_data"


@pytest.fixture(scope="module")
def browser():
    reason = missing_chromium()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"headless Chromium is required in CI: {reason}")
        pytest.skip(reason)
    with offline_browser() as page:
        yield page


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("GRIDGRAPH_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_view(browser, view, path):
    write_view(view, path)
    browser.open(path)
    return view


@pytest.fixture(scope="module")
def sample_graph():
    return open_graph(SAMPLE)


def sample_area(graph, label):
    return next(key[1] for key, _ in graph.nodes(label))


@pytest.mark.parametrize("kind, label", [("community", "Community"), ("street", "Street"),
                                         ("hierarchy", "District"), ("people", "District"),
                                         ("overview", None)])
def test_sample_views_draw_every_node_offline(browser, sample_graph, shots, kind, label):
    area = sample_area(sample_graph, label) if label else None
    view = open_view(browser, build_view(kind, sample_graph, area), shots / f"sample-{kind}.html")
    assert browser.drawn_counts() == (len(view.nodes), len(view.edges))
    assert len(view.nodes) > 1 and len(view.edges) > 0
    assert browser.requests() == []
    screenshot = browser.screenshot(shots / f"sample-{kind}.png")
    assert screenshot.stat().st_size > 10_000


def test_a_large_view_draws_without_physics(browser, shots):
    from graph_factory import GraphFactory

    factory = GraphFactory.city()
    for number in range(40):
        factory.compound(f"XQ{number}", "SQ1", buildings=12)
    view = open_view(browser, build_view("community", factory.graph, "SQ1", as_of=AS_OF, marks={}),
                     shots / "large-community.html")
    assert not view.physics
    assert browser.drawn_counts() == (len(view.nodes), len(view.edges)) == (521, 520)
    assert browser.run("return network.physics.options.enabled") is False
    assert browser.requests() == []
    browser.screenshot(shots / "large-community.png")


def test_a_name_that_is_markup_is_shown_as_text_and_runs_nothing(browser, shots):
    from selenium.webdriver.common.action_chains import ActionChains

    view = open_view(browser, build_view("community", small_city().graph, "SQ1", as_of=AS_OF),
                     shots / "xss-community.html")
    assert browser.drawn_counts() == (len(view.nodes), len(view.edges))
    assert browser.run("return network.body.nodes['Compound:XQ9'].options.label") == XSS
    # Hover the node so vis-network opens its tooltip, then read what the tooltip holds.
    x, y = browser.run("""
        const p = network.canvasToDOM(network.getPosition('Compound:XQ9'));
        const box = document.querySelector('#mynetwork canvas').getBoundingClientRect();
        return [Math.round(box.left + p.x), Math.round(box.top + p.y)];""")
    canvas = browser.driver.find_element("css selector", "#mynetwork canvas")
    box = canvas.rect
    ActionChains(browser.driver).move_to_element_with_offset(
        canvas, x - box["x"] - box["width"] / 2, y - box["y"] - box["height"] / 2).perform()
    browser.wait_for("const t = document.querySelector('div.vis-tooltip');"
                     " return t && t.style.visibility !== 'hidden' && t.innerText.length > 0")
    # innerText turns each line break into <br>; any other element would be markup from a name.
    text, tags = browser.run("const t = document.querySelector('div.vis-tooltip');"
                             " return [t.innerText, [...t.querySelectorAll('*')].map(e => e.tagName)]")
    assert text.startswith(f"小区：{XSS}\n编码：XQ9\n⚠ B1 无党组织小区")
    assert set(tags) == {"BR"}
    options = browser.run("return [...document.querySelectorAll('#select-node option')].map(o => o.text)")
    assert f"{XSS} · 小区" in options
    assert browser.run("return document.querySelectorAll('img').length") == 0
    assert browser.run("return window.__xss === undefined")
    assert browser.requests() == []
    browser.screenshot(shots / "xss-community.png")
