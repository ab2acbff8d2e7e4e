"""IMAP mailboxes: each message a document, each attachment a document through the readers.

`imaps://user@host[:port]/MAILBOX` (TLS, certificate verified) or `imap://` (plain, for a
server on a trusted network); the password is the source's secret. A message's text starts
with its subject, sender, recipients and date, which are also its metadata. Its id is
`URI;UIDVALIDITY=V/;UID=U` (RFC 5092), an attachment's adds `/;SECTION=PART`: messages never
change under a UID, so a re-sync reads only new ones; expunged messages lose their chunks, and a
mailbox whose UIDVALIDITY changed is listed afresh (its unchanged messages keep their vectors,
moved by content). Messages are listed in pages, with progress in the log.
"""

import base64
import logging
import quopri
import ssl
from collections.abc import Iterator
from contextlib import suppress
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from functools import partial
from html import escape
from pathlib import PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from rag.connectors import RawSource, Scan, SourceFailure
from rag.connectors.network import check_host, host_and_port
from rag.connectors.web import URLRefusedError
from rag.plugins.kinds import ConnectorContext

log = logging.getLogger(__name__)

PORTS = {"imap": 143, "imaps": 993}
PAGE = 500  # messages listed per FETCH


class ImapConnector:
    schemes = ("imap", "imaps")

    def scan(self, uri: str, context: ConnectorContext) -> Scan:
        parts = urlsplit(uri)
        mailbox = unquote(parts.path.lstrip("/")) or "INBOX"
        try:
            host, port = host_and_port(parts, PORTS[parts.scheme])
            check_host(host, port, context.web_limits)
        except URLRefusedError as exc:
            return Scan(failures=[SourceFailure(uri, f"refused: {exc}")])
        user = unquote(parts.username or "")
        if not user or context.secret is None:
            failure = "an IMAP source needs a user (imaps://USER@host/MAILBOX) and --secret NAME"
            return Scan(failures=[SourceFailure(uri, failure)])
        base = f"{parts.scheme}://{quote(user, safe='')}@{host}:{port}/{quote(mailbox, safe='')}"
        try:
            client = _login(parts.scheme == "imaps", host, port, user, context)
        except LoginError as exc:
            return Scan(failures=[SourceFailure(base, f"login refused: {_text(exc)}")])
        except (OSError, IMAPClientError) as exc:
            return Scan(failures=[SourceFailure(base, f"cannot reach the server: {_text(exc)}")])
        try:
            return _list(_Mailbox(client), base, mailbox, context)
        except (OSError, IMAPClientError) as exc:
            client.shutdown()
            return Scan(failures=[SourceFailure(base, f"mailbox failed: {_text(exc)}")])


def _login(tls: bool, host: str, port: int, user: str, context: ConnectorContext) -> IMAPClient:
    client = IMAPClient(
        host,
        port=port,
        ssl=tls,
        ssl_context=ssl.create_default_context() if tls else None,
        timeout=context.web_limits.timeout_s,
    )
    try:
        client.login(user, context.secret)
    except BaseException:
        client.shutdown()
        raise
    return client


class _Mailbox:
    """The logged-in connection the sync reads messages through, one message at a time."""

    def __init__(self, client: IMAPClient) -> None:
        self.client = client
        self._last: tuple[int, bytes] | None = None

    def message(self, uid: int, max_bytes: int) -> bytes:
        if self._last is None or self._last[0] != uid:
            fetched = self.client.fetch([uid], ["BODY.PEEK[]"]).get(uid)
            if fetched is None:
                raise ValueError(f"message {uid} is gone from the mailbox")
            self._last = (uid, fetched[b"BODY[]"])
        data = self._last[1]
        if len(data) > max_bytes:
            raise ValueError(f"message is {len(data)} bytes, over the {max_bytes}-byte limit")
        return data

    def part(self, uid: int, section: str, encoding: str) -> bytes:
        key = f"BODY[{section}]".encode()
        fetched = self.client.fetch([uid], [f"BODY.PEEK[{section}]"]).get(uid) or {}
        data = fetched.get(key, b"") or b""
        if encoding == "base64":
            return base64.b64decode(data)
        if encoding == "quoted-printable":
            return quopri.decodestring(data)
        return data

    def __del__(self) -> None:
        with suppress(Exception):  # the connection may be gone already
            self.client.logout()


