"""Sources kept in sync: an IMAP mailbox of 1,000 messages (200 with a Markdown attachment)
synced from a real Dovecot, against ingesting the same texts and files from a folder; then a
re-sync with nothing changed, which must take at most 5% of the first sync's time.

Bodies and attachments are PhantomWiki articles (shared/eval), the bundled MiniLM embeds, both
runs go into the same warmed app (two collections). The mailbox is filled before any clock
starts. The message's folder twin is its header lines and body as a .txt file.

Run: .venv/bin/python -m bench.sources   (writes the "Sources kept in sync" section)
"""

import os
import shutil
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

from imapclient import IMAPClient

from bench.harness import table, write_section
from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.settings import Settings
from rag.sources.service import SourceService
from tests.source_servers import dovecot

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = sorted((ROOT.parent / "shared/eval/phantomwiki/corpus").glob("*.md"))
MESSAGES, ATTACHMENTS = 1000, 200
PASSWORD = "bench-Mailbox-1"  # noqa: S105 - the benchmark's own throwaway server


def _mail(n: int) -> tuple[EmailMessage, str, tuple[str, bytes] | None]:
    article = ARTICLES[n % len(ARTICLES)].read_text()
    body = "\n".join(line for line in article.splitlines()[:6] if not line.startswith("#"))
    subject = f"Note {n}: {ARTICLES[n % len(ARTICLES)].stem.replace('-', ' ')}"
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = "Archive <archive@example.org>"
    message["To"] = "bench@example.org"
    message.set_content(body)
    attachment = None
    if n % (MESSAGES // ATTACHMENTS) == 0:
        name = f"attached-{n}-{ARTICLES[(n * 7) % len(ARTICLES)].name}"
        data = ARTICLES[(n * 7) % len(ARTICLES)].read_bytes()
        message.add_attachment(data, maintype="text", subtype="markdown", filename=name)
        attachment = (name, data)
    twin = f"Subject: {subject}\nFrom: Archive <archive@example.org>\n\n{body}\n"
    return message, twin, attachment


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-sources-"))
    folder = work / "folder"
    folder.mkdir()
    with dovecot({"bench": PASSWORD}) as port:
        with IMAPClient("127.0.0.1", port=port, ssl=False) as imap:
            imap.login("bench", PASSWORD)
            for n in range(MESSAGES):
                message, twin, attachment = _mail(n)
                imap.append("INBOX", message.as_bytes())
                (folder / f"message-{n:04}.txt").write_text(twin)
                if attachment is not None:
                    (folder / attachment[0]).write_bytes(attachment[1])
        os.environ["RAG_SECRET_BENCH"] = PASSWORD
        settings = Settings(data_dir=work / "data", web_allowed_hosts=[f"127.0.0.1:{port}"])
        app = RagApp(settings)
        service = SourceService(app)
        try:
            app.indexer.sync([scan_path(ROOT / "sample_docs" / "support-faq.txt", 10**6)], "warm")
            source = service.add(f"imap://bench@127.0.0.1:{port}/INBOX", "mail", "manual", "BENCH")
            started = time.perf_counter()
            first = service.sync(source.id)
            imap_s = time.perf_counter() - started
            assert first.last_error is None, first.last_error
            started = time.perf_counter()
            again = service.sync(source.id)
            resync_s = time.perf_counter() - started
            assert (again.added, again.changed, again.removed) == (0, 0, 0)

            started = time.perf_counter()
            report = app.indexer.sync([scan_path(folder, 10**8)], "folder")
            folder_s = time.perf_counter() - started
            assert not report.failed, report.failed
            started = time.perf_counter()
            app.indexer.sync([scan_path(folder, 10**8)], "folder")
            folder_resync_s = time.perf_counter() - started
            chunks = {c: app.store.count(c) for c in ("mail", "folder")}
        finally:
            service.close()
            app.close()
    shutil.rmtree(work, ignore_errors=True)

    share = resync_s / imap_s
    rows = [
        [
            "IMAP (Dovecot, imap://)",
            first.added,
            chunks["mail"],
            f"{imap_s:.1f}",
            f"{MESSAGES / imap_s:.1f}",
            f"{resync_s:.2f}",
            f"{share:.1%}",
        ],
        [
            "same files from a folder",
            len(report.added),
            chunks["folder"],
            f"{folder_s:.1f}",
            f"{MESSAGES / folder_s:.1f}",
            f"{folder_resync_s:.2f}",
            f"{folder_resync_s / folder_s:.1%}",
        ],
    ]
    body = (
        f"{MESSAGES:,} messages, {ATTACHMENTS} with a Markdown attachment (PhantomWiki text), "
        "bundled MiniLM, one warmed app. Re-sync = the same sync again, nothing changed "
        f"(goal: at most 5% of the first sync). IMAP / folder time: {imap_s / folder_s:.2f}x; "
        f"re-sync goal {'met' if share <= 0.05 else 'MISSED'}.\n\n"
        + table(
            [
                "source",
                "documents",
                "chunks",
                "first sync s",
                "messages/s",
                "re-sync s",
                "re-sync / first",
            ],
            rows,
        )
    )
    print(body)
    write_section("Sources kept in sync", "python -m bench.sources", body)


if __name__ == "__main__":
    main()
