"""What a process uses and may use: its RSS and CPU time (from /proc), the open-files limit.

Standard library only: both Python environments import it.
"""

from __future__ import annotations

import os
import resource
from pathlib import Path

NOFILE_CEILING = 1 << 20  # when the hard limit is "unlimited"


def kib_field(text: str, field: str) -> int:
    """A ``Field:  123 kB`` value of /proc/meminfo or /proc/PID/status, in bytes.

    Raises:
        KeyError: If the field is missing.
    """
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name == field:
            return int(value.split()[0]) * 1024
    raise KeyError(field)


def rss_bytes(pid: int) -> int:
    """Resident set size (VmRSS) of process ``pid``, in bytes.

    Raises:
        OSError: The process is gone.
        KeyError: It has exited and not been waited for (a zombie has no VmRSS).
    """
    return kib_field(Path(f"/proc/{pid}/status").read_text(), "VmRSS")


def cpu_ticks(stat: str) -> int:
    """utime + stime (clock ticks, all threads) from the text of /proc/PID/stat."""
    fields = stat[stat.rindex(")") + 2:].split()  # the command name may hold spaces and parentheses
    return int(fields[11]) + int(fields[12])


def cpu_seconds(pid: int) -> float:
    """CPU time process ``pid`` has used so far, user + system (0.0 if it is gone)."""
    try:
        return cpu_ticks(Path(f"/proc/{pid}/stat").read_text()) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def raise_nofile_limit() -> int:
    """Raise this process's soft RLIMIT_NOFILE to its hard limit; return the soft limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = NOFILE_CEILING if hard == resource.RLIM_INFINITY else hard
    if target > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):
            pass
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def nofile_limits() -> tuple[int, int]:
    """(soft, hard) RLIMIT_NOFILE of this process."""
    return resource.getrlimit(resource.RLIMIT_NOFILE)
