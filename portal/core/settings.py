"""Settings declared once per feature: name, default, type and one-line meaning.

Each feature lists its settings as a :class:`Feature`; :func:`fill` puts the
defaults into a settings dict and validates every value once, at the start of
a run. A wrong type, a value out of range or an unknown name with the
feature's prefix (``RELATED_MAXX``) stops the run with a :class:`SettingsError`
that names the setting, the settings file and what is expected, in Vietnamese.
"""
from __future__ import annotations

import copy
import difflib
from dataclasses import dataclass
from typing import Any, Callable

Check = Callable[[Any], bool]


@dataclass(frozen=True)
class Kind:
    """What a value must be, with the words an editor reads when it is not."""

    expected: str
    accepts: Check


def integer(low: int | None = None, high: int | None = None) -> Kind:
    bounds = _bounds(low, high)
    return Kind(f"một số nguyên{bounds}", lambda v: _is_int(v) and _within(v, low, high))


def number(low: float | None = None, high: float | None = None) -> Kind:
    bounds = _bounds(low, high)
    return Kind(f"một số{bounds}", lambda v: _is_number(v) and _within(v, low, high))


def optional_integer(low: int | None = None) -> Kind:
    inner = integer(low)
    return Kind(f"None hoặc {inner.expected}", lambda v: v is None or inner.accepts(v))


BOOLEAN = Kind("True hoặc False", lambda v: isinstance(v, bool))
TEXT = Kind("một chuỗi ký tự, ví dụ \"abc\"", lambda v: isinstance(v, str))
OPTIONAL_TEXT = Kind("None hoặc một chuỗi ký tự", lambda v: v is None or isinstance(v, str))
TEXT_LIST = Kind("một danh sách chuỗi, ví dụ (\".html\", \".css\")",
                 lambda v: isinstance(v, (list, tuple)) and all(isinstance(i, str) for i in v))
MAPPING = Kind("một từ điển {\"khóa\": giá trị}", lambda v: isinstance(v, dict))


def choice(*values: str) -> Kind:
    return Kind(f"một trong {', '.join(repr(v) for v in values)}", lambda v: v in values)


def integers(count: int | None = None, low: int = 1) -> Kind:
    size = f"{count} " if count else ""
    return Kind(
        f"một bộ {size}số nguyên ≥ {low}, ví dụ {tuple(range(480, 480 * ((count or 2) + 1), 480))}",
        lambda v: isinstance(v, (list, tuple)) and len(v) > 0 and (count is None or len(v) == count)
        and all(_is_int(i) and i >= low for i in v),
    )


def weights(names: tuple[str, ...]) -> Kind:
    return Kind(
        f"một từ điển trọng số (số ≥ 0) với các khóa trong {', '.join(names)}",
        lambda v: isinstance(v, dict) and all(k in names and _is_number(w) and w >= 0 for k, w in v.items()),
    )


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    kind: Kind
    meaning: str


@dataclass(frozen=True)
class Feature:
    name: str
    prefix: str
    settings: tuple[Setting, ...]

    def defaults(self) -> dict[str, Any]:
        return {s.name: copy.deepcopy(s.default) for s in self.settings}


class SettingsError(Exception):
    """A settings file holds a value a feature cannot use; the message is for editors."""


def source_of(settings: dict) -> str:
    return settings.get("PORTAL_SETTINGS_FILE") or "tệp cài đặt (pelicanconf.py)"


def fill(settings: dict, feature: Feature) -> dict:
    """Add the feature's defaults and validate its values; raise :class:`SettingsError` on any problem."""
    declared = {s.name: s for s in feature.settings}
    found: list[str] = []
    for key in sorted(settings):
        if key.startswith(feature.prefix) and key not in declared:
            guess = difflib.get_close_matches(key, list(declared), n=1, cutoff=0.6)
            hint = f"; có phải ý bạn là '{guess[0]}'?" if guess else ""
            found.append(f"cài đặt '{key}' không tồn tại{hint} (các cài đặt của {feature.name}: "
                         f"{', '.join(declared)})")
    for setting in feature.settings:
        if setting.name not in settings:
            settings[setting.name] = copy.deepcopy(setting.default)
        elif not setting.kind.accepts(settings[setting.name]):
            found.append(f"cài đặt '{setting.name}' = {settings[setting.name]!r} không hợp lệ: cần "
                         f"{setting.kind.expected} ({setting.meaning})")
    if found:
        where = source_of(settings)
        raise SettingsError("\n".join(f"{where}: lỗi: {message}" for message in found))
    return settings


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _within(value: float, low: float | None, high: float | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def _bounds(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f" từ {low} đến {high}"
    if low is not None:
        return f" ≥ {low}"
    if high is not None:
        return f" ≤ {high}"
    return ""
