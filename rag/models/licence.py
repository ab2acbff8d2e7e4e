"""Licence classes from a GGUF's `general.license*` keys.

permissive: use, change and ship, keeping the notice (Apache-2.0, MIT, BSD...).
conditional: open weights with conditions a user must read (the Llama licences forbid using
outputs to improve other LLMs and cap monthly users; the Gemma terms carry a prohibited-use
policy; non-commercial and share-alike licences).
unknown: no licence in the file, or one we do not recognise.
"""

from dataclasses import dataclass
from typing import Literal

LicenceClass = Literal["permissive", "conditional", "unknown"]

PERMISSIVE = {
    "apache-2.0", "mit", "bsd", "bsd-2-clause", "bsd-3-clause", "bsd-3-clause-clear", "isc",
    "unlicense", "cc0-1.0", "cc-by-3.0", "cc-by-4.0", "zlib", "bsl-1.0", "artistic-2.0",
}  # fmt: skip

# Prefixes of licence ids with conditions, and the condition to show.
CONDITIONS = {
    "llama2": "Llama 2 licence: outputs may not improve other LLMs; 700M+ monthly users need "
    "Meta's permission",
    "llama": "Llama community licence: acceptable-use policy; 700M+ monthly users need Meta's "
    "permission; 'Built with Llama' attribution",
    "gemma": "Gemma terms of use: prohibited-use policy passes to everyone you share it with",
    "cc-by-nc": "non-commercial use only",
    "cc-by-sa": "share-alike: what you derive must carry the same licence",
    "openrail": "OpenRAIL: use restrictions pass to everyone you share it with",
    "creativeml-openrail": "OpenRAIL: use restrictions pass to everyone you share it with",
    "bigscience": "BigScience RAIL: use restrictions pass to everyone you share it with",
    "gpl": "copyleft: what you distribute must carry the GPL",
    "agpl": "copyleft, also over a network",
    "lgpl": "weak copyleft",
    "mpl": "weak copyleft (file level)",
    "qwen": "Qwen licence: 100M+ monthly users need Alibaba's permission",
    "tongyi-qianwen": "Qwen licence: 100M+ monthly users need Alibaba's permission",
    "deepseek": "DeepSeek licence: use restrictions",
    "falcon": "Falcon licence: conditions on hosted use",
}


@dataclass(frozen=True)
class Licence:
    name: str | None  # as written in the file; None when the file names none
    link: str | None
    licence_class: LicenceClass
    note: str


def classify(license_id: str | None, name: str | None = None, link: str | None = None) -> Licence:
    """`general.license` (an SPDX-like id, or "other" with `general.license.name`)."""
    shown = name if license_id in (None, "other") and name else license_id
    key = (shown or "").strip().lower()
    if not key:
        return Licence(None, link, "unknown", "the file names no licence: check its source")
    if key in PERMISSIVE:
        return Licence(shown, link, "permissive", "keep the licence notice")
    for prefix in sorted(CONDITIONS, key=len, reverse=True):
        if key.startswith(prefix):
            return Licence(shown, link, "conditional", CONDITIONS[prefix])
    return Licence(shown, link, "unknown", f"licence {shown!r} is not one we know: read it")
