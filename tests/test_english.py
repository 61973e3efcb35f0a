"""``--lang en`` leaves no Chinese outside data values: every command and format, on the bundled sample.

The Chinese a report may show is what the ledgers hold as names, codes and free text. It is derived
here from the sample's ledgers through their specs: a cell of a text column counts, a cell of an
enum column (a kind, a level, a role the schema knows) does not, since the tool has English words
for it. Any other run of CJK characters in an output is the tool's own Chinese left in.
"""

import csv
import json
import re

import openpyxl
import pytest
from click.testing import CliRunner

from graphmodel.schema import fold_header
from graphmodel.snapshot import load_snapshot
from gridgraph.cli import main
from loaders import load_to_snapshot
from loaders.reading import match_ledger
from loaders.sample import SAMPLE_DATA_DIR
from loaders.specs import column_parser, parse_text

CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+")  # ideographs, CJK and full-width punctuation
AS_OF = ["--as-of", "2026-06-30"]


def _is_data(spec, column, cell: str) -> bool:
    """A ledger cell a report shows as written: free text, or a value an open enum keeps as written."""
    if column is None:  # an extra column, kept as a property
        return True
    parser = column_parser(spec, column)
    if parser is parse_text:
        return True
    try:
        return bool(CJK.search(str(parser(cell))))  # a known kind or role becomes its English code
    except ValueError:
        return False


def ledger_words() -> set[str]:
    words = set()
    for path in SAMPLE_DATA_DIR.glob("*.csv"):
        spec = match_ledger(path.stem)
        header, *rows = csv.reader(path.open(encoding="utf-8-sig"))
        by_header = {fold_header(name): column for column in spec.columns for name in column.headers()}
        columns = [by_header.get(fold_header(name)) for name in header]
        for row in rows:
            for column, cell in zip(columns, row):
                if cell and _is_data(spec, column, cell):
                    words.update(CJK.findall(cell))
    return words


ALLOWED = ledger_words()


def foreign(text: str) -> dict[str, str]:
    """Each run of CJK characters in ``text`` that is no ledger value's, with its surroundings."""
    return {match[0]: text[max(match.start() - 30, 0):match.end() + 30]
            for match in CJK.finditer(text) if match[0] not in ALLOWED}


def _workbook_text(path) -> str:
    workbook = openpyxl.load_workbook(path, read_only=True)
    cells = [str(value) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
             for value in row if value is not None]
    return "\n".join([*workbook.sheetnames, *cells])


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory):
    path = tmp_path_factory.mktemp("english") / "sample.json.gz"
    load_to_snapshot(SAMPLE_DATA_DIR, path)
    return path


COMMANDS = {
    "audit": lambda snapshot: ["audit", "all", snapshot, *AS_OF, "--limit", "0"],
    # Posts taken up and left, blind spots opened and closed, rates moved: the sample two years apart.
    "diff": lambda snapshot: ["diff", snapshot, snapshot, "--as-of-old", "2024-06-30", "--as-of-new", "2026-06-30",
                              "--limit", "0"],
    # A timeline: every rate and count along the dates.
    "timeline": lambda snapshot: ["audit", "all", snapshot, "--as-of", "2024-06-30,2026-06-30"],
}


def test_the_allowed_words_are_data_not_the_tools_own():
    assert {"解放社区", "建设街道", "洙边花园"} <= ALLOWED  # names
    assert not {"党组织", "社区", "书记", "兼职委员", "完全联动"} & ALLOWED  # kinds, levels, roles, statuses
    assert set(foreign("Compound 洙边花园 no party organisation (党组织)")) == {"党组织"}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("fmt", ["table", "csv", "md", "json", "xlsx"])
