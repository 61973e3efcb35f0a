"""docs/definitions.md says what the question records say: its generated blocks are current."""

from pathlib import Path

from queries import QUESTIONS
from queries.definitions import definition_blocks, with_current_blocks

DOC = Path(__file__).resolve().parent.parent / "docs" / "definitions.md"


def test_the_generated_blocks_are_current():
    text = DOC.read_text(encoding="utf-8")
    assert text == with_current_blocks(text), (
        "docs/definitions.md is stale: run `python -m queries.definitions docs/definitions.md`")


def test_every_question_and_reason_is_defined_in_a_block():
    blocks = "".join(definition_blocks().values())
    for question in QUESTIONS.values():
        assert f"| {question.code} |" in blocks or f"**{question.code}**" in blocks
        for reason in question.reasons:
            assert f"`{reason.code}`" in blocks


def test_a_stale_block_is_rewritten():
    stale = "intro\n<!-- questions: cross -->\n- **X5**: old words.\n<!-- questions: end -->\nrest\n"
    fresh = with_current_blocks(stale)
    assert "old words" not in fresh and "N = 3 by default" in fresh and fresh.endswith("end -->\nrest\n")


def test_every_question_names_the_seed_sentence_it_counts():
    """docs/definitions.md says for each question which seed report's sentence it reproduces."""
    seeds = definition_blocks()["seeds"]
    for question in QUESTIONS.values():
        assert question.seed, question.code
        assert f"| {question.code} | {question.title_zh} | {question.seed} |" in seeds
