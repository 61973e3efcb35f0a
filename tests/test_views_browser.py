"""The views in headless Chromium, offline: drawn counts, no request leaves the page, names stay text.

Needs Debian's chromium, chromium-driver and fonts-noto-cjk: skipped with the reason when they are
missing, except under CI=true, where a missing browser fails the run. Screenshots are written to
$GRIDGRAPH_SCREENSHOTS (default: the test's tmp folder) for a person to look at.
"""

import os
from pathlib import Path

import pytest

from loaders.store import open_graph
from gridgraph.views import build_view, compare_view, write_view

from browser import missing_chromium, offline_browser
from test_views import AS_OF, XSS, small_city

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SAMPLE = Path(__file__).resolve().parents[1] / "loaders" / "sample_data"


def chromium(**size):
    """An offline page, or a skip (a failure under CI=true) naming what is missing."""
    reason = missing_chromium()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"headless Chromium is required in CI: {reason}")
        pytest.skip(reason)
    return offline_browser(**size)


@pytest.fixture(scope="module")
def browser():
    with chromium() as page:
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
    assert browser.run("return network.body.nodes['Compound:XQ9'].options.label").replace("\n", "") == XSS
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
    # The search list and the side panel show the name as text too.
    options = browser.run("return [...document.querySelectorAll('#gg-names option')].map(o => o.value)")
    assert f"{XSS} · XQ9 · 小区" in options
    assert browser.run("return window.gridgraphView.search('XQ9')") == "Compound:XQ9"
    assert browser.run("return document.querySelector('#gg-panel h2').innerText") == f"小区：{XSS}"
    assert browser.run("return document.querySelectorAll('#gg-panel *:not(button):not(h2):not(h3):not(ul):not(li)')"
                       ".length") == 0
    assert browser.run("return document.querySelectorAll('img').length") == 0
    assert browser.run("return window.__xss === undefined")
    assert browser.requests() == []
    browser.screenshot(shots / "xss-community.png")


def test_a_comparison_draws_its_ghosts_and_filters_to_the_changes(browser, shots):
    from test_views_compare import quarter

    view = open_view(browser, compare_view("community", quarter(later=True), quarter(later=False), "SQ1",
                                           as_of=AS_OF, old_name="春季"), shots / "compare-community.html")
    assert browser.drawn_counts() == (len(view.nodes), len(view.edges))
    assert browser.run("return network.body.nodes['Person:P3'].options.shapeProperties.borderDashes") == [5, 4]
    assert "绿框/绿晕：新增 5" in browser.run("return document.getElementById('gg-change-legend').innerText")
    # Tick 新增: only the new nodes stay solid.
    browser.run("document.querySelector('#gg-codes input[data-code=新增]').click()")
    solid = browser.run("return network.body.data.nodes.get().filter(n => n.opacity === 1).map(n => n.id)")
    assert set(solid) == {node["id"] for node in view.nodes if node.get("change") == "new"}
    assert browser.requests() == []
    assert browser.screenshot(shots / "compare-community.png").stat().st_size > 10_000


def test_a_rename_is_drawn_with_its_old_name_and_a_changed_contract_on_its_line(browser, shots):
    from test_views_compare import renewed

    open_view(browser, compare_view("community", renewed(later=True), renewed(later=False), "SQ1", as_of=AS_OF),
              shots / "compare-rename.html")
    assert browser.run("return network.body.nodes['Compound:XQ1'].options.label") == "长青苑\n原名 XQ1小区"
    assert browser.run("return network.body.nodes['Compound:XQ1'].options.color.border") == "#ff8f00"
    labels = browser.run("return Object.values(network.body.edges).map(e => e.options.label).filter(Boolean)")
    assert labels == ["变更", "变更"]  # the contract re-signed, the post now 书记
    assert "更名 1" in browser.run("return document.getElementById('gg-change-legend').innerText")


# -- read at first glance ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def county_graph(tmp_path_factory):
    from loaders import load_ledgers
    from loaders.sample import generate_sample

    folder = tmp_path_factory.mktemp("county")
    generate_sample(folder, scale="county", seed=7)
    return load_ledgers(folder).graph


@pytest.fixture(scope="module")
def screen():
    """A planner's 1600×1000 screen."""
    with chromium(width=1600, height=1000) as page:
        yield page


def drawn_label_px(browser, kind):
    """On-screen label size (network scale × font size) of every drawn node of ``kind`` (vis id prefix)."""
    return browser.run("""
        const scale = network.getScale();
        return Object.values(network.body.nodes)
            .filter(n => n.id.startsWith(arguments[0] + ':') && !n.options.hidden)
            .map(n => scale * n.options.font.size);""", kind)


COUNTY_COMMUNITY, COUNTY_STREET = "371327001001", "371327001"