def test_english_reports_show_no_chinese_of_their_own(snapshot, tmp_path, command, fmt):
    args = [*map(str, COMMANDS[command](snapshot)), "--lang", "en", "--format", fmt]
    if fmt == "xlsx":
        args += ["-o", str(tmp_path / "report.xlsx")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    if fmt == "xlsx":
        text = _workbook_text(tmp_path / "report.xlsx")
    else:
        text = result.stdout
    assert len(text) > 1000  # a whole report, with its lists
    assert foreign(text) == {}


def test_english_stats_show_no_chinese_of_their_own(snapshot):
    result = CliRunner().invoke(main, ["stats", str(snapshot), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert foreign(result.stdout) == {}


@pytest.mark.parametrize("fmt", ["table", "csv", "md"])
def test_the_english_summary_shows_no_chinese_of_its_own(snapshot, fmt):
    result = CliRunner().invoke(main, ["audit", "all", str(snapshot), *AS_OF, "--summary", "--lang", "en",
                                       "--format", fmt])
    assert result.exit_code == 0, result.output
    assert "C16" in result.stdout and "S1" in result.stdout
    assert foreign(result.stdout) == {}


def test_the_english_report_page_shows_no_chinese_of_its_own(snapshot, tmp_path):
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", str(snapshot), "--as-of", "2026-03-31,2026-06-30", "--lang", "en",
                                       "--no-views", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "<h2>Blind spots</h2>" in page and "Rates along the dates" in page
    assert foreign(page) == {}


def _keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in _keys(item)}
    return {key for item in value for key in _keys(item)} if isinstance(value, list) else set()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_json_results_fields_name_their_language(snapshot, lang):
    """A result's own words are written under the key of the language asked for: ``title_en``,
    ``reason_en`` … with ``--lang en``, ``title_zh``, ``reason_zh`` … with zh."""
    result = CliRunner().invoke(main, ["audit", "C16,X1,X2,X4,B5,R1", str(snapshot), *AS_OF, "--lang", lang,
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    keys = _keys([entry["result"] for entry in document["results"]])
    other = "zh" if lang == "en" else "en"
    assert {f"title_{lang}", f"grid_type_{lang}", f"reason_{lang}", f"role_{lang}", f"proposal_{lang}",
            f"committee_role_{lang}"} <= keys
    if lang == "en":
        assert not {key for key in keys if key.endswith(f"_{other}")}
        c16 = next(entry["result"] for entry in document["results"] if entry["code"] == "C16")
        assert {rate["grid_type_en"] for rate in c16["types"]} >= {"comprehensive", "law enforcement"}
    else:  # as before: the Chinese, and beside it what a result has in English of its own
        assert "title_en" in keys and "grid_type_en" not in keys


# -- views: every kind, a comparison, and the report's ----------------------------------------------
def _vis_network_library() -> str:
    """The vis-network script pyvis inlines into every view: its own locales (中文 among them) are
    not the tool's words."""
    import importlib.util
    from pathlib import Path

    templates = Path(importlib.util.find_spec("pyvis").origin).parent / "templates"
    return (templates / "lib" / "vis-9.1.2" / "vis-network.min.js").read_text(encoding="utf-8")


def _view_text(path) -> str:
    page = path.read_text(encoding="utf-8")
    library = _vis_network_library()
    assert library in page  # what is left out is exactly the library
    return page.replace(library, "")


@pytest.fixture(scope="module")
def areas(snapshot):
    graph = load_snapshot(snapshot)
    return {label: next(key for key, _ in graph.nodes(label))[1] for label in ("District", "Street", "Community")}


VIEWS = {"community": "Community", "street": "Street", "hierarchy": "Street", "people": "Street", "overview": "District"}


@pytest.mark.parametrize("kind", [*VIEWS, "compare"])
def test_english_views_show_no_chinese_of_their_own(snapshot, areas, tmp_path, kind):
    out = tmp_path / f"{kind}.html"
    args = (["community", areas["Community"], str(snapshot), "--compare", str(snapshot), "--as-of-old", "2024-06-30"]
            if kind == "compare" else [kind, areas[VIEWS[kind]], str(snapshot)])
    result = CliRunner().invoke(main, ["view", *args, *AS_OF, "--lang", "en", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = _view_text(out)
    assert '<html lang="en">' in text and "Line colours:" in text or kind == "overview"
    assert foreign(text) == {}
    if kind == "compare":
        assert "Compared with" in text and "formerly" not in foreign(text)
    chinese = CliRunner().invoke(main, ["view", *args, *AS_OF, "-o", str(tmp_path / "zh.html")])
    assert chinese.exit_code == 0 and '<html lang="zh-CN">' in (tmp_path / "zh.html").read_text(encoding="utf-8")


def test_the_english_reports_views_show_no_chinese_of_their_own(snapshot, areas, tmp_path):
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", str(snapshot), "--scope", areas["Street"], *AS_OF, "--lang", "en",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    views = sorted(tmp_path.glob("report-*.html"))
    assert [path.stem for path in views] == ["report-hierarchy", "report-overview", "report-people", "report-street"]
    for path in views:
        assert foreign(_view_text(path)) == {}, path.name


# -- validate: a ledger folder with errors ------------------------------------------------------------
def _broken_sample(folder):
    """The bundled sample with a bad reference, a bad count, a day that does not exist, a date
    without separators, an Excel serial, a misspelt required header and its footers as they are."""
    import shutil

    shutil.copytree(SAMPLE_DATA_DIR, folder)

    def edit(name, change):
        path = folder / name
        rows = list(csv.reader(path.open(encoding="utf-8-sig")))
        change(rows[0], rows)
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)

    def compounds(header, rows):
        rows[1][header.index("所属社区编码")], rows[2][header.index("户数")] = "C9", "很多"

    def posts(header, rows):
        start = header.index("任职开始")
        rows[1][start], rows[2][start], rows[3][start] = "2024-02-30", "20240301", "45474"

    def grids(header, rows):
        header[header.index("所属社区编码")] = "所在社区"  # did you mean 所属社区编码?

    edit("小区.csv", compounds)
    edit("任职.csv", posts)
    edit("网格.csv", grids)
    return folder


def _folder_words(folder) -> set[str]:
    """What a validate line may quote of the ledgers: file names, headers and cells, as written."""
    words = set()
    for path in folder.iterdir():
        words.update(CJK.findall(path.name))
        if path.suffix == ".csv":
            words.update(CJK.findall(path.read_text(encoding="utf-8-sig")))
    return words


def test_english_validate_shows_no_chinese_of_its_own(tmp_path):
    folder = _broken_sample(tmp_path / "ledgers")
    out = tmp_path / "problems.xlsx"
    result = CliRunner().invoke(main, ["validate", str(folder), "--lang", "en", "-o", str(out)])
    assert result.exit_code == 1, result.output
    text = result.stdout + result.stderr
    # each kind of problem is there, in English
    for said in ("unknown reference", "expected a whole number", "no such day", "a date without separators",
                 "is an Excel date serial", "did you mean 所属社区编码?", "a footer note under the table",
                 "relationships of", "problems in"):
        assert said in text, said
    allowed = _folder_words(folder)
    assert {run for run in CJK.findall(text) if run not in allowed} == set(), text
    workbook = _workbook_text(out)
    assert {run for run in CJK.findall(workbook) if run not in allowed} == set()


def test_validate_in_chinese_shows_no_english_reasons(tmp_path):
    folder = _broken_sample(tmp_path / "ledgers")
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 1
    assert "引用的社区不存在" in result.stdout and "是否应为 所属社区编码?" in result.stdout
    assert "unknown reference" not in result.output and "did you mean" not in result.output
    assert "表尾备注, 不是台账行, 已跳过" in result.stderr and "footer" not in result.stderr


def test_an_english_views_refusal_shows_no_chinese_of_its_own(snapshot):
    result = CliRunner().invoke(main, ["view", "community", "NOPE", str(snapshot), "--lang", "en"])
    assert result.exit_code == 1
    assert "no Community with id 'NOPE'" in result.stderr and foreign(result.stderr) == {}


@pytest.mark.parametrize("fmt", ["table", "csv", "md", "json", "xlsx"])
def test_english_targets_show_no_chinese_of_their_own(snapshot, areas, tmp_path, fmt):
    targets = tmp_path / "targets.csv"
    targets.write_text(f"指标,区域编码,目标,期限\nC1,,95%,2026-12-31\nC3,{areas['Street']},80%,2026-03-31\n"
                       "X2,,50%,2027-06-30\nC18,,85%,2026-06-30\n", encoding="utf-8")
    args = ["targets", str(targets), str(snapshot), "--as-of", "2026-03-31,2026-06-30", "--lang", "en", "--format", fmt]
    if fmt == "xlsx":
        args += ["-o", str(tmp_path / "targets.xlsx")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    text = _workbook_text(tmp_path / "targets.xlsx") if fmt == "xlsx" else result.stdout
    assert "Compounds with a party organisation" in text and "compounds" in text
    assert foreign(text) == {}


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_an_english_dossier_shows_no_chinese_of_its_own(snapshot, tmp_path, fmt):
    compounds = sorted(key[1] for key, _ in load_snapshot(snapshot).nodes("Compound"))
    for compound in compounds[:3]:  # with party organisations, post holders, gaps and candidates
        out = tmp_path / f"{compound}.{fmt}"
        result = CliRunner().invoke(main, ["dossier", compound, str(snapshot), *AS_OF, "--lang", "en", "-o", str(out)])
        assert result.exit_code == 0, result.output
        text = out.read_text(encoding="utf-8")
        assert "Candidates" in text or compound != compounds[0]
        assert foreign(text) == {}, compound
