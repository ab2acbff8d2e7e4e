"""Build the HNSW index of one Edge shard folder, in a child process of `EdgeStore.build_index`.

`EdgeShard.optimize()` holds the GIL for the whole build (no Python thread of the serving process
would run meanwhile), so it runs here, at a lower CPU priority, on a copy of the shard.
Run: python -m rag.store.optimize SHARD_FOLDER
"""

import os
import sys

from qdrant_edge import EdgeShard


def main(path: str) -> None:
    os.nice(10)
    shard = EdgeShard.load(path)
    try:
        shard.optimize()
    finally:
        shard.close()


if __name__ == "__main__":
    main(sys.argv[1])
