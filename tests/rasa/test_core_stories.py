"""Every test story in tests/test_stories.yml passes with `rasa test core`."""

from __future__ import annotations

import pytest
import yaml

from tests.rasa.cli import REPORTS, latest_model, rasa

pytestmark = pytest.mark.rasa

OUT = REPORTS / "core"


def test_all_test_stories_pass():
    result = rasa("test", "core", "--stories", "tests/test_stories.yml", "--model", str(latest_model()),
                  "--out", str(OUT), "--fail-on-prediction-errors")
    output = result.stdout + result.stderr
    failed = (OUT / "failed_test_stories.yml").read_text() if (OUT / "failed_test_stories.yml").exists() else ""
    assert result.returncode == 0, failed or output[-3000:]
    assert (yaml.safe_load(failed) or {}).get("stories") in (None, []), failed
