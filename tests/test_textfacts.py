"""Facts from free text in English, German and Chinese, and where each came from."""

from __future__ import annotations

import pytest

from bmnav.checking.problems import BmnavError
from bmnav.classifying.textfacts import detect_language, extract, facts_from_text


def _words(found, fact: str, value: object) -> list[str]:  # type: ignore[no-untyped-def]
    return next(s["words"] for s in found.sources if s["fact"] == fact and s["value"] == value)


def test_english_facts_and_their_words() -> None:
    found = extract(
        "An open marketplace: it matches buyers with any qualified supplier and takes a commission per order. "
        "Buyers upload CAD files and order online."
    )
    assert found.language == "en"
    assert found.facts["offering.access"] == "open"
    assert found.facts["offering.revenue"] == ["commission"]
    assert found.facts["network.two_sided"] is True
    assert found.facts["network.focal_type"] == "marketplace-provider"
    assert "commission" in _words(found, "offering.revenue", "commission")
    assert "matches buyers" in _words(found, "network.two_sided", True)


def test_german_facts_and_compounds() -> None:
    found = extract(
        "Ein neutraler Datentreuhänder anonymisiert die Maschinendaten vieler Hersteller und "
        "verkauft Daten an Versicherer; er erhebt eine Servicegebühr."
    )
    assert found.language == "de"
    assert found.facts["network.neutral_data_intermediary"] is True
    assert found.facts["network.focal_type"] == "data-trustee"
    assert set(found.facts["offering.revenue"]) == {"data-sales", "service-fee"}
    assert "datentreuhänder" in _words(found, "network.focal_type", "data-trustee")
    assert {"insurer", "product-manufacturer"} <= {r["type"] for r in found.roles}


def test_chinese_facts() -> None:
    found = extract("客户无需购买设备，厂商保留所有权，客户按使用付费，厂商负责远程监控和维护。")
    assert found.language == "zh"
    assert found.facts["offering.ownership"] == "provider"
    assert found.facts["offering.revenue"] == ["pay-per-use"]
    assert found.facts["network.owner_user_split"] is True
    assert "保留所有权" in _words(found, "offering.ownership", "provider")


def test_negation_flips_a_yes_no_fact_and_drops_others() -> None:
    found = extract("There are no designers involved. It is not an open platform.")
    assert found.facts["network.designers"] is False
    assert "offering.access" not in found.facts
    zh = extract("平台没有设计师参与。")
    assert zh.facts["network.designers"] is False


def test_most_frequent_value_wins_and_others_are_kept_as_overruled() -> None:
    # (no "in the future" here: a clause marked as the plan now wins, see test_the_plan_wins)
    found = extract("Selected partners only. Vetted suppliers, pre-selected. Open to all for spare parts.")
    assert found.facts["offering.access"] == "closed"
    assert any(s.get("overruled") and s["value"] == "open" for s in found.sources)


def test_language_detection() -> None:
    assert detect_language("The machine is sold and the customers pay.") == "en"
    assert detect_language("Die Maschine wird verkauft und die Kunden zahlen für die Nutzung.") == "de"
    assert detect_language("设备按使用付费") == "zh"


@pytest.mark.parametrize("text", ["", "   \n", "Lorem ipsum dolor sit amet."])
def test_no_facts_is_an_error_naming_the_facts(text: str) -> None:
    with pytest.raises(BmnavError) as info:
        facts_from_text(text)
    assert info.value.exit_code == 1
    for fact in ("offering.access", "offering.revenue", "offering.ownership", "offering.data_sharing"):
        assert fact in info.value.message


def test_regular_expression_patterns_next_to_words() -> None:
    # the lead's probes: "per engine flying hour" and "which Hilti owns"
    rr = extract(
        "Rolls-Royce TotalCare: airlines pay per engine flying hour; Rolls-Royce monitors engines "
        "in flight and takes responsibility for maintenance."
    )
    assert rr.facts["offering.revenue"] == ["pay-per-use"]
    assert "per engine flying hour" in _words(rr, "offering.revenue", "pay-per-use")
    assert rr.facts["network.focal_type"] == "service-provider"
    hilti = extract("Contractors pay a monthly fee for a fleet of tools which Hilti owns, repairs and replaces.")
    assert hilti.facts["offering.ownership"] == "provider"
    assert not hilti.weak
    # the customer as the owner is not the provider
    assert extract("Farmers buy the tractors which the farmers own.").facts["offering.ownership"] == "buyer"
    assert extract("Die Maschine gehört weiterhin dem Hersteller.").facts["offering.ownership"] == "provider"
    assert extract("设备仍归服务商所有，客户按用气量付费。").facts["offering.ownership"] == "provider"


def test_a_lexicon_of_ones_own_with_patterns_and_weak_cues() -> None:
    lexicon = {
        "fallback": {"min_facts": 2},
        "negations": {"en": ["no"]},
        "facts": [
            {"fact": "offering.revenue", "is": "pay-per-use", "patterns": {"en": [r"per (\w+ ){0,2}hours?"]}},
            {"fact": "offering.access", "is": "internal", "weak": True, "words": {"en": ["factory"]}},
        ],
    }
    strong = extract("They pay per machine hour in the factory.", lexicon)
    assert strong.facts == {"offering.revenue": ["pay-per-use"], "offering.access": "internal"}
    assert strong.weak == ["offering.access"]  # one strong fact is fewer than min_facts: weak cues fill in
    assert any(s.get("weak") for s in strong.sources)
    lexicon["fallback"] = {"min_facts": 1}
    assert extract("They pay per machine hour in the factory.", lexicon).facts == {"offering.revenue": ["pay-per-use"]}
    assert extract("No pay per hour here.", lexicon).facts == {}  # a negation drops a pattern's fact too


def test_weak_cues_answer_thin_notes_instead_of_failing() -> None:
    found = facts_from_text("A small company that sells things on a platform.")
    assert found.facts["offering.revenue"] == ["one-off-sale"]
    assert "offering.revenue" in found.weak
    assert found.as_dict()["weak"] == found.weak


def test_an_invalid_pattern_is_a_clear_error() -> None:
    lexicon = {"facts": [{"fact": "offering.access", "is": "open", "patterns": {"en": ["(unclosed"]}}]}
    with pytest.raises(BmnavError, match="not a valid regular expression"):
        extract("anything", lexicon)


def test_latin_words_of_the_chinese_list_match_at_a_word_start() -> None:
    lexicon = {"facts": [{"fact": "offering.customer_involvement", "is": "configure", "words": {"zh": ["c2m"]}}]}
    assert extract("C2M定制鞋", lexicon).facts == {"offering.customer_involvement": "configure"}
    assert extract("abc2m", lexicon).facts == {}
