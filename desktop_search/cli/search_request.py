"""One search as the command line asks it: built from the parsed arguments, answered in this
process (commands.search_answer) or sent as JSON to a running instance (cli/client.py), which
checks it here before answering. Light: imported before anything heavy."""

from __future__ import annotations

import argparse
import os
from dataclasses import asdict, dataclass, fields
from typing import Any

MODES = ("hybrid", "vector", "keyword")
SORTS = ("relevance", "date", "name")


class BadRequest(ValueError):
    """A request a running instance cannot answer (sent by something other than our client)."""


@dataclass(frozen=True)
class SearchRequest:
    query: str
    limit: int = 10
    kinds: tuple[str, ...] = ()
    folders: tuple[str, ...] = ()  # absolute: the instance answering has its own working directory
    mode: str = "hybrid"
    passages: int = 0  # each file's best N passages shown
    sort: str = "relevance"
    nearest: bool = False  # list the nearest files even when none is close
    remember: bool = False  # join the recent searches (a query typed, not one of --queries)

    @classmethod
    def from_args(cls, args: argparse.Namespace, query: str, remember: bool) -> SearchRequest:
        return cls(
            query=query,
            limit=args.limit,
            kinds=tuple(args.kinds),
            folders=tuple(os.path.abspath(folder) for folder in args.folders),
            mode=args.mode,
            passages=args.passages,
            sort=args.sort,
            nearest=args.nearest,
            remember=remember,
        )

    def to_json(self) -> dict[str, Any]:
        return {"command": "search", **asdict(self)}

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> SearchRequest:
        """The request a client sent, or BadRequest saying what is wrong with it."""
        values = {f.name: record[f.name] for f in fields(cls) if f.name in record}
        if not isinstance(values.get("query"), str):
            raise BadRequest("query: a string is needed")
        for name in ("limit", "passages"):
            value = values.get(name, 0 if name == "passages" else 1)
            if not isinstance(value, int) or isinstance(value, bool) or value < (name == "limit"):
                raise BadRequest(f"{name}: a whole number of at least {int(name == 'limit')} is needed")
        for name in ("kinds", "folders"):
            value = values.get(name, [])
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                raise BadRequest(f"{name}: a list of strings is needed")
            values[name] = tuple(value)
        if any(not os.path.isabs(folder) for folder in values["folders"]):
            raise BadRequest("folders: absolute paths are needed")
        if values.get("mode", "hybrid") not in MODES:
            raise BadRequest(f"mode: one of {', '.join(MODES)}")
        if values.get("sort", "relevance") not in SORTS:
            raise BadRequest(f"sort: one of {', '.join(SORTS)}")
        for name in ("nearest", "remember"):
            if not isinstance(values.get(name, False), bool):
                raise BadRequest(f"{name}: true or false")
        return cls(**values)


def settings_key(settings: Any) -> dict[str, str | None]:
    """What must match for a running instance to answer as this process would: the same vector
    store, model and re-scoring (the data directory is the channel's own)."""
    return {
        name: None if getattr(settings, name) is None else str(getattr(settings, name))
        for name in ("chroma_url", "model_dir", "model_file", "reranker")
    }
