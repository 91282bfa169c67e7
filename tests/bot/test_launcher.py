"""The process launcher's port choice: never a port the kernel may give an outgoing connection."""

from __future__ import annotations

import socket
from pathlib import Path

from harness.ports import ephemeral_range, free_port


def test_free_ports_lie_outside_the_ephemeral_range_and_can_be_bound() -> None:
    low, high = ephemeral_range()
    for _ in range(50):
        port = free_port()
        assert not low <= port <= high
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))


def test_the_ephemeral_range_is_read_from_the_kernel_file(tmp_path: Path) -> None:
    file = tmp_path / "range"
    file.write_text("40000\t50000\n")
    assert ephemeral_range(file) == (40000, 50000)
    assert ephemeral_range(tmp_path / "missing") == (32768, 60999)