@pytest.mark.parametrize("kind, area", [("community", COUNTY_COMMUNITY), ("street", COUNTY_STREET)])
def test_compound_labels_are_legible_at_the_first_fitted_view(screen, county_graph, shots, kind, area):
    open_view(screen, build_view(kind, county_graph, area, as_of=AS_OF), shots / f"county-{kind}.html")
    sizes = drawn_label_px(screen, "Compound")
    assert sizes and min(sizes) >= 10
    if kind == "street":  # people and buildings are left for the zoom: under vis' draw threshold (9 px)
        assert all(size < 9 for size in drawn_label_px(screen, "Person") + drawn_label_px(screen, "Building"))
    screen.screenshot(shots / f"county-{kind}.png")
    # Zooming in does not blow the structural labels up: they come back to their own size.
    screen.run("network.moveTo({scale: 2.0}); network.emit('zoom', {scale: 2.0});")
    compound_font = {"community": 17, "street": 14}[kind]  # a community's compounds head its clusters
    assert max(drawn_label_px(screen, "Compound")) <= 2.0 * compound_font + 0.01


def test_a_streets_party_tree_fits_a_screen_with_one_colour_per_level(screen, county_graph, shots):
    view = open_view(screen, build_view("hierarchy", county_graph, COUNTY_STREET, as_of=AS_OF),
                     shots / "county-hierarchy.html")
    levels = screen.run("""
        const seen = {};
        Object.values(network.body.nodes).forEach(n => {
            const kind = network.body.data.nodes.get(n.id).kind;
            (seen[kind] = seen[kind] || new Set()).add(n.options.shape + ' ' + n.options.color.background);
        });
        return Object.fromEntries(Object.entries(seen).map(([k, v]) => [k, [...v]]));""")
    assert {"党工委", "党委", "党支部", "党小组"} <= set(levels)
    assert all(len(looks) == 1 for looks in levels.values())  # one look per level …
    assert len({looks[0] for looks in levels.values()}) == len(levels)  # … and no two levels alike
    assert min(drawn_label_px(screen, "PartyOrg")) >= 10  # the whole street, readable, on one screen
    assert len(view.nodes) > 100
    legend = screen.run("return [...document.querySelectorAll('#gg-legend label')].map(l => l.innerText)")
    assert any(text.startswith("★党小组") or "党小组" in text for text in legend)
    screen.screenshot(shots / "county-hierarchy.png")


def test_search_toggles_and_side_panel(screen, county_graph, shots):
    view = open_view(screen, build_view("community", county_graph, COUNTY_COMMUNITY, as_of=AS_OF),
                     shots / "county-community-panel.html")
    compound = next(node for node in view.nodes if node["id"].startswith("Compound:") and node["codes"])
    # Search by code focuses the node and opens its panel with the blind spots and their reasons.
    assert screen.run("return window.gridgraphView.search(arguments[0])", compound["code"]) == compound["id"]
    panel = screen.run("return document.getElementById('gg-panel').innerText")
    assert compound["title"].split("\n")[0] in panel and "盲区与问题" in panel
    assert compound["codes"][0] in panel
    # Zoomed in on the node, the grown labels are back to their own size.
    scale = screen.run("return network.getScale()")
    assert scale >= 1.0 and max(drawn_label_px(screen, "Compound")) <= 17 * scale + 0.01
    screen.screenshot(shots / "county-community-panel.png")
    # Untick 人员 in the legend: every person is hidden; besides them, only what was folded away.
    screen.run("document.querySelector('#gg-legend input[data-group=Person]').click()")
    hidden = screen.run("return network.body.data.nodes.get().filter(n => n.hidden).map(n => n.id)")
    folded = {node["id"] for node in view.nodes if node.get("folded")}
    assert set(hidden) == {node["id"] for node in view.nodes if node["id"].startswith("Person:")} | folded
    # Tick a blind-spot code: nodes without it are dimmed, nodes with it stay solid.
    code = compound["codes"][0]
    screen.run("document.querySelector('#gg-codes input[data-code=' + arguments[0] + ']').click()", code)
    opacity = screen.run("return network.body.data.nodes.get(arguments[0]).opacity", compound["id"])
    dimmed = screen.run("return network.body.data.nodes.get().filter(n => n.opacity < 1).length")
    assert opacity == 1 and 0 < dimmed < len(view.nodes)


# -- the first view: how many things, and no label on another (vis-network's own label boxes) ----
def open_first_view(screen, graph, kind, area, folder):
    view = build_view(kind, graph, area, as_of=AS_OF)
    path = write_view(view, folder / f"{kind}.html")
    screen.open(path)
    return view


# Every shown node's label box as vis-network drew it (network units), and its size on screen.
SHOWN_LABELS = """
    const scale = network.getScale();
    return Object.values(network.body.nodes).filter(n => !n.options.hidden).map(n => {
        const size = n.labelModule.size;
        return {id: n.id, px: scale * n.options.font.size,
                box: [size.left, size.top, size.left + size.width, size.top + size.height]};
    });"""


