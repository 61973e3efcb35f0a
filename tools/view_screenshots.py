"""Screenshots of the views a planner opens, at 1600×1000 in headless Chromium, into docs/screenshots/.

    .venv/bin/python tools/view_screenshots.py [--out docs/screenshots] [--only community people …]

Draws the county sample (seed 7) as of 2026-06-30: the community view of 371327001001, the people
and hierarchy views of its street, the compare view of community 371327003003 against the next quarter
(``loaders.sample_evolve``, which renames one of its compounds), the overview, and the report page with a timeline over four quarter
ends. Needs Debian's chromium, chromium-driver and fonts-noto-cjk (see tests/browser.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

from gridgraph.report_page import report_page
from gridgraph.views import build_view, compare_view, write_view
from loaders import load_ledgers
from loaders.sample import generate_sample
from loaders.sample_evolve import evolve_sample

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from browser import offline_browser  # noqa: E402

AS_OF = dt.date(2026, 6, 30)
COMMUNITY, STREET, DISTRICT = "371327001001", "371327001", "371327"
RENAMED_IN = "371327003003"  # the evolved quarter renames a compound of this community
SHOTS = ("community", "people", "hierarchy", "street", "compare", "overview", "report")


def make_pages(folder: Path, only: tuple[str, ...] = SHOTS) -> dict[str, Path]:
    """Write each page of ``only`` as HTML under ``folder``; returns ``{shot: html path}``."""
    generate_sample(folder / "ledgers", scale="county", seed=7)
    graph = load_ledgers(folder / "ledgers").graph
    pages = {}
    views = {"community": ("community", COMMUNITY), "people": ("people", STREET),
             "hierarchy": ("hierarchy", STREET), "street": ("street", STREET), "overview": ("overview", DISTRICT)}
    for shot, (kind, area) in views.items():
        if shot in only:
            pages[shot] = write_view(build_view(kind, graph, area, as_of=AS_OF), folder / f"{shot}.html")
    if "compare" in only:
        later = evolve_sample(folder / "later", scale="county", seed=7)
        view = compare_view("community", load_ledgers(folder / "later").graph, graph, RENAMED_IN,
                            as_of=later.as_of_new, as_of_old=AS_OF, old_name="上季度")
        pages["compare"] = write_view(view, folder / "compare.html")
    if "report" in only:
        dates = [dt.date(2025, 9, 30), dt.date(2025, 12, 31), dt.date(2026, 3, 31), AS_OF]
        page = report_page(graph, scope=DISTRICT, as_of=dates, source="示例台账（county, seed 7）")
        pages["report"] = folder / "report.html"
        pages["report"].write_text(page, encoding="utf-8")
    return pages


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs" / "screenshots")
    parser.add_argument("--only", nargs="+", choices=SHOTS, default=list(SHOTS))
    options = parser.parse_args(argv)
    options.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gridgraph-shots-") as folder, \
            offline_browser(width=1600, height=1000) as browser:
        for shot, page in make_pages(Path(folder), tuple(options.only)).items():
            if shot == "report":  # its timeline: the rest of the page is tables
                browser.driver.get(page.resolve().as_uri())
                browser.run("document.getElementById('timeline').scrollIntoView()")
            else:
                browser.open(page)
            print(browser.screenshot(options.out / f"{shot}.png"))


if __name__ == "__main__":
    main()
