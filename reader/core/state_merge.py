"""Three-way merge of one paper's reader state, field by field.

For each field (read with read_at, starred, tags, notes, deleted, and any
other key a state record holds): a side that left the field as the common
ancestor had it takes the other side's value. Where both changed it:

* tags merge as sets: what either side added is added, what either removed
  is removed;
* notes keep both texts, the earlier change first, the later under a marked
  line (`NOTES_MARK`); a text that already holds the other is kept as is;
* any other field takes the value of the later change (`change_times`),
  ties broken by machine id.

Without an ancestor (a conflict copy, two libraries synced the first time)
every field is "changed on both sides": tags are joined, notes kept both,
the rest decided by the stamps. A field counts as changed when its value or
its stamp moved (tags and notes: when their value did).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .change_times import fields_of, later

#: The line between two texts of notes changed on two machines.
NOTES_MARK = "\n\n----- merged by reader sync: notes changed on another machine -----\n\n"
#: The order of a state record's keys (the others follow, sorted).
KEY_ORDER = ("read", "read_at", "starred", "tags", "notes", "deleted")


@dataclass
class StateMerge:
    """A paper's merged state record and stamps, and what needs telling."""

    doc: dict[str, Any] = field(default_factory=dict)
    stamps: dict[str, str] = field(default_factory=dict)
    notes_joined: bool = False


def merge_tags3(base: list[str] | None, ours: list[str], theirs: list[str]) -> list[str]:
    """Ours, less what theirs removed, plus what theirs added (in their order)."""
    before = set(base or ())
    removed = before - set(theirs)
    merged = [t for t in ours if t not in removed]
    have = set(merged)
    for tag in theirs:
        if tag not in before and tag not in have:
            have.add(tag)
            merged.append(tag)
    return merged


def merge_notes(ours: str, theirs: str, ours_first: bool) -> tuple[str, bool]:
    """Both texts of notes changed on two sides; True if they were joined."""
    if not ours or theirs in ours:
        return (theirs if not ours else ours), False
    if not theirs or ours in theirs:
        return (ours if not theirs else theirs), False
    first, second = (ours, theirs) if ours_first else (theirs, ours)
    return first.rstrip("\n") + NOTES_MARK + second, True


def merge_state(
    base: dict[str, Any] | None,
    ours: dict[str, Any],
    theirs: dict[str, Any],
    stamps: tuple[dict[str, str], dict[str, str], dict[str, str]],
) -> StateMerge:
    """The merged state of one paper (`base` None: no common ancestor), with
    the stamps of base, ours and theirs. A read, starred or other field set
    back to what it was is still a change (its stamp moved): a star taken
    back after the other machine's star wins over it."""
    base_t, ours_t, theirs_t = stamps
    b, o, t = fields_of(base or {}), fields_of(ours), fields_of(theirs)
    out = StateMerge()
    for name in [*o, *(n for n in t if n not in o), *(n for n in b if n not in o and n not in t)]:
        bv, ov, tv = b.get(name), o.get(name), t.get(name)
        os_, ts_ = ours_t.get(name), theirs_t.get(name)
        newer = later(ts_, os_)
        stamp = ts_ if newer else os_
        if stamp:
            out.stamps[name] = stamp
        by_value = name in ("tags", "notes")
        bs_ = base_t.get(name)
        if base is not None and ov == bv and (by_value or os_ == bs_):
            value = tv
        elif base is not None and tv == bv and (by_value or ts_ == bs_) or ov == tv:
            value = ov
        elif name == "tags":
            tags = merge_tags3(
                (bv or {}).get("tags") if base is not None else None,
                (ov or {}).get("tags", []), (tv or {}).get("tags", []),
            )
            value = {"tags": tags} if tags else None
        elif name == "notes":
            text, joined = merge_notes(
                str((ov or {}).get("notes", "")), str((tv or {}).get("notes", "")), ours_first=newer
            )
            out.notes_joined |= joined
            value = {"notes": text} if text else None
        else:
            value = tv if newer else ov
        out.doc.update(value or {})
    for name in (ours_t.keys() | theirs_t.keys()) - out.stamps.keys():
        a, z = ours_t.get(name), theirs_t.get(name)
        out.stamps[name] = z if later(z, a) else a  # type: ignore[assignment]
    out.doc = ordered(out.doc)
    out.stamps = dict(sorted((k, v) for k, v in out.stamps.items() if v))
    return out


def ordered(doc: dict[str, Any]) -> dict[str, Any]:
    keys = [k for k in KEY_ORDER if k in doc] + sorted(k for k in doc if k not in KEY_ORDER)
    return {k: doc[k] for k in keys if doc[k] not in (None, False, "", [])}
