"""Build the HNSW index of one Edge shard folder, in a child process of `EdgeStore.build_index`.

`EdgeShard.optimize()` holds the GIL for the whole build (no Python thread of the serving process
would run meanwhile), so it runs here, at a lower CPU priority, on a copy of the shard.
Run: python -m rag.store.optimize SHARD_FOLDER PARENT_PID
"""

import ctypes
import os
import signal
import sys

from qdrant_edge import EdgeShard

_PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when `parent` dies (Linux), so that a killed server
    leaves no build going on for minutes on a copy that its next start deletes."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the signal was set up
        sys.exit(1)


def main(path: str, parent: int) -> None:
    die_with_parent(parent)
    os.nice(10)
    shard = EdgeShard.load(path)
    try:
        shard.optimize()
    finally:
        shard.close()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
