"""Facts about the machine a benchmark runs on: CPU, cores, RAM, OS, package versions.

The parsers of /proc and /etc text are pure; the ``read_*`` functions do the reading (a
process's RSS: ``harness.resources.rss_bytes``).
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
import time
from dataclasses import dataclass
from pathlib import Path

from harness.resources import kib_field


@dataclass(frozen=True)
class Machine:
    """What the benchmark ran on."""

    cpu: str
    cores: int
    ram_bytes: int
    os: str
    kernel: str
    python: str
    rasa: str
    rasa_sdk: str


# --------------------------------------------------------------------------- pure: parsing /proc and /etc


def cpu_model(cpuinfo: str) -> str:
    """The CPU model named in the text of /proc/cpuinfo ("unknown" if none is)."""
    for key in ("model name", "Hardware", "Processor", "cpu model"):
        for line in cpuinfo.splitlines():
            name, _, value = line.partition(":")
            if name.strip() == key and value.strip():
                return value.strip()
    return "unknown"


def pretty_name(os_release: str) -> str:
    """PRETTY_NAME from the text of /etc/os-release ("unknown" if missing)."""
    for line in os_release.splitlines():
        name, _, value = line.partition("=")
        if name == "PRETTY_NAME":
            return value.strip().strip('"')
    return "unknown"


# --------------------------------------------------------------------------- I/O: reading the facts


def read_text(path: str) -> str:
    """A file's text, or an empty string when it cannot be read."""
    try:
        return Path(path).read_text(errors="replace")
    except OSError:
        return ""


def package_version(name: str) -> str:
    """An installed distribution's version, without importing it."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def read_machine() -> Machine:
    """Describe the machine this runs on."""
    try:
        cores = len(os.sched_getaffinity(0))  # what `nproc` prints
    except AttributeError:
        cores = os.cpu_count() or 0
    try:
        ram = kib_field(read_text("/proc/meminfo"), "MemTotal")
    except KeyError:
        ram = 0
    return Machine(
        cpu=cpu_model(read_text("/proc/cpuinfo")),
        cores=cores,
        ram_bytes=ram,
        os=pretty_name(read_text("/etc/os-release")),
        kernel=platform.release(),
        python=platform.python_version(),
        rasa=package_version("rasa"),
        rasa_sdk=package_version("rasa-sdk"),
    )


def settled(path: Path, quiet_s: float = 5.0, timeout_s: float = 600.0) -> Path:
    """``path`` once it has not changed for ``quiet_s`` (a training run may still be writing it)."""
    deadline = time.monotonic() + timeout_s
    while time.time() - path.stat().st_mtime < quiet_s:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{path} is still being written after {timeout_s:.0f} s")
        time.sleep(1)
    return path
