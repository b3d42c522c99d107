"""The world's countries and large cities in the lexicon (`bmnav.classifying.gazetteer`):
the rule that picks them, the section it writes, and the country they give a note."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bmnav.classifying import gazetteer
from bmnav.classifying.textfacts import extract

ROOT = Path(__file__).resolve().parents[1]
LEXICON: dict[str, Any] = yaml.safe_load((ROOT / "data" / "lexicon.yaml").read_text(encoding="utf-8"))


def city(name: str, code: str, population: int, *alt: str) -> dict[str, Any]:
    return {"name": name, "countrycode": code, "population": population, "alternatenames": list(alt)}


def test_a_large_city_whose_name_is_its_own_is_kept_with_its_plain_spelling() -> None:
    got = gazetteer.select([city("İzmir", "TR", 2_900_000, "伊兹密尔", "Smyrna")], set())
    assert got == {"TR": {"any": ["izmir", "i̇zmir"], "zh": ["伊兹密尔"]}}


def test_small_shared_known_and_stop_names_are_left_out() -> None:
    cities = [
        city("Thika", "KE", 200_000),  # under MIN_POPULATION
        city("Valencia", "VE", 1_400_000),
        city("Valencia", "ES", 800_000),  # a rival elsewhere: ambiguous
        city("Stuttgart", "DE", 1_100_000),  # the hand-made list names it
        city("Phoenix", "US", 1_600_000),  # a common word
    ]
    assert gazetteer.select(cities, {"stuttgart"}) == {}


def test_a_two_character_transliteration_is_left_out_outside_han_countries() -> None:
    got = gazetteer.select(
        [city("Lima", "PE", 7_700_000, "利马", "利馬市"), city("Zunyi", "CN", 1_000_000, "遵义")], set()
    )
    assert got["PE"]["zh"] == ["利馬市"]
    assert got["CN"]["zh"] == ["遵义"]


def test_countries_the_hand_made_list_lacks_in_three_languages() -> None:
    names = {
        "en": {"CL": "Chile", "MM": "Myanmar (Burma)", "CD": "Congo - Kinshasa", "DE": "Germany", "GE": "Georgia"},
        "de": {"CL": "Chile", "MM": "Myanmar", "CD": "Kongo-Kinshasa", "DE": "Deutschland", "GE": "Georgien"},
        "zh": {"CL": "智利", "MM": "缅甸", "CD": "刚果（金）", "DE": "德国", "GE": "格鲁吉亚", "EU": "欧盟"},
    }
    got = gazetteer.countries(names, {"DE"})
    assert got["CL"] == {"en": {"chile"}, "de": {"chile"}, "zh": {"智利"}}
    assert got["MM"]["en"] == {"myanmar", "burma"}
    assert got["CD"] == {"en": set(), "de": set(), "zh": {"刚果（金）"}}
    assert got["GE"]["en"] == set() and got["GE"]["de"] == {"georgien"}  # Georgia is also a US state
    assert "DE" not in got and "EU" not in got


def test_the_written_section_replaces_the_old_one_and_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.yaml"
    path.write_text('countries:\n  "DE": {en: [germany]}\nplaces: {}\n', encoding="utf-8")
    for _ in range(2):
        gazetteer.write(path, [city("Izmir", "TR", 2_900_000)], {"en": {"CL": "Chile", "DE": "Germany"}})
    text = path.read_text(encoding="utf-8")
    assert text.startswith('countries:\n  "DE": {en: [germany]}\nplaces: {}\n')
    assert text.count(gazetteer.BEGIN) == 1
    assert yaml.safe_load(text)["world_places"] == {"CL": {"en": ["chile"]}, "TR": {"any": ["izmir"]}}


def test_the_bundled_section_leaves_the_hand_made_names_to_the_hand_made_lists() -> None:
    world = LEXICON["world_places"]
    names = {str(w).lower() for by in world.values() for ws in by.values() for w in ws}
    assert len(world) > 150
    assert not names & gazetteer.known_names(LEXICON)
    assert not names & gazetteer.STOP
    assert all(len(code) == 2 and code.isupper() for code in world)


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Rutas Andinas, a 30-person start-up from Chile, sells spare parts.", "CL"),
        ("Die Firma hat ihren Sitz in Kenia und verkauft Pumpen.", "KE"),
        ("这家公司总部位于肯尼亚，销售水泵。", "KE"),
        ("A workshop in Izmir repairs looms.", "TR"),
        ("Ein Betrieb aus Bogota fertigt Ventile.", "CO"),
        ("The firm prints Romane and sells tiramisu.", None),  # whole words: no Oman, no Iran
        # after round 20: cities of 250,000 people or more
        ("A machining shop in Denizli, 40 staff, cuts gears.", "TR"),
        ("Ein Lohnfertiger aus Londrina sortiert Getreide.", "BR"),
        # the generated names as written, not by stem: no "Kitchener" in "kitchen"
        ("The kitchen planner works for a restaurant chain.", None),
        # after round 21: a place written with accents its list name lacks
        ("Die Rokkō Kikai K.K. aus Kōbe baut Spritzgießmaschinen.", "JP"),
    ],
)
def test_a_country_or_large_city_the_opening_names_gives_the_country(text: str, country: str | None) -> None:
    assert extract(text).facts.get("country") == country


def test_a_chinese_name_is_kept_in_simplified_characters_and_smaller_towns_count_by_it() -> None:
    """GeoNames often has only the Traditional ("科尼亞") or Japanese ("金沢") form; notes
    write Simplified. Outside the Han-script countries a town over MIN_POPULATION_HAN counts
    by its Chinese name of three or more characters, not by its Latin one."""
    simplify = {"科尼亞": "科尼亚", "金沢": "金泽"}.get
    cities = [
        city("Konya", "TR", 1_400_000, "科尼亞"),
        city("Kanazawa", "JP", 460_000, "金沢"),
        city("Tuttlingen", "DE", 35_000, "图特林根"),
        city("Vaasa", "FI", 70_000, "瓦萨"),  # two characters: too short outside Han countries
        city("Mito", "JP", 100_000, "水户"),  # a Han country: the large-city rule
    ]
    got = gazetteer.select(cities, set(), lambda name, _code: simplify(name) or name)
    assert got["TR"]["zh"] == ["科尼亚", "科尼亞"]
    assert got["JP"]["zh"] == ["金沢", "金泽"]
    assert got["DE"] == {"zh": ["图特林根"]}
    assert "FI" not in got


def test_a_chinese_name_two_countries_share_is_left_out() -> None:
    cities = [city("Río Grande", "AR", 60_000, "里奥格兰德市"), city("Rio Grande", "BR", 200_000, "里奥格兰德市")]
    assert gazetteer.select(cities, set()) == {}
