"""How much memory the store may fill with page cache: the host's, capped by its cgroups."""

from pathlib import Path

from rag.store.host_memory import available_memory

GIB = 1 << 30


def _proc(root: Path, cgroup_lines: str, mem_available_kib: int = 20 * GIB // 1024) -> Path:
    proc = root / "proc"
    (proc / "self").mkdir(parents=True)
    (proc / "meminfo").write_text(
        f"MemTotal:       24000000 kB\nMemAvailable:   {mem_available_kib} kB\n"
    )
    (proc / "self" / "cgroup").write_text(cgroup_lines)
    return proc


def _group(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)


def test_without_a_cgroup_limit_it_is_the_hosts_available_memory(tmp_path: Path) -> None:
    proc = _proc(tmp_path, "0::/\n")
    _group(tmp_path / "cg", {"memory.max": "max\n", "memory.current": "0\n"})
    assert available_memory(proc, tmp_path / "cg") == 20 * GIB


def test_a_v2_limit_caps_it_and_counts_inactive_file_pages_as_free(tmp_path: Path) -> None:
    proc = _proc(tmp_path, "0::/app.slice/rag\n")
    _group(
        tmp_path / "cg" / "app.slice" / "rag",
        {
            "memory.max": f"{3 * GIB}\n",
            "memory.current": f"{2 * GIB}\n",
            "memory.stat": f"anon 1\nactive_file 5\ninactive_file {GIB // 2}\n",
        },
    )
    assert available_memory(proc, tmp_path / "cg") == 3 * GIB - (2 * GIB - GIB // 2)


def test_a_tighter_limit_on_a_parent_group_wins(tmp_path: Path) -> None:
    proc = _proc(tmp_path, "0::/outer/inner\n")
    _group(tmp_path / "cg" / "outer", {"memory.max": f"{2 * GIB}\n", "memory.current": "0\n"})
    _group(
        tmp_path / "cg" / "outer" / "inner",
        {"memory.max": f"{8 * GIB}\n", "memory.current": "0\n"},
    )
    assert available_memory(proc, tmp_path / "cg") == 2 * GIB


def test_a_v1_memory_controller_limit_caps_it(tmp_path: Path) -> None:
    proc = _proc(tmp_path, "5:devices:/\n4:memory:/process_api/abc\n0::/\n")
    _group(
        tmp_path / "cg" / "memory" / "process_api" / "abc",
        {
            "memory.limit_in_bytes": f"{GIB}\n",
            "memory.usage_in_bytes": f"{GIB // 4}\n",
            "memory.stat": "inactive_file 7\ntotal_inactive_file 0\n",
        },
    )
    _group(tmp_path / "cg" / "memory", {"memory.limit_in_bytes": "9223372036854771712\n"})
    assert available_memory(proc, tmp_path / "cg") == GIB - GIB // 4


def test_a_container_that_sees_its_group_as_the_mount_root_is_capped_too(tmp_path: Path) -> None:
    # cgroup v1 without a cgroup namespace: /proc/self/cgroup names the host's path for the group,
    # but the container has its own group mounted at the root.
    proc = _proc(tmp_path, "4:memory:/docker/0123abcd\n")
    _group(
        tmp_path / "cg" / "memory",
        {"memory.limit_in_bytes": f"{GIB}\n", "memory.usage_in_bytes": "0\n"},
    )
    assert available_memory(proc, tmp_path / "cg") == GIB


def test_a_full_group_leaves_nothing_and_unreadable_files_leave_nothing(tmp_path: Path) -> None:
    proc = _proc(tmp_path, "0::/\n")
    _group(tmp_path / "cg", {"memory.max": f"{GIB}\n", "memory.current": f"{2 * GIB}\n"})
    assert available_memory(proc, tmp_path / "cg") == 0
    assert available_memory(tmp_path / "no-proc", tmp_path / "no-cgroup") == 0
