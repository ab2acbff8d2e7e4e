"""Plugin distributions made on the fly for tests: a module and its `NAME-VERSION.dist-info`
(METADATA, entry_points.txt) in a folder put on sys.path, which importlib.metadata reads exactly
as it reads what pip installs."""

import sys
from pathlib import Path

import pytest


def install_distribution(
    monkeypatch: pytest.MonkeyPatch,
    root: Path,
    name: str,
    modules: dict[str, str],
    entry_points: dict[str, dict[str, str]],
) -> None:
    """`modules`: module name → source; `entry_points`: group → {entry name: "module:attr"}."""
    root.mkdir(parents=True, exist_ok=True)
    for module, source in modules.items():
        (root / f"{module}.py").write_text(source)
        sys.modules.pop(module, None)  # a module of an earlier test by this name
    info = root / f"{name.replace('-', '_')}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        "".join(
            f"[{group}]\n" + "".join(f"{k} = {v}\n" for k, v in points.items()) + "\n"
            for group, points in entry_points.items()
        )
    )
    monkeypatch.syspath_prepend(str(root))
