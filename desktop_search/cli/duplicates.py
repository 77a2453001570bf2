"""`desktop-search duplicates`: identical groups, then near-identical ones, largest waste first."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from desktop_search.core.duplicates import DuplicateGroup
from desktop_search.services import Services


def duplicates(services: Services, as_json: bool) -> int:
    groups = services.duplicates().find()
    if as_json:
        print(json.dumps([group_json(g) for g in groups], ensure_ascii=False, indent=2))
    else:
        print_groups(groups, sys.stdout)
    return 0


def group_json(group: DuplicateGroup) -> dict[str, Any]:
    return {
        "identical": group.identical,
        "similarity": round(group.similarity, 4),
        "paths": list(group.paths),
        "sizes": list(group.sizes),
        "total": group.total,
        "wasted": group.wasted,
    }


def print_groups(groups: list[DuplicateGroup], out: TextIO) -> None:
    if not groups:
        out.write("no duplicates\n")
        return
    identical = [g for g in groups if g.identical]
    near = [g for g in groups if not g.identical]
    for title, chosen in (("Identical files", identical), ("Near-identical files", near)):
        if not chosen:
            continue
        wasted = sum(g.wasted for g in chosen)
        groups_said = f"{len(chosen)} group{'s' if len(chosen) != 1 else ''}"
        out.write(f"{title}: {groups_said}, {human_size(wasted)} in extra copies\n\n")
        for group in chosen:
            what = f"{len(group.paths)} copies" if group.identical else f"{len(group.paths)} files"
            alike = "" if group.identical else f", {group.similarity:.1%} alike"
            out.write(f"{what}{alike}: {human_size(group.total)} in all, {human_size(group.wasted)} extra\n")
            for path, size in zip(group.paths, group.sizes):
                out.write(f"  {human_size(size):>9}  {path}\n")
            out.write("\n")


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"
