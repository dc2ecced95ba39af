"""The audit log's hash chain. Pure: an entry's hash is the SHA-256 of a canonical JSON of
its content and the previous entry's hash, so that the chain breaks at the first entry
that was changed, removed or inserted after it was written."""

from __future__ import annotations

import datetime
import hashlib
import json

GENESIS = "0" * 64


def canonical(content: dict) -> str:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entry_hash(
    *,
    seq: int,
    prev_hash: str,
    at: datetime.datetime,
    actor: str,
    action: str,
    target_type: str,
    target_id: str,
    target_repr: str,
    changes,
    note: str,
) -> str:
    content = {
        "seq": seq,
        "prev": prev_hash,
        "at": at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "target": [target_type, target_id, target_repr],
        "changes": changes,
        "note": note,
    }
    return hashlib.sha256(canonical(content).encode("utf-8")).hexdigest()


def first_break(entries, *, head_seq: int, head_hash: str):
    """The first entry (seq, reason) where the chain breaks, or None when it holds.
    `entries` are dicts of the stored fields in seq order (as `entry_hash` takes them plus
    "hash")."""
    prev, expected = GENESIS, 1
    for e in entries:
        if e["seq"] != expected:
            return expected, "missing" if e["seq"] > expected else "duplicate"
        if e["prev_hash"] != prev:
            return e["seq"], "link"
        recomputed = entry_hash(
            seq=e["seq"], prev_hash=e["prev_hash"], at=e["at"], actor=e["actor_key"],
            action=e["action"], target_type=e["target_type"], target_id=e["target_id"],
            target_repr=e["target_repr"], changes=e["changes"], note=e["note"],
        )  # fmt: skip
        if recomputed != e["hash"]:
            return e["seq"], "content"
        prev, expected = e["hash"], expected + 1
    if expected - 1 != head_seq or prev != head_hash:
        return expected, "truncated"
    return None
