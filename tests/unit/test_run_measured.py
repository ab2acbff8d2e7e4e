"""The memory figure the hostile-input tests assert on: the measured command's own peak."""

import os
import sys

from tests.live import run_measured

MIB = 1024 * 1024
TOUCH = "b = bytearray({n} * 2**20); b[::4096] = bytes(len(range(0, len(b), 4096)))"


def test_a_commands_peak_memory_is_its_own_not_its_parents() -> None:
    ballast = bytearray(400 * MIB)
    ballast[::4096] = b"\x01" * len(range(0, len(ballast), 4096))  # resident, not just reserved

    small = run_measured([sys.executable, "-c", "pass"], dict(os.environ), 60)
    large = run_measured([sys.executable, "-c", TOUCH.format(n=150)], dict(os.environ), 60)

    assert ballast[0] == 1
    assert small.returncode == 0 and small.peak_rss_mib < 200
    assert large.returncode == 0 and 150 < large.peak_rss_mib < 350


def test_a_measured_commands_exit_code_and_output_come_back() -> None:
    run = run_measured([sys.executable, "-c", "print('hi'); raise SystemExit(3)"],
                       dict(os.environ), 60)  # fmt: skip
    assert run.returncode == 3 and run.stdout == "hi\n"
