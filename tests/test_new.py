"""`bmnav new`: a guided prompt (or a profile) that writes a case valid on its first save."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bmnav.checking.problems import BmnavError
from bmnav.checking.validation import validate
from bmnav.domain.newcase import InvalidAnswer, Question, parse_answer, write_case
from bmnav.storage.corpus import load_corpus

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "examples" / "acme-profile.yaml"
MODELINE = "# yaml-language-server: $schema="

#: Answers to every question of a case from scratch, in the order asked (one per line).
GUIDED = [
    "Acme Pumping",  # name
    "",  # id: take the proposal acme-pumping
    "Acme Pumpen GmbH",  # company
    "de",  # country (upper-cased)
    "sme",  # size
    "Industrial pumps",  # industry
    "skip",  # year
    "Acme sells pumping instead of pumps.",  # summary
    "Interview with Acme, 2024",  # source title
    "not a url",  # source url: invalid, asked again
    "https://example.com/acme",  # source url
    "Water utilities",  # who
    "Pumping, billed per cubic metre",  # what
    "",  # how
    "",  # value
    "what, how, value",  # changes
    "closed",  # access
    "pay-per-use, service-fee",  # revenue
    "provider",  # ownership
    "none",  # customer involvement
    "bilateral",  # data sharing
    "cps, cloud",  # technologies
    "pay-per-use",  # patterns
    "acme",  # focal role id
    "Pump maker and service provider",  # its name
    "service-provider",  # its type
    "",  # actor: take the company
    "plants",  # another role
    "Water utilities",  # name
    "product-user",  # type
    "",  # actor
    "",  # external: yes
    "40",  # count
    "",  # no more roles
    "acme",  # flow from
    "plants",  # to
    "usage-right",  # kind
    "Installed pumps",  # what
    "plants",  # flow from
    "acme",  # to
    "money",  # kind
    "Fee per cubic metre",  # what
    "",  # no more flows
    "marketplce",  # cluster, asked last: invalid, asked again
    "as-a-service",  # cluster
    "",  # also
]


def answers(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A small corpus of its own (one case), so that writes into it stay in the test."""
    root = tmp_path / "corpus"
    (root / "usecases").mkdir(parents=True)
    shutil.copy(ROOT / "data" / "usecases" / "tire-as-a-service.yaml", root / "usecases")
    return root


def test_guided_prompt_writes_a_valid_case_with_modeline(run_cli, tmp_path):
    result = run_cli("new", cwd=tmp_path, input=answers(GUIDED))
    assert result.exit_code == 0, result
    written = tmp_path / "acme-pumping.yaml"
    text = written.read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith(MODELINE)
    assert text.splitlines()[0].endswith("schemas/usecase.schema.json")
    ref = text.splitlines()[0][len(MODELINE) :]
    assert (tmp_path / ref).resolve() == (ROOT / "schemas" / "usecase.schema.json").resolve()
    # invalid answers were asked again, with what is allowed
    assert 'did you mean "marketplace"' in result.stderr
    assert "is not a URL" in result.stderr
    report = validate([written])
    assert report.exit_code() == 0, report.problems
    import yaml

    data = yaml.safe_load(text)
    assert data["id"] == "acme-pumping"
    assert data["country"] == "DE"
    assert data["cluster"] == "as-a-service"
    assert "year" not in data  # skipped
    assert data["changes"] == {"who": False, "what": True, "how": True, "value": True}
    assert data["offering"]["revenue"] == ["pay-per-use", "service-fee"]
    assert data["network"]["roles"][0] == {
        "id": "acme",
        "name": "Pump maker and service provider",
        "type": "service-provider",
        "actor": "Acme Pumpen GmbH",
        "external": False,
    }
    assert data["network"]["roles"][1]["count"] == 40
    assert [f["kind"] for f in data["network"]["flows"]] == ["usage-right", "money"]
    assert "wrote acme-pumping.yaml" in result.stderr
    assert "wrote" not in result.stdout  # messages go to stderr (CliRunner echoes the input on stdout)