def overlapping(labels):
    """Pairs of labels whose boxes overlap."""
    return [(a["id"], b["id"]) for i, a in enumerate(labels) for b in labels[i + 1:]
            if a["box"][0] < b["box"][2] and b["box"][0] < a["box"][2]
            and a["box"][1] < b["box"][3] and b["box"][1] < a["box"][3]]


def test_the_community_opens_on_its_compounds_every_label_readable_and_clear(screen, county_graph, tmp_path):
    view = open_first_view(screen, county_graph, "community", COUNTY_COMMUNITY, tmp_path)
    labels = screen.run(SHOWN_LABELS)
    people = [label for label in labels if label["id"].startswith("Person:")]
    assert len(labels) == 84 and len(people) == 10  # of 254 nodes: at most 100, at most 25 people
    assert {label["id"] for label in people} == {node["id"] for node in view.nodes if node.get("links")}
    assert min(label["px"] for label in labels) >= 9  # every label drawn (vis' threshold) …
    assert overlapping(labels) == []  # … and none on another
    # The filters say what each code asks; the legend starts below the header and names the lines.
    assert "B1 无党组织小区 (1)" in screen.run("return document.getElementById('gg-codes').innerText")
    header, legend = screen.run("return [document.getElementById('gg-header').getBoundingClientRect().bottom,"
                                " document.getElementById('gg-legend').getBoundingClientRect().top]")
    assert legend >= header
    assert "任职 153" in screen.run("return document.getElementById('gg-legend').innerText")


def test_a_click_on_a_compound_opens_its_dossier_and_unfolds_its_buildings(screen, county_graph, tmp_path):
    open_first_view(screen, county_graph, "community", COUNTY_COMMUNITY, tmp_path)
    compound = "Compound:XQ37132700100103"  # 新城华庭: 8 buildings, its committee overdue (B4)
    buildings = screen.run("return network.body.data.nodes.get().filter(n => n.id.startsWith('Building:')"
                           " && !n.hidden).length")
    assert buildings == 0
    screen.run("network.selectNodes([arguments[0]]);"
               " network.body.emitter.emit('click', {nodes: [arguments[0]], edges: []});", compound)
    shown = screen.run("return network.getConnectedNodes(arguments[0]).filter(id => id.startsWith('Building:')"
                       " && !network.body.data.nodes.get(id).hidden).length", compound)
    assert shown == 8
    headings = screen.run("return [...document.querySelectorAll('#gg-panel h3')].map(h => h.innerText)")
    assert headings == ["基本信息", "党组织", "业主委员会", "物业企业", "联系人（在两方以上任职）", "盲区与问题",
                        "建议人选"]
    panel = screen.run("return document.getElementById('gg-panel').innerText")
    proposed = panel[panel.index("建议人选"):].splitlines()[1:]
    assert proposed and all(line.startswith("R") and "（" in line for line in proposed)  # R5 楼长 …
    assert "新城华庭业主委员会：任期 2021-02-10 至 2026-02-08" in panel
    # Its gaps: the blind spots naming it, then those naming one of its sides.
    assert "B2 无人管理小区：无物业且无自管会" in panel
    assert "新城华庭业主委员会：B4 业委会逾期未换届：任期届满未换届" in panel


def test_the_people_view_labels_every_person_at_first_fit(screen, county_graph, tmp_path):
    open_first_view(screen, county_graph, "people", COUNTY_STREET, tmp_path)
    labels = screen.run(SHOWN_LABELS)
    assert min(label["px"] for label in labels) >= 9
    assert overlapping(labels) == []


def test_the_report_timeline_is_small_charts_of_one_line_each_labelled_at_its_end(screen, tmp_path):
    from gridgraph.report_page import report_page
    from test_report_page import QUARTERS, contracts_city

    page = tmp_path / "report.html"
    page.write_text(report_page(contracts_city(), scope="SQ1", as_of=QUARTERS, source="city",
                                targets={"C2": 0.9}), encoding="utf-8")
    screen.driver.get(page.as_uri())
    charts = screen.run("""
        return [...document.querySelectorAll('svg.timeline')].map(svg => ({
            lines: new Set([...svg.querySelectorAll('polyline')].map(p => p.dataset.code)).size,
            end: svg.querySelector('text.end-label') ? svg.querySelector('text.end-label').textContent : null,
            code: svg.dataset.code, width: svg.getBoundingClientRect().width}));""")
    assert max(chart["lines"] for chart in charts) <= 4
    assert all(chart["end"] == chart["code"] for chart in charts if chart["lines"])
    assert min(chart["width"] for chart in charts) > 150  # small multiples, not slivers
    assert screen.run("return document.querySelectorAll('svg.timeline line.target').length") == 1
