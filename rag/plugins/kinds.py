"""The four kinds of plugin: what each one is (a Protocol) and what each call of it is given (a
typed context). A plugin author needs only these and the data types beside them, all exported by
`rag.plugins`.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from rag.connectors import Scan
from rag.ingest.pages import Page

if TYPE_CHECKING:
    from rag.connectors.web import WebLimits
    from rag.ingest.ocr import OcrConfig


class FetchError(Exception):
    """A web address was refused (not public, too large, too many redirects) or failed."""


@dataclass(frozen=True)
class Fetched:
    """One web response a connector asked for: its final URL (after redirects), its content type
    (`text/html`, lower case, no parameters) and its body."""

    url: str
    content_type: str
    body: bytes


@dataclass(frozen=True)
class ConnectorContext:
    """What a connector's `scan` is given for one URI.

    `options` are the plugin's own settings (RAG_PLUGIN_OPTIONS); `file_types` maps each file
    extension the enabled readers read (".md") to its file type ("md"); `max_bytes` is the
    largest source to take. Web addresses are fetched only through `fetch`, which refuses
    addresses that are not public (unless allowed by RAG_WEB_ALLOWED_HOSTS), follows redirects
    checking each hop, and bounds the size and time of the response.
    """

    options: Mapping[str, str]
    file_types: Mapping[str, str]
    max_bytes: int
    web_limits: "WebLimits"  # what `fetch` allows (RAG_WEB_ALLOWED_HOSTS, RAG_WEB_MAX_BYTES...)
    include: tuple[str, ...] = ()  # shell patterns a folder's files must match (the CLI's)
    exclude: tuple[str, ...] = ()
    roots: tuple[Path, ...] | None = None  # folders files may be read from; None: any named
    # The credential a kept-in-sync source names (`rag sources add --secret NAME`), resolved;
    # never to be put in a source id, a payload or an error message.
    secret: str | None = field(default=None, repr=False)
    # Service endpoints the operator set, by scheme ("s3": RAG_S3_ENDPOINT_URL).
    endpoints: Mapping[str, str] = field(default_factory=dict)

    def fetch(self, url: str) -> Fetched:
        """GET `url` (http or https) with every address checked and robots.txt respected;
        raises FetchError with the reason."""
        from rag.connectors.web import fetch_checked

        return fetch_checked(url, self.web_limits)


@runtime_checkable
class ConnectorPlugin(Protocol):
    """Where documents come from, for URIs of the given schemes (`feed+https://...`)."""

    schemes: Sequence[str]

    def scan(self, uri: str, context: ConnectorContext) -> Scan:
        """The sources found at `uri`. A `scope` on the scan (a prefix of the source ids it
        covers, such as "zip:///srv/a.zip#") makes the sync delete what is indexed under it but
        no longer found; it must start with one of the connector's own schemes and "://". A
        failure of one source goes into `failures`, not an exception."""
        ...


@dataclass(frozen=True)
class ReaderContext:
    """What a reader's `read` is given for one source."""

    source_id: str
    file_type: str
    options: Mapping[str, str]
    ocr: "OcrConfig | None" = None  # how the built-in PDF and image readers run Tesseract


@runtime_checkable
class ReaderPlugin(Protocol):
    """A file format: the bytes of a source of `file_type` → the text of its pages."""

    file_type: str
    extensions: Sequence[str]  # file name endings read as this type, with the dot: (".org",)

    def read(self, data: bytes, context: ReaderContext) -> list[Page]:
        """The pages, numbered from 1 for paged formats (None otherwise). Each table record's
        `start`/`end` must index into its page's text, and the text there must hold its
        cells' values; a reader whose spans do not resolve is rejected."""
        ...


@dataclass(frozen=True)
class ToolContext:
    """What a tool's `run` is given for one call."""

    options: Mapping[str, str]


@runtime_checkable
class ToolPlugin(Protocol):
    """A function the answer stage may call: by the tool route when `route` reads a question
    as one this tool answers outright, and by the model's own tool calls. Arguments are checked
    against `parameters` before `run` sees them."""

    name: str
    description: str
    # JSON schema of the arguments: {"type": "object", "properties": {NAME: {"type": T,
    # "description": ...}}, "required": [...]}, T one of string, integer, number, boolean.
    parameters: Mapping[str, Any]

    def run(self, arguments: dict[str, Any], context: ToolContext) -> str:
        """The result as text; raise ToolError with the reason to refuse the arguments."""
        ...

    def route(self, question: str, context: ToolContext) -> dict[str, Any] | None:
        """The arguments when `question` is one this tool answers on its own, else None."""
        ...


@dataclass(frozen=True)
class Passage:
    """A retrieved passage of the indexed documents, citable by an answer."""

    id: str
    source: str
    page: int | None
    start: int  # character offsets into the source's (page's) extracted text
    end: int
    text: str
    score: float


@dataclass(frozen=True)
class PluginAnswer:
    """An answerer's answer: its text and the passages it rests on (cited whole)."""

    text: str
    cited: Sequence[Passage] = ()


@dataclass
class AnswererContext:
    """One question being answered. `passages` are retrieved on first use; `call_tool` runs a
    registered tool under the same argument checks as every other call, and the call shows in
    the answer's tool trace."""

    question: str
    collection: str
    history: tuple[Mapping[str, str], ...]  # earlier turns: {"role": ..., "content": ...}
    options: Mapping[str, str]
    retrieve: Callable[[], list[Passage]] = field(repr=False)
    tool_caller: Callable[[str, dict[str, Any]], str] = field(repr=False)

    @property
    def passages(self) -> list[Passage]:
        return self.retrieve()

    def call_tool(self, name: str, arguments: dict[str, Any]) -> str:
        return self.tool_caller(name, arguments)


@runtime_checkable
class AnswererPlugin(Protocol):
    """A step of the answer chain: it answers, or returns None to let the next one try.

    `place` puts it in the chain: "before:NAME" or "after:NAME", NAME one of tool_route,
    document_arithmetic, model_tools, abstention, grounded_generation, extractive_quote."""

    name: str
    place: str

    def try_answer(self, context: AnswererContext) -> PluginAnswer | None: ...