def test_id_argument_is_not_asked(run_cli, tmp_path):
    lines = [GUIDED[0], *GUIDED[2:]]
    result = run_cli("new", "acme-two", cwd=tmp_path, input=answers(lines))
    assert result.exit_code == 0, result
    assert (tmp_path / "acme-two.yaml").is_file()


def test_from_profile_yes_proposes_the_classifiers_cluster(run_cli, tmp_path):
    result = run_cli("new", "--from-profile", str(PROFILE), "--yes", "--format", "json", cwd=tmp_path)
    assert result.exit_code == 0, result
    out = json.loads(result.stdout)
    assert set(out) == {"path", "id", "cluster", "warnings"}
    assert out["id"] == "acme-pumps"
    assert out["cluster"] == "as-a-service"
    assert out["path"] == "acme-pumps.yaml"
    assert "the classifier proposes as-a-service" in result.stderr
    written = tmp_path / "acme-pumps.yaml"
    assert written.read_text(encoding="utf-8").startswith(MODELINE)
    assert validate([written]).exit_code() == 0
    import yaml

    data = yaml.safe_load(written.read_text(encoding="utf-8"))
    # the profile's facts are kept
    assert data["offering"]["revenue"] == ["pay-per-use", "service-fee"]
    assert len(data["network"]["flows"]) == 7


def test_from_profile_asks_for_the_cluster_with_a_default(run_cli, tmp_path):
    # the profile lacks only `sources` and `cluster`; Enter takes the proposals
    result = run_cli("new", "--from-profile", str(PROFILE), cwd=tmp_path, input="My notes\n\ndata-trustee\n\n")
    assert result.exit_code == 0, result
    assert "[as-a-service]" in result.stderr  # the proposal is shown
    import yaml

    data = yaml.safe_load((tmp_path / "acme-pumps.yaml").read_text(encoding="utf-8"))
    assert data["cluster"] == "data-trustee"
    assert data["sources"] == [{"title": "My notes"}]


def test_never_overwrites_without_force(run_cli, tmp_path):
    target = tmp_path / "acme-pumps.yaml"
    target.write_text("keep me\n", encoding="utf-8")
    result = run_cli("new", "--from-profile", str(PROFILE), "--yes", cwd=tmp_path)
    assert result.exit_code == 1, result
    assert "already exists; use --force" in result.stderr
    assert target.read_text(encoding="utf-8") == "keep me\n"
    result = run_cli("new", "--from-profile", str(PROFILE), "--yes", "--force", cwd=tmp_path)
    assert result.exit_code == 0, result
    assert target.read_text(encoding="utf-8").startswith(MODELINE)


def test_output_refused_before_any_question(run_cli, tmp_path):
    (tmp_path / "x.yaml").write_text("keep\n", encoding="utf-8")
    result = run_cli("new", "--output", str(tmp_path / "x.yaml"), cwd=tmp_path, input="")
    assert result.exit_code == 1, result
    assert "already exists" in result.stderr
    assert "Name of the use case" not in result.stderr


def test_output_name_must_match_the_id(run_cli, tmp_path):
    result = run_cli("new", "acme", "--output", "other.yaml", cwd=tmp_path)
    assert result.exit_code == 2, result
    assert "must be named acme.yaml" in result.stderr


def test_invalid_id_argument_is_a_usage_error(run_cli, tmp_path):
    result = run_cli("new", "Acme Pumps", cwd=tmp_path)
    assert result.exit_code == 2, result
    assert "acme-pumps" in result.stderr  # the suggestion


