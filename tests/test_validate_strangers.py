"""Issue 16 (maintainer): a collection that strangers contribute to.

`validate --data .` covers the same files as `validate usecases/`, and the
messages tell a newcomer what to write instead.
"""

from __future__ import annotations

from pathlib import Path

from test_validate import case, parsable, write

MINIMAL = Path(__file__).parent / "cases" / "valid" / "minimal-marketplace.yaml"


def _collection(tmp_path: Path) -> Path:
    write(tmp_path, "usecases/x.yaml")
    write(tmp_path, "usecases/contrib/x.yaml")  # a contributed duplicate in a subfolder
    write(tmp_path, "usecases/contrib/y.yaml")
    return tmp_path


def test_validate_data_looks_into_subfolders_of_usecases(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = _collection(tmp_path)
    by_data = run_cli("validate", "-f", "parsable", "--data", ".", cwd=folder)
    by_folder = run_cli("validate", "-f", "parsable", "usecases/", cwd=folder)
    assert by_data.exit_code == by_folder.exit_code == 1, (by_data, by_folder)
    assert parsable(by_data) == [("usecases/contrib/x.yaml", 2, "id-unique")], by_data
    assert parsable(by_folder) == [("usecases/contrib/x.yaml", 2, "id-unique")], by_folder


def test_json_lists_the_same_files_both_ways(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import json

    folder = _collection(tmp_path)
    by_data = json.loads(run_cli("validate", "-f", "json", "--data", ".", cwd=folder).stdout)
    by_folder = json.loads(run_cli("validate", "-f", "json", "usecases", cwd=folder).stdout)
    cases = sorted(f["path"] for f in by_data["files"] if f["path"].startswith("usecases"))
    assert cases == ["usecases/contrib/x.yaml", "usecases/contrib/y.yaml", "usecases/x.yaml"], by_data
    assert cases == sorted(f["path"] for f in by_folder["files"]), by_folder


def test_the_corpus_reads_cases_in_subfolders(tmp_path: Path) -> None:
    from bmnav.storage.corpus import load_corpus

    write(tmp_path, "usecases/x.yaml")
    write(tmp_path, "usecases/contrib/y.yaml")
    write(tmp_path, "usecases/.hidden/z.yaml")
    assert sorted(load_corpus(tmp_path).cases) == ["x", "y"]


def test_a_duplicate_id_is_reported_on_the_new_file_not_the_existing_one(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # the newcomer sorts first, but the existing file is the one named after the id
    write(tmp_path, "usecases/zeta.yaml")
    write(tmp_path, "usecases/acme.yaml", case("zeta"))
    result = run_cli("validate", "-f", "parsable", "--data", ".", cwd=tmp_path)
    assert result.exit_code == 1, result
    assert parsable(result) == [
        ("usecases/acme.yaml", 2, "id-matches-filename"),
        ("usecases/acme.yaml", 2, "id-unique"),
    ], result
    assert 'id "zeta" is already used by usecases/zeta.yaml' in result.stdout


def test_the_corpus_keeps_the_existing_case_of_a_duplicate_id(tmp_path: Path) -> None:
    from bmnav.storage.corpus import load_corpus

    write(tmp_path, "usecases/zeta.yaml")
    write(tmp_path, "usecases/contrib/zeta.yaml", case("zeta", **{"name: Parts marketplace": "name: Copy"}))
    corpus = load_corpus(tmp_path)
    assert corpus.cases["zeta"].path == str(tmp_path / "usecases" / "zeta.yaml")
    assert [(Path(p.path).relative_to(tmp_path).as_posix(), p.rule) for p in corpus.errors] == [
        ("usecases/contrib/zeta.yaml", "id-unique")
    ]


def test_an_unknown_role_type_gets_a_suggestion_from_the_aliases_and_the_list(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write(tmp_path, "x.yaml", case("x", **{"type: supplier": "type: bank"}))
    result = run_cli("validate", "-f", "parsable", "x.yaml", cwd=tmp_path)
    assert (result.exit_code, parsable(result)) == (1, [("x.yaml", 23, "role-type-unknown")]), result
    assert 'unknown role type "bank" (did you mean "finance-company"?); use one of: product-user,' in result.stdout
    assert "finance-company" in result.stdout.split("use one of:")[1]


def test_a_misspelt_role_type_still_gets_the_closest_id(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write(tmp_path, "x.yaml", case("x", **{"type: supplier": "type: suplier"}))
    result = run_cli("validate", "-f", "parsable", "x.yaml", cwd=tmp_path)
    assert '(did you mean "supplier"?)' in result.stdout, result


def test_sources_as_a_text_gets_an_example_of_the_list(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = case("x").replace(
        "sources:\n  - title: Value Networks as the Foundation for Digital Business Models (2020), §2.3\n",
        "sources: Annual report 2020\n",
    )
    write(tmp_path, "x.yaml", text)
    result = run_cli("validate", "-f", "parsable", "x.yaml", cwd=tmp_path)
    assert (result.exit_code, parsable(result)) == (1, [("x.yaml", 9, "wrong-type")]), result
    assert (
        "sources: expected a list, got a text; write it as a list of mappings, one item per line under "
        "`sources:`, such as `- title: Annual report 2020` (each item needs `title`)"
    ) in result.stdout


def test_a_list_of_texts_as_a_text_gets_an_example(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write(tmp_path, "x.yaml", case("x", **{"cluster: marketplace": "cluster: marketplace\ntechnologies: cloud"}))
    result = run_cli("validate", "-f", "parsable", "x.yaml", cwd=tmp_path)
    assert parsable(result) == [("x.yaml", 8, "wrong-type")], result
    assert "such as `- cloud`, or as `technologies: [cloud]`" in result.stdout


def test_a_cluster_name_instead_of_its_id_is_one_error(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write(tmp_path, "x.yaml", case("x", **{"cluster: marketplace": "cluster: As a service"}))
    result = run_cli("validate", "-f", "parsable", "x.yaml", cwd=tmp_path)
    assert (result.exit_code, parsable(result)) == (1, [("x.yaml", 7, "cluster-unknown")]), result
    assert '(did you mean "as-a-service"?)' in result.stdout


def test_the_case_file_names_are_the_case_files_as_text(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A warm run hashes the files by name (`case_file_names`); a cold one reads the
    `Path`s (`case_files`): the same files, in the same order, relative or absolute."""
    from bmnav.storage.resources import data_dir

    write(tmp_path, "usecases/b.yaml")
    write(tmp_path, "usecases/a/x.yaml")
    write(tmp_path, "usecases/.hidden/z.yaml")
    write(tmp_path, "usecases/.h.yaml")
    (tmp_path / "usecases" / "notes.txt").write_text("not a case", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for folder in (tmp_path, Path(".")):
        dd = data_dir(folder)
        names = dd.case_file_names()
        assert names == [str(p) for p in dd.case_files()]
        assert [Path(n).relative_to(dd.usecases).as_posix() for n in names] == ["b.yaml", "a/x.yaml"]
