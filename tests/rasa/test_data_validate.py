"""`rasa data validate` on the domain, training data and config."""

from __future__ import annotations

import re

import pytest
import yaml

from tests.rasa.cli import ROOT, rasa

pytestmark = pytest.mark.rasa

UNUSED_UTTERANCE = re.compile(r"The utterance '([\w/]+)' is not used in any story or rule\.")
UNUSED_INTENT = re.compile(r"The intent '(\w+)' is not used in any story or rule\.")
# Rasa's importer adds every retrieval intent found in the NLU data as a domain
# of its own and merges it with domain.yml, so a retrieval intent declared in
# domain.yml (as it must be for rules to use it) is always reported once.
RETRIEVAL_DUPLICATE = "The following duplicated intents have been found across multiple domain files: faq"


def _used_by_actions() -> set:
    """Responses the custom actions send (Rasa's validator cannot see those)."""
    source = "\n".join(p.read_text() for p in (ROOT / "actions").rglob("*.py"))
    names = set(re.findall(r'"(utter_\w+)"', source)) - {"utter_action"}  # a key of Rasa's bot-event metadata
    # f"utter_order_status_{order.status}": one response per value
    prefixes = re.findall(r'f"(utter_\w+_)\{', source)
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    names |= {r for r in domain["responses"] if any(r.startswith(p) for p in prefixes)}
    return names


def _asked_by_forms() -> set:
    """``utter_ask_<slot>`` and ``utter_ask_<form>_<slot>`` responses, which forms send for their slots."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    return {name for form_name, form in domain["forms"].items() for slot in form["required_slots"]
            for name in (f"utter_ask_{slot}", f"utter_ask_{form_name}_{slot}")}


def _intents_in_slot_mappings() -> set:
    """Intents that fill slots (affirm, inform...): used, though in no story."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    return {m["intent"] for slot in domain["slots"].values() for m in slot.get("mappings", [])
            if isinstance(m.get("intent"), str)}


def test_rasa_data_validate_is_clean():
    result = rasa("data", "validate", "--domain", "domain.yml", "--data", "data", "--config", "config.yml")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    # The only warnings allowed are responses that Rasa's validator cannot see
    # being used: sent by custom actions or asked by forms. Every one of those
    # must really be used, so a response nobody sends still fails this test.
    # (Library DeprecationWarnings are noise from Rasa's pinned packages, not data problems.)
    warnings = [line for line in output.splitlines() if "UserWarning" in line or "WARNING" in line]
    allowed = _used_by_actions() | _asked_by_forms()
    unexplained = []
    for line in warnings:
        utterance, intent = UNUSED_UTTERANCE.search(line), UNUSED_INTENT.search(line)
        if utterance and utterance.group(1) in allowed:
            continue
        if intent and intent.group(1) in _intents_in_slot_mappings():
            continue
        if RETRIEVAL_DUPLICATE in line:
            continue
        unexplained.append(line)
    assert unexplained == []
    assert "No story structure conflicts found" in output


def test_every_response_sent_by_an_action_exists():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    assert _used_by_actions() - set(domain["responses"]) == set()
