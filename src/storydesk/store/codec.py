"""Records to JSON-compatible values and back, driven by the dataclass type hints.

The store keeps some records as JSON (facts, story scores). Decoding by type hints (not by
pickling) keeps the database readable by other tools and tolerant of additive changes: a
field added to a record later gets its default when old rows are read; a field removed is
ignored.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from datetime import date, datetime
from typing import Any, TypeVar

T = TypeVar("T")


def encode(value: Any) -> Any:
    """Encode a record (or any nesting of records, tuples, dicts, dates) as JSON-compatible data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    return value


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    import storydesk.records as records_module

    return typing.get_type_hints(cls, globalns=vars(records_module) | {"date": date, "datetime": datetime})


def decode(cls: type[T], data: Any) -> T:
    """Decode data produced by :func:`encode` back into an instance of ``cls``.

    Args:
        cls: a dataclass type from :mod:`storydesk.records`.
        data: the JSON-compatible value.

    Raises:
        TypeError: ``data`` does not fit ``cls``.
    """
    return _decode(cls, data)


def _decode(tp: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        for arg in args:
            try:
                return _decode(arg, data)
            except (TypeError, ValueError):
                continue
        raise TypeError(f"cannot decode {data!r} as {tp}")
    if origin is typing.Literal:
        return data
    if tp is Any:
        return data
    if dataclasses.is_dataclass(tp):
        if not isinstance(data, dict):
            raise TypeError(f"expected an object for {tp.__name__}, got {type(data).__name__}")
        hints = _hints(tp)
        kwargs = {f.name: _decode(hints[f.name], data[f.name]) for f in dataclasses.fields(tp) if f.name in data}
        return tp(**kwargs)
    if tp is datetime:
        return datetime.fromisoformat(data)
    if tp is date:
        if not isinstance(data, str) or len(data) != 10:
            raise ValueError(f"not a date: {data!r}")
        return date.fromisoformat(data)
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], v) for v in data)
        return tuple(_decode(a, v) for a, v in zip(args, data))
    if origin is list:
        (arg,) = typing.get_args(tp)
        return [_decode(arg, v) for v in data]
    if origin is dict:
        _, vt = typing.get_args(tp)
        return {k: _decode(vt, v) for k, v in data.items()}
    if tp in (int, float, str, bool):
        if tp is float and isinstance(data, int):
            return float(data)
        if not isinstance(data, tp):
            raise TypeError(f"expected {tp.__name__}, got {type(data).__name__}")
        return data
    return data
