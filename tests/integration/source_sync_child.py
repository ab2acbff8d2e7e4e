"""A server's scheduled source sync in its own process, for the kill test: prints READY once
imports are done, then runs one pass of the schedule at a clock `offset` seconds ahead (so the
source is due again), and prints SYNCED or IDLE."""

import sys
import time
from pathlib import Path

from rag.app import RagApp
from rag.settings import Settings
from rag.sources.scheduler import SourceScheduler
from rag.sources.service import SourceService
from tests.integration.ingest_child import SlowHashEmbedder

if __name__ == "__main__":
    data_dir, folder, offset = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3])
    settings = Settings(data_dir=data_dir, chunk_size=48, chunk_overlap=8)
    print("READY", flush=True)
    with RagApp(settings, embedder=SlowHashEmbedder()) as app:
        service = SourceService(app, clock=lambda: time.time() + offset)
        if not service.all():
            service.add(str(folder), schedule="every 1m")
        ran = SourceScheduler(service, clock=lambda: time.time() + offset).run_due()
        service.close()
    print("SYNCED" if ran else "IDLE", flush=True)
