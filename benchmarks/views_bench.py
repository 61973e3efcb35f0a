"""Time to first draw and zoom frame rate of community views in headless Chromium (software drawing).

    .venv/bin/python benchmarks/views_bench.py                 # 500, 1,500 and 3,000 nodes
    .venv/bin/python benchmarks/views_bench.py --sizes 10000 --limit 10000

Each size is one synthetic community whose compounds carry buildings, a party branch, an owner
committee, a shared property company and three post holders, so the view has the mix of shapes,
tooltips, marks and edges a real one has. Prints a Markdown table (benchmarks/VIEWS.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from graphmodel.graph import GovernanceGraph
from graphmodel.schema import (Building, Community, Compound, OwnerCommittee, PartyOrg, Person,
                               PropertyCompany)
from gridgraph.views import Mark, community_view, render_html

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from browser import missing_chromium, offline_browser  # noqa: E402

BUILDINGS_PER_COMPOUND = 8
NODES_PER_COMPOUND = 1 + BUILDINGS_PER_COMPOUND + 1 + 1 + 3  # + a company per five compounds


def synthetic_community(nodes: int) -> GovernanceGraph:
    """One community of about ``nodes`` nodes (exactly, after the view adds its companies)."""
    graph = GovernanceGraph()
    community = graph.add(Community(id="SQ", name="测试社区"))
    compounds = (nodes - 1) // (NODES_PER_COMPOUND + 0.2)
    made = 1
    company = None
    for number in range(int(compounds)):
        compound = graph.add(Compound(id=f"XQ{number}", name=f"第{number}小区"))
        graph.relate("PART_OF", compound, community)
        if number % 5 == 0:
            company = graph.add(PropertyCompany(id=f"WY{number}", name=f"第{number}物业公司"))
            made += 1
        graph.relate("MANAGES", company, compound, start=dt.date(2024, 1, 1))
        branch = graph.add(PartyOrg(id=f"DZB{number}", name=f"第{number}小区党支部", kind="党支部"))
        graph.relate("BASED_IN", branch, compound)
        committee = graph.add(OwnerCommittee(id=f"YWH{number}", name=f"第{number}小区业委会", kind="业委会"))
        graph.relate("REPRESENTS", committee, compound)
        for building_number in range(BUILDINGS_PER_COMPOUND):
            building = graph.add(Building(id=f"XQ{number}-{building_number}", name=f"{building_number + 1}号楼"))
            graph.relate("PART_OF", building, compound)
        for role_number, (org, role) in enumerate([(branch, "书记"), (committee, "主任"), (branch, "委员")]):
            person = graph.add(Person(id=f"RY{number}-{role_number}", name=f"人员{number}-{role_number}"))
            graph.relate("HOLDS", person, org, role=role)
        graph.relate("HOLDS", ("Person", f"RY{number}-2"), committee, role="委员")
        made += NODES_PER_COMPOUND
    for number in range(nodes - made):  # top up with buildings to hit the size exactly
        building = graph.add(Building(id=f"XQ0-extra{number}", name=f"附{number}号楼"))
        graph.relate("PART_OF", building, ("Compound", "XQ0"))
    return graph


def measure(size: int, limit: int, browser, folder: Path) -> dict:
    graph = synthetic_community(size)
    marks = {("Compound", f"XQ{n}"): [Mark("B3", "无业委会或物管会覆盖率：示例")] for n in range(0, size // 14, 7)}
    started = time.perf_counter()
    view = community_view(graph, "SQ", limit=limit, marks=marks)
    built = time.perf_counter()
    html = render_html(view)
    rendered = time.perf_counter()
    path = folder / f"community-{size}.html"
    path.write_text(html, encoding="utf-8")
    browser.open(path, timeout=600)
    first_draw = browser.first_draw_ms() / 1000
    drawn = browser.drawn_counts()
    assert drawn == (len(view.nodes), len(view.edges)), (drawn, len(view.nodes), len(view.edges))
    assert browser.requests() == []
    fps = browser.zoom_frame_rate(3.0)
    return {"nodes": len(view.nodes), "edges": len(view.edges), "physics": view.physics,
            "build": built - started, "render": rendered - built, "size_mb": len(html.encode()) / 1e6,
            "first_draw": first_draw, "fps": fps}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1500, 3000])
    parser.add_argument("--limit", type=int, default=3000)
    args = parser.parse_args()
    reason = missing_chromium()
    if reason:
        sys.exit(reason)
    print("| nodes | edges | physics | build view (s) | render HTML (s) | file (MB) "
          "| first draw (s) | zoom (frames/s) |")
    print("|---:|---:|:---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder, offline_browser() as browser:
        for size in args.sizes:
            row = measure(size, args.limit, browser, Path(folder))
            print(f"| {row['nodes']:,} | {row['edges']:,} | {'on' if row['physics'] else 'off'} "
                  f"| {row['build']:.2f} | {row['render']:.2f} | {row['size_mb']:.1f} "
                  f"| {row['first_draw']:.2f} | {row['fps']:.0f} |", flush=True)


if __name__ == "__main__":
    main()
