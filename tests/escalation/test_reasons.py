"""The handoff reasons: one home for the Rasa side and the bridge."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from escalation import reasons, settings
from escalation.routing import RULE_HANDLED_INTENTS

PACKAGE = Path(reasons.__file__).resolve().parent
FOR_THE_BRIDGE = ("__init__.py", "reasons.py", "person.py", "lexicon.py")


def test_every_intent_maps_to_a_known_reason():
    assert set(reasons.REASON_BY_INTENT.values()) <= set(reasons.REASONS)
    assert reasons.DEFAULT_REASON in reasons.REASONS
    assert settings.REASONS is reasons.REASONS


def test_every_rule_handled_intent_has_its_reason():
    assert RULE_HANDLED_INTENTS <= set(reasons.REASON_BY_INTENT)


@pytest.mark.parametrize("intent, reason", [
    ("request_human", "explicit_request"), ("complaint", "frustration"), ("close_account", "sensitive"),
    ("greet", "explicit_request"), (None, "explicit_request"), ("", "explicit_request"),
])
def test_reason_for_intent(intent, reason):
    assert reasons.reason_for_intent(intent) == reason


@pytest.mark.parametrize("name", FOR_THE_BRIDGE)
def test_what_the_bridge_imports_is_python_3_8(name):
    ast.parse((PACKAGE / name).read_text(encoding="utf-8"), filename=name, feature_version=(3, 8))


def test_what_the_bridge_imports_needs_only_the_standard_library():
    code = ("import sys; before = set(sys.modules); import escalation.reasons, escalation.person; "
            "print(sorted(m for m in set(sys.modules) - before "
            "if m.split('.')[0] not in sys.stdlib_module_names and m.split('.')[0] != 'escalation'))")
    done = subprocess.run([sys.executable, "-E", "-c", code], cwd=PACKAGE.parent, capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