def _list(box: _Mailbox, base: str, mailbox: str, context: ConnectorContext) -> Scan:
    selected = box.client.select_folder(mailbox, readonly=True)
    validity = int(selected[b"UIDVALIDITY"])
    uids = sorted(box.client.search("ALL"))
    scan = Scan(scope=f"{base};UIDVALIDITY=")
    for start in range(0, len(uids), PAGE):
        page = uids[start : start + PAGE]
        fetched = box.client.fetch(page, ["ENVELOPE", "BODYSTRUCTURE", "RFC822.SIZE"])
        for uid in page:
            if uid in fetched:
                _add_message(
                    scan,
                    box,
                    f"{base};UIDVALIDITY={validity}/;UID={uid}",
                    uid,
                    fetched[uid],
                    mailbox,
                    context,
                )
        log.info("imap %s: listed %d of %d messages", base, start + len(page), len(uids))
    return scan


def _add_message(
    scan: Scan,
    box: _Mailbox,
    message_id: str,
    uid: int,
    data: dict,
    mailbox: str,
    context: ConnectorContext,
) -> None:
    envelope = data[b"ENVELOPE"]
    version = message_id.rsplit(";UIDVALIDITY=", 1)[1]
    metadata = {
        "subject": _decoded(envelope.subject),
        "from": ", ".join(_address(a) for a in envelope.from_ or ()),
        "date": envelope.date.isoformat() if envelope.date else "",
        "mailbox": mailbox,
    }
    size = int(data.get(b"RFC822.SIZE", 0))
    if size > context.max_bytes:
        failure = f"message is {size} bytes, over the {context.max_bytes}-byte limit"
        scan.failures.append(SourceFailure(message_id, failure))
        return
    modified = envelope.date.timestamp() if envelope.date else None
    read = partial(_message_text, box, uid, context.max_bytes)
    scan.sources.append(RawSource(message_id, "html", read, modified, metadata, version))
    for section, filename, encoding, part_size in _attachments(data[b"BODYSTRUCTURE"]):
        file_type = context.file_types.get(PurePosixPath(filename).suffix.lower())
        part_id = f"{message_id}/;SECTION={section}"
        if file_type is None:
            continue
        if part_size > context.max_bytes:
            failure = f"attachment is over the {context.max_bytes}-byte limit"
            scan.failures.append(SourceFailure(part_id, failure))
            continue
        read = partial(box.part, uid, section, encoding)
        shown = {**metadata, "attachment": filename}
        scan.sources.append(RawSource(part_id, file_type, read, modified, shown, version))


def _message_text(box: _Mailbox, uid: int, max_bytes: int) -> bytes:
    """The message as a small HTML page: its header lines, then its text (plain preferred)."""
    message = message_from_bytes(box.message(uid, max_bytes), policy=policy.default)
    assert isinstance(message, EmailMessage)
    lines = [
        f"{name}: {message[name]}" for name in ("Subject", "From", "To", "Date") if message[name]
    ]
    head = "".join(f"<p>{escape(line)}</p>\n" for line in lines)
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        text = ""
    elif body.get_content_type() == "text/html":
        text = body.get_content()
    else:
        text = "".join(f"<p>{escape(p)}</p>\n" for p in body.get_content().split("\n\n"))
    return f"<html><body>\n{head}{text}</body></html>\n".encode()


def _attachments(structure, prefix: str = "") -> Iterator[tuple[str, str, str, int]]:
    """(IMAP section, file name, transfer encoding, size) of each named part."""
    if structure.is_multipart:
        for number, child in enumerate(structure[0], start=1):
            yield from _attachments(child, f"{prefix}{number}.")
        return
    section = prefix.rstrip(".") or "1"
    params = dict(_pairs(structure[2]))
    disposition = next(
        (
            item
            for item in structure[7:]
            if isinstance(item, tuple)
            and len(item) == 2
            and isinstance(item[0], bytes)
            and item[0].lower() in (b"attachment", b"inline")
        ),
        None,
    )
    names = dict(_pairs(disposition[1])) if disposition else {}
    raw = names.get(b"filename") or params.get(b"name")
    if raw:
        encoding = (structure[5] or b"7bit").decode().lower()
        yield section, _decoded(raw), encoding, int(structure[6] or 0)


def _pairs(flat) -> Iterator[tuple[bytes, bytes]]:
    if not isinstance(flat, tuple):
        return
    for key, value in zip(flat[::2], flat[1::2], strict=False):
        if isinstance(key, bytes) and isinstance(value, bytes):
            yield key.lower(), value


def _decoded(raw: bytes | None) -> str:
    if not raw:
        return ""
    text = raw.decode("utf-8", "replace")
    try:
        return str(make_header(decode_header(text)))
    except (ValueError, LookupError):
        return text


def _address(address) -> str:
    mailbox = f"{_decoded(address.mailbox)}@{_decoded(address.host)}"
    name = _decoded(address.name)
    return f"{name} <{mailbox}>" if name else mailbox


def _text(exc: Exception) -> str:
    return str(
        exc.args[0].decode("utf-8", "replace")
        if exc.args and isinstance(exc.args[0], bytes)
        else exc
    )
