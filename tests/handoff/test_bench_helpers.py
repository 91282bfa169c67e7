"""The bridge benchmark's pure helpers: planning, figures, the Markdown section (no servers start)."""

from __future__ import annotations

import pytest

from bench.bridge import int_list, parse_args, phase_list
from bench.bridge_report import (
    BRIDGE,
    END_MARKER,
    RASA_SOCKETIO,
    START_MARKER,
    BridgeReport,
    IdleResult,
    IdleStep,
    LatencyResult,
    LevelFigures,
    RelayResult,
    agent_plan,
    cap_levels,
    gap_kind,
    has_errors,
    overhead,
    relay_schedule,
    render_section,
    replace_marked,
    round_order,
    rounds_for,
    trend_kind,
    warnings,
    why_latency,
)
from bench.machine import Machine
from bench.report import END_MARKER as REST_END
from bench.report import START_MARKER as REST_START
from bench.stats import LatencyStats, Sample, summarize
from harness.bridge import agent_accounts, agent_id
from harness.resources import cpu_ticks

MACHINE = Machine(cpu="Test CPU", cores=2, ram_bytes=8 * 10 ** 9, os="TestOS", kernel="6.0", python="3.11.0",
                  rasa="not installed", rasa_sdk="not installed")


def stats(p50: float, errors: int = 0, sent: int = 200) -> LatencyStats:
    samples = [Sample(p50, ok=True, replies=1)] * (sent - errors) + [Sample(0.0, ok=False, error="boom")] * errors
    return summarize(samples, elapsed_s=10.0)


def latency(b_low: float, r_low: float, b_high: float, r_high: float, cpu: tuple = (None, None, None)) -> LatencyResult:
    """Figures at 1 and 50 conversations; ``cpu`` = Rasa CPU/message direct, behind the bridge, bridge CPU."""
    direct, behind, own = cpu
    rows = (LevelFigures(1, BRIDGE, 40, stats(b_low)), LevelFigures(1, RASA_SOCKETIO, 40, stats(r_low)),
            LevelFigures(50, BRIDGE, 2, stats(b_high), rasa_cpu_ms=behind, bridge_cpu_ms=own),
            LevelFigures(50, RASA_SOCKETIO, 2, stats(r_high), rasa_cpu_ms=direct, bridge_cpu_ms=0.0))
    return LatencyResult(script=("hi", "thanks"), reply_counts={BRIDGE: (1, 1), RASA_SOCKETIO: (1, 1)}, rows=rows)


def report(lat: LatencyResult | None = None, relay: RelayResult | None = None,
           idle: IdleResult | None = None, failures: tuple = ()) -> BridgeReport:
    return BridgeReport(date="2026-01-01 00:00 UTC", command=".venv-bridge/bin/python -m bench.bridge",
                        machine=MACHINE, rasa_version="3.6.21", model="models/m.tar.gz", latency=lat, relay=relay,
                        idle=idle, failures=failures)


# --------------------------------------------------------------------------- planning


@pytest.mark.parametrize("level", [1, 3, 10, 50, 400])
def test_rounds_are_even_at_least_two_and_enough(level):
    rounds = rounds_for(level, script_length=5, min_messages=200)
    assert rounds >= 2 and rounds % 2 == 0
    assert rounds * level * 5 >= 200


def test_targets_take_turns_going_first():
    assert [round_order(i)[0] for i in range(4)] == [BRIDGE, RASA_SOCKETIO, BRIDGE, RASA_SOCKETIO]
    assert all(set(round_order(i)) == {BRIDGE, RASA_SOCKETIO} for i in range(4))


@pytest.mark.parametrize("chats, expected", [(500, (50, 10)), (50, (5, 10)), (7, (1, 10)), (1234, (50, 25))])
def test_agent_plan_gives_every_chat_an_agent(chats, expected):
    agents, capacity = agent_plan(chats)
    assert (agents, capacity) == expected
    assert agents * capacity >= chats


def test_agent_accounts_have_unique_ids_and_the_capacity():
    accounts = agent_accounts(3, 12, "scrypt$x$y")
    assert [a["id"] for a in accounts] == [agent_id(0), agent_id(1), agent_id(2)]
    assert {a["capacity"] for a in accounts} == {12}


def test_levels_within_the_fd_limit_are_kept():
    assert cap_levels([1000, 5000], fd_soft=20000, fd_hard=20000) == ([1000, 5000], "")


def test_levels_beyond_the_fd_limit_are_capped_with_the_reason():
    levels, note = cap_levels([1000, 5000], fd_soft=4096, fd_hard=4096)
    assert levels == [1000, 4096 - 256]
    assert "RLIMIT_NOFILE" in note and "4,096" in note


def test_capped_levels_that_collapse_are_not_repeated():
    assert cap_levels([1000, 5000], fd_soft=1000, fd_hard=1000)[0] == [744]


def test_relay_schedule_paces_all_chats_turn_by_turn():
    schedule = relay_schedule(chats=4, turns=2, rate_per_s=2.0)
    times = sorted(t for chat in schedule for t in chat)
    assert times == [i / 2.0 for i in range(8)]
    assert all(chat[1] - chat[0] == pytest.approx(2.0) for chat in schedule)  # chats / rate apart
    assert relay_schedule(4, 2, 2.0) == schedule  # deterministic


# --------------------------------------------------------------------------- figures


def test_overhead_in_ms_and_percent():
    assert overhead(110.0, 100.0) == pytest.approx((10.0, 10.0))
    assert overhead(90.0, 100.0) == pytest.approx((-10.0, -10.0))
    assert overhead(None, 100.0) is None and overhead(1.0, 0.0) is None