def test_output_name_and_the_profile_id_must_agree(run_cli, tmp_path):
    out = tmp_path / "sub"
    out.mkdir()
    result = run_cli("new", "--from-profile", str(PROFILE), "--yes", "-o", str(out / "acme-case.yaml"), cwd=tmp_path)
    # the profile's id (acme-pumps) is kept and differs from the file name: not written
    assert result.exit_code == 1, result
    assert "id-matches-filename" in result.stderr
    assert "not written" in result.stderr
    assert not (out / "acme-case.yaml").exists()
    result = run_cli(
        "new", "acme-case", "--from-profile", str(PROFILE), "--yes", "-o", str(out / "acme-case.yaml"), cwd=tmp_path
    )
    assert result.exit_code == 0, result
    first = (out / "acme-case.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first.endswith("../../schemas/usecase.schema.json") or first.startswith(MODELINE)


def test_default_is_the_current_folder_not_the_corpus(run_cli, tmp_path, corpus_dir):
    before = sorted(p.name for p in (corpus_dir / "usecases").iterdir())
    work = tmp_path / "work"
    work.mkdir()
    result = run_cli("new", "--from-profile", str(PROFILE), "--yes", "--data", str(corpus_dir), cwd=work)
    assert result.exit_code == 0, result
    assert (work / "acme-pumps.yaml").is_file()
    assert sorted(p.name for p in (corpus_dir / "usecases").iterdir()) == before


def test_into_corpus(run_cli, tmp_path, corpus_dir):
    result = run_cli(
        "new", "--from-profile", str(PROFILE), "--yes", "--into-corpus", "--data", str(corpus_dir), cwd=tmp_path
    )
    assert result.exit_code == 0, result
    written = corpus_dir / "usecases" / "acme-pumps.yaml"
    assert written.is_file()
    assert validate(data=corpus_dir).exit_code() == 0
    assert len(load_corpus(corpus_dir)) == 2


def test_into_corpus_reasks_an_id_already_used(run_cli, tmp_path, corpus_dir):
    lines = [GUIDED[0], "tire-as-a-service", "acme-pumping", *GUIDED[2:]]
    result = run_cli("new", "--into-corpus", "--data", str(corpus_dir), cwd=tmp_path, input=answers(lines))
    assert result.exit_code == 0, result
    assert 'already has a case "tire-as-a-service"' in result.stderr
    assert (corpus_dir / "usecases" / "acme-pumping.yaml").is_file()


def test_yes_without_an_answer_fails(run_cli, tmp_path):
    result = run_cli("new", "--yes", cwd=tmp_path)
    assert result.exit_code == 1, result
    assert '--yes: no answer for "name"' in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_input_ending_before_any_answer_writes_nothing(run_cli, tmp_path):
    result = run_cli("new", cwd=tmp_path, input="")
    assert result.exit_code == 1, result
    assert "nothing to save" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_profile_with_errors(run_cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\nname: Bad\noffering: {access: sometimes}\n", encoding="utf-8")
    result = run_cli("new", "--from-profile", str(bad), "--yes", cwd=tmp_path)
    assert result.exit_code == 1, result
    assert "bad.yaml:3" in result.stderr


def test_write_case_refuses_an_invalid_case(tmp_path):
    vocab = load_corpus().vocab
    with pytest.raises(BmnavError) as info:
        write_case({"id": "x", "name": "X"}, tmp_path / "x.yaml", vocab=vocab)
    assert "not written" in info.value.message
    assert "required-field" in {p.rule for p in info.value.problems}
    assert not (tmp_path / "x.yaml").exists()


@pytest.mark.parametrize(
    ("question", "raw", "expected"),
    [
        (Question("c", "Country", "country", required=True), " fr ", "FR"),
        (Question("y", "Year", "year"), "2021", 2021),
        (Question("y", "Year", "year"), "skip", None),
        (Question("y", "Year", "year"), "", None),
        (Question("n", "Count", "count", default="1"), "", 1),
        (Question("b", "External", "bool", default="yes"), "no", False),
        (Question("r", "Revenue", choices=("a-b", "c"), multiple=True), "a-b; c, a-b", ["a-b", "c"]),
        (Question("r", "Revenue", choices=("a-b", "c"), multiple=True), "a-b c", ["a-b", "c"]),
        (Question("k", "Cluster", choices=("x-y",), aliases=(("The X", "x-y"),)), "the x", "x-y"),
    ],
)
def test_parse_answer(question, raw, expected):
    assert parse_answer(question, raw) == expected


@pytest.mark.parametrize(
    ("question", "raw", "message"),
    [
        (Question("c", "Country", "country", required=True), "Germany", "ISO 3166-1"),
        (Question("c", "Country", "country", required=True), "", "an answer is needed"),
        (Question("i", "Id", "slug", required=True), "Acme Pumps", '"acme-pumps"'),
        (Question("k", "Kind", choices=("goods", "money")), "good", 'did you mean "goods"'),
        (Question("k", "Kind", choices=("goods", "money")), "?", "allowed: goods, money"),
    ],
)
def test_parse_answer_refuses(question, raw, message):
    with pytest.raises(InvalidAnswer) as info:
        parse_answer(question, raw)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("saved", "expected"),
    [
        ("corpus/usecase.schema.json", "../usecase.schema.json"),
        ("corpus/schemas/usecase.schema.json", "../schemas/usecase.schema.json"),
        ("corpus/usecases/usecase.schema.json", "usecase.schema.json"),
    ],
)
def test_modeline_points_at_a_schema_saved_beside_the_cases(run_cli, tmp_path, saved, expected):
    """A saved schema moves with the corpus; the installed package's path would not."""
    schema = tmp_path / saved
    schema.parent.mkdir(parents=True, exist_ok=True)
    schema.write_text(run_cli("schema").stdout, encoding="utf-8")
    (tmp_path / "corpus" / "usecases").mkdir(parents=True, exist_ok=True)
    out = tmp_path / "corpus" / "usecases" / "acme-pumps.yaml"
    r = run_cli("new", "--from-profile", str(ROOT / "examples" / "acme-profile.yaml"), "--yes", "--output", str(out))
    assert r.exit_code == 0, r
    assert out.read_text(encoding="utf-8").splitlines()[0] == MODELINE + expected


def test_modeline_without_a_saved_schema_points_into_the_installation(tmp_path):
    from bmnav.domain.newcase import schema_ref
    from bmnav.storage.resources import schema_path

    ref = schema_ref(tmp_path)
    assert (tmp_path / ref).resolve() == schema_path("usecase").resolve()


def test_a_saved_profile_prefers_the_profile_schema(run_cli, tmp_path):
    (tmp_path / "profile.schema.json").write_text(run_cli("schema", "profile").stdout, encoding="utf-8")
    (tmp_path / "usecase.schema.json").write_text(run_cli("schema").stdout, encoding="utf-8")
    from bmnav.domain.questionnaire import save_profile

    (tmp_path / "clients").mkdir()
    written = save_profile({"id": "client", "name": "Client"}, tmp_path / "clients" / "client.yaml")
    assert written.read_text(encoding="utf-8").splitlines()[0] == MODELINE + "../profile.schema.json"


# ------------------------------------------------------------------ issue 16: the consultant's interview


def _flat(text: str) -> str:
    """Output with its line wrapping undone (the console wraps long meanings)."""
    return " ".join(text.split())


def _guided(changes: dict[str, list[str]]) -> list[str]:
    """GUIDED with some answers replaced by several lines, each found by its (first) text."""
    lines = list(GUIDED)
    for old, new in changes.items():
        index = lines.index(old)
        lines[index : index + 1] = new
    return lines


def test_facts_come_first_and_the_cluster_proposed_is_the_classifiers(run_cli, tmp_path):
    from bmnav.classifying.classifier import classify
    from bmnav.domain.model import Case

    lines = [*GUIDED[:-3], "", ""]  # Enter at the cluster and the further clusters: take the proposals
    result = run_cli("new", cwd=tmp_path, input=answers(lines))
    assert result.exit_code == 0, result
    err = result.stderr
    cluster_at = err.index("Cluster (id or name)")
    for fact in ("Company size", "Which of the four changed", "How does it earn money", "A flow: from -> to"):
        assert err.index(fact) < cluster_at, fact
    import yaml

    data = yaml.safe_load((tmp_path / "acme-pumping.yaml").read_text(encoding="utf-8"))
    facts = {k: v for k, v in data.items() if k not in ("cluster", "also")}
    expected = classify(Case(facts), load_corpus(None))
    assert data["cluster"] == expected.cluster
    assert data.get("also", []) == expected.also
    assert (
        f"proposes {expected.cluster} (score {expected.ranking[0].score:.2f}, confidence {expected.confidence}" in err
    )
    assert f"[{expected.cluster}]" in err  # the default shown at the prompt


def test_too_few_facts_propose_no_cluster():
    from bmnav.domain.newcase import interview, propose_cluster

    corpus = load_corpus(None)
    assert propose_cluster({"id": "x", "name": "X"}, corpus) == (
        {},
        "The answers so far are too few to propose a cluster; choose one (? explains them).",
    )
    asked: list[Question] = []
    answers_ = iter(["efficiency", ""])

    def ask(q: Question) -> str:
        asked.append(q)
        return next(answers_)

    start = {"id": "x", "name": "X", "company": "X", "country": "DE", "company_size": "sme", "summary": "S."}
    start["sources"] = [{"title": "t"}]
    case = interview(
        ask, vocab=corpus.vocab, start=start, full=False, propose=lambda d: propose_cluster({"name": "X"}, corpus)
    )
    assert [q.key for q in asked] == ["cluster", "also"]
    assert asked[0].default is None  # no proposal: the user chooses
    assert case["cluster"] == "efficiency"


def test_question_mark_explains_values_with_the_meanings_from_data(run_cli, tmp_path):
    from bmnav.domain.labels import labels_for

    labels = labels_for()
    lines = _guided({"sme": ["?", "sme"], "closed": ["?", "closed"]})  # company size, access
    result = run_cli("new", cwd=tmp_path, input=answers(lines))
    assert result.exit_code == 0, result
    err = _flat(result.stderr)
    for fact, value in (("company_size", "sme"), ("company_size", "large"), ("offering.access", "open")):
        meaning = labels.meaning(fact, value)
        assert meaning, (fact, value)
        assert f"{value}: {meaning}" in err
    assert "fewer than 250 staff" in err  # the EU definition of an SME


def test_meanings_in_data_are_the_meanings_of_docs_format():
    """`?` says what docs/format.md says: every value table there equals the data's meanings."""
    import re

    from bmnav.domain.labels import labels_for

    doc = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    meanings = labels_for().meanings
    keys = {
        "company_size": "company_size",
        "offering.access": "offering.access",
        "offering.revenue": "offering.revenue",
        "offering.ownership": "offering.ownership",
        "offering.customer_involvement": "offering.customer_involvement",
        "offering.data_sharing": "offering.data_sharing",
        "technologies": "technologies",
        "network.flows[].kind": "network.flows.kind",
    }
    for head, key in keys.items():
        section = re.search(r"^### `" + re.escape(head) + r"`\n(.*?)(?=^#)", doc, re.S | re.M)
        assert section, head
        table = dict(re.findall(r"^\| `([^`]+)` \| (.*) \|$", section.group(1), re.M))
        assert table == meanings[key], head


def test_a_bad_list_item_is_asked_again_alone(run_cli, tmp_path):
    lines = _guided({"pay-per-use, service-fee": ["pay-per-use, nonsense, service-fee", "leasing"]})
    result = run_cli("new", cwd=tmp_path, input=answers(lines))
    assert result.exit_code == 0, result
    assert result.stderr.count("How does it earn money") == 1  # the list is not asked again
    assert 'Instead of "nonsense"' in result.stderr
    import yaml

    data = yaml.safe_load((tmp_path / "acme-pumping.yaml").read_text(encoding="utf-8"))
    assert data["offering"]["revenue"] == ["pay-per-use", "leasing", "service-fee"]


def test_a_bad_list_item_dropped_with_enter(run_cli, tmp_path):
    lines = _guided({"cps, cloud": ["cps, quantum, cloud", ""]})  # technologies
    result = run_cli("new", cwd=tmp_path, input=answers(lines))
    assert result.exit_code == 0, result
    import yaml

    data = yaml.safe_load((tmp_path / "acme-pumping.yaml").read_text(encoding="utf-8"))
    assert data["technologies"] == ["cps", "cloud"]
    assert 'Instead of "quantum"' in result.stderr


def test_input_ending_mid_interview_saves_a_draft(run_cli, tmp_path):
    lines = GUIDED[: GUIDED.index("closed") + 1]  # up to the access question, then Ctrl-D
    result = run_cli("new", cwd=tmp_path, input=answers(lines))
    assert result.exit_code == 1, result
    draft = tmp_path / "acme-pumping.draft.yaml"
    assert "the answers so far are saved in acme-pumping.draft.yaml" in _flat(result.stderr)
    assert not (tmp_path / "acme-pumping.yaml").exists()
    import yaml

    data = yaml.safe_load(draft.read_text(encoding="utf-8"))
    assert data["company"] == "Acme Pumpen GmbH"
    assert data["offering"] == {"access": "closed"}
    assert "cluster" not in data

    # a second stop does not overwrite the draft without --force
    draft.write_text("# my edits\n", encoding="utf-8")
    again = run_cli("new", cwd=tmp_path, input=answers(lines))
    assert again.exit_code == 1, again
    assert "not saved" in again.stderr and "--force" in again.stderr
    assert draft.read_text(encoding="utf-8") == "# my edits\n"
    forced = run_cli("new", "--force", cwd=tmp_path, input=answers(lines))
    assert forced.exit_code == 1, forced
    assert "Acme Pumpen GmbH" in draft.read_text(encoding="utf-8")


def test_interrupt_in_the_library_carries_the_answers():
    from bmnav.domain.newcase import InterviewStopped, interview

    given = iter(["Acme Pumping", "acme-pumping"])

    def ask(q: Question) -> str:
        try:
            return next(given)
        except StopIteration:
            raise KeyboardInterrupt from None

    with pytest.raises(InterviewStopped) as stopped:
        interview(ask, vocab=load_corpus(None).vocab)
    assert stopped.value.data == {"id": "acme-pumping", "name": "Acme Pumping"}


def test_a_compact_flow_line_gives_the_same_flow_as_the_long_form(run_cli, tmp_path):
    import yaml

    long_form = run_cli("new", cwd=tmp_path, input=answers(GUIDED))
    assert long_form.exit_code == 0, long_form
    start = GUIDED.index("acme", GUIDED.index("40"))  # the first flow's "from"
    compact = [
        *GUIDED[:start],
        "acme -> plants : usage-right : Installed pumps",
        "plants->acme:money:Fee per cubic metre",
        *GUIDED[start + 8 :],
    ]
    (tmp_path / "c").mkdir()
    short = run_cli("new", cwd=tmp_path / "c", input=answers(compact))
    assert short.exit_code == 0, short
    flows = [
        yaml.safe_load(p.read_text(encoding="utf-8"))["network"]["flows"]
        for p in (tmp_path / "acme-pumping.yaml", tmp_path / "c" / "acme-pumping.yaml")
    ]
    assert (
        flows[0]
        == flows[1]
        == [
            {"from": "acme", "to": "plants", "kind": "usage-right", "what": "Installed pumps"},
            {"from": "plants", "to": "acme", "kind": "money", "what": "Fee per cubic metre"},
        ]
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("acme -> nobody : money", '"nobody" is not allowed here'),
        ("acme -> plants : cash", '"cash" is not allowed here'),
        ("acme -> plants", "write it as: from -> to : kind : what"),
    ],
)
def test_a_bad_compact_flow_line_says_why(line, message):
    from bmnav.domain.newcase import parse_flow_line

    with pytest.raises(InvalidAnswer, match=message):
        parse_flow_line(line, ("acme", "plants"))
