"""Memory the store may fill with page cache: the host's MemAvailable, capped by the memory limit of
every cgroup above this process. A container's limit does not show in /proc/meminfo, and page
cache read past it only evicts what the queries need."""

from collections.abc import Iterator
from pathlib import Path

# (limit file, usage file, memory.stat key of the file pages the kernel reclaims first)
_V1 = ("memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file")
_V2 = ("memory.max", "memory.current", "inactive_file")


def available_memory(proc: Path = Path("/proc"), cgroups: Path = Path("/sys/fs/cgroup")) -> int:
    """Bytes; 0 where /proc/meminfo cannot be read (not Linux)."""
    try:
        host = int((proc / "meminfo").read_text().split("MemAvailable:")[1].split()[0]) * 1024
    except (OSError, IndexError, ValueError):
        return 0
    return max(0, min([host, *_headrooms(_read(proc / "self" / "cgroup"), cgroups)]))


def _headrooms(membership: str, cgroups: Path) -> Iterator[int]:
    for line in membership.splitlines():
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        if parts[1] == "":
            mount, names = cgroups, _V2
        elif "memory" in parts[1].split(","):
            mount, names = cgroups / "memory", _V1
        else:
            continue
        group = Path(parts[2].lstrip("/"))
        if ".." in group.parts or not (mount / group).is_dir():
            group = Path()  # a container with its own group mounted at the root
        for folder in [group, *group.parents]:
            headroom = _headroom(mount / folder, *names)
            if headroom is not None:
                yield headroom


def _headroom(folder: Path, limit_file: str, usage_file: str, reclaimable_key: str) -> int | None:
    try:
        limit = int((folder / limit_file).read_text())
        usage = int((folder / usage_file).read_text())
    except (OSError, ValueError):
        return None  # no limit here ("max"), or not a memory group
    stat = (line.partition(" ") for line in _read(folder / "memory.stat").splitlines())
    reclaimable = next((value for key, _, value in stat if key == reclaimable_key), "0")
    return limit - usage + int(reclaimable)


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""