def test_gap_and_trend_allow_for_noise():
    assert gap_kind((1.0, 2.0)) == "same"
    assert gap_kind((20.0, 20.0)) == "slower"
    assert gap_kind((-20.0, -20.0)) == "faster"
    assert trend_kind((5.0, 5.0), (40.0, 10.0)) == "grows"
    assert trend_kind((5.0, 5.0), (-40.0, -10.0)) == "shrinks"
    assert trend_kind((5.0, 5.0), (6.0, 2.0)) == "flat"


def test_why_latency_follows_the_numbers():
    grows = " ".join(why_latency(latency(110, 100, 400, 300), cores=2))
    assert "+10.0 ms (+10 %)" in grows and "grows with load" in grows
    shrinks = " ".join(why_latency(latency(110, 100, 250, 300), cores=2))
    assert "shrinks under load and turns into a lead" in shrinks
    same = " ".join(why_latency(latency(101, 100, 301, 300), cores=2))
    assert "within noise" in same and "about the same" in same


def test_why_latency_cites_the_cpu_figures_only_when_they_explain():
    explained = " ".join(why_latency(latency(110, 100, 250, 300, cpu=(30.0, 20.0, 5.0)), cores=2))
    assert "30.0 ms of CPU per message against 20.0 ms" in explained and "5.0 ms per message" in explained
    not_cpu = " ".join(why_latency(latency(110, 100, 250, 300, cpu=(20.0, 20.0, 5.0)), cores=2))
    assert "so it is not extra work" in not_cpu
    grows = " ".join(why_latency(latency(110, 100, 400, 300, cpu=(20.0, 20.0, 5.0)), cores=2))
    assert "its own work (5.0 ms of CPU per message" in grows


def test_cpu_ticks_reads_utime_and_stime_whatever_the_command_name():
    stat = "42 (odd) name) S " + " ".join(str(i) for i in range(1, 45))
    assert cpu_ticks(stat) == 11 + 12


def test_the_section_has_markers_tables_and_explanations():
    relay = RelayResult(chats_asked=500, chats_live=500, agents=50, capacity=10, turns=2, rate_per_s=10.0,
                        setup_s=12.0, setup_errors=(), to_agent=stats(40.0, sent=1000),
                        to_customer=stats(5.0, sent=1000), bridge_rss=90 * 10 ** 6)
    idle = IdleResult(baseline_rss=50 * 10 ** 6, asked=(1000, 5000), fd_limit=20000,
                      steps=(IdleStep(1000, 1000, 0, 4.0, 90 * 10 ** 6), IdleStep(5000, 5000, 0, 20.0, 250 * 10 ** 6)))
    r = report(latency(110, 100, 400, 300), relay, idle)
    section = render_section(r)
    assert section.startswith(START_MARKER) and section.endswith(END_MARKER)
    for expected in ("| 1 | Bridge", "| 50 | Rasa socketio channel", "+10.0 ms (+10 %)", "Customer → agent",
                     "| 5,000 | 5,000 | 0 | 20.0 s |", "40.0 kB", "### Why they differ", "-m bench.bridge"):
        assert expected in section, expected
    assert not has_errors(r) and not warnings(r)


def test_errors_and_failures_are_warned_about():
    lat = latency(110, 100, 400, 300)
    failing = LevelFigures(1, BRIDGE, 2, stats(100, errors=3))
    bad = LatencyResult(lat.script, lat.reply_counts, (failing,) + lat.rows[1:])
    idle = IdleResult(baseline_rss=1, asked=(1000, 5000), fd_limit=20000,
                      steps=(IdleStep(1000, 990, 10, 4.0, 2, ("TimeoutError: x",)),))
    r = report(bad, idle=idle, failures=("the relay phase failed: RuntimeError: no agent",))
    text = "\n".join(warnings(r))
    assert has_errors(r)
    assert "relay phase failed" in text and "3 of 200 messages" in text and "10 of 1000 idle" in text
    assert "[5000] were not attempted" in text


# --------------------------------------------------------------------------- the Markdown file


def test_replace_marked_creates_appends_and_replaces_keeping_other_sections():
    section = f"{START_MARKER}\nnew\n{END_MARKER}"
    assert replace_marked(None, section) == f"# Benchmarks\n\n{section}\n"
    rest = f"# Benchmarks\n\n{REST_START}\nrest figures\n{REST_END}\n"
    appended = replace_marked(rest, section)
    assert appended.startswith(rest.rstrip()) and appended.endswith(section + "\n")
    replaced = replace_marked(appended.replace("new", "old"), section)
    assert replaced == appended and "rest figures" in replaced


def test_replace_marked_refuses_broken_markers():
    with pytest.raises(ValueError):
        replace_marked(f"text\n{END_MARKER}\n{START_MARKER}\n", f"{START_MARKER}\n{END_MARKER}")


# --------------------------------------------------------------------------- command line


def test_quick_changes_the_defaults_and_explicit_options_win():
    full, quick = parse_args([]), parse_args(["--quick", "--levels", "1,2"])
    assert full.levels == (1, 10, 50) and full.relay_chats == 500 and full.idle == (1000, 5000)
    assert quick.levels == (1, 2) and quick.relay_chats == 50 and quick.idle == (200, 500)


def test_list_options_are_checked():
    assert int_list("1,10,50") == (1, 10, 50)
    assert phase_list("idle,latency") == ("idle", "latency")
    import argparse

    for bad in ("0,1", "a", ""):
        with pytest.raises(argparse.ArgumentTypeError):
            int_list(bad)
    with pytest.raises(argparse.ArgumentTypeError):
        phase_list("speed")
