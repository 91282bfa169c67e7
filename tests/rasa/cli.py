"""Where the Rasa-level tests write their reports."""

from __future__ import annotations

from bot.launcher import ROOT, latest_model, rasa

REPORTS = ROOT / "reports"

__all__ = ["REPORTS", "ROOT", "latest_model", "rasa"]
