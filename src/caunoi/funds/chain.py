"""The ledger's hash chain.

Each entry's hash is SHA-256 over the previous entry's hash and the entry's canonical content: a
JSON object with sorted keys, no spaces, UTF-8 (text in NFC), holding everything that gives the
entry its meaning: fund, sequence number, kind, signed amount, balance after it, booking date,
description, household reference, document number and the sequence number it reverses. The first
entry's previous hash is 64 zeros.

`verify` walks a fund's entries in order and reports the first one that does not hold: its hash does
not match its content, it does not point to the previous hash, its number skips, or its balance is
not the previous balance plus its amount. Anyone can recompute it from the public page's data.
"""

import hashlib
import json
from dataclasses import dataclass

GENESIS = "0" * 64
# The columns `verify` reads, in this order (values_list: no model instances, fast at scale).
FIELDS = (
    "seq",
    "kind",
    "amount",
    "balance",
    "booked_on",
    "description",
    "household_ref",
    "document",
    "reverses__seq",
    "prev_hash",
    "hash",
)


def canonical(
    *,
    fund_id: int,
    seq: int,
    kind: str,
    amount: int,
    balance: int,
    booked_on,
    description: str,
    household_ref: str,
    document: str,
    reverses_seq: int | None,
) -> bytes:
    content = {
        "fund": int(fund_id),
        "seq": int(seq),
        "kind": kind,
        "amount": int(amount),
        "balance": int(balance),
        "booked_on": booked_on.isoformat(),
        "description": description,
        "household": household_ref,
        "document": document,
        "reverses": reverses_seq,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(prev_hash: str, content: bytes) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + content).hexdigest()


@dataclass
class Verdict:
    ok: bool
    entries: int
    balance: int
    bad_seq: int | None = None
    problem: str = ""  # "hash", "link", "sequence", "balance", "tip"


def verify_rows(fund_id: int, rows, *, tip_seq=None, tip_hash=None, tip_balance=None) -> Verdict:
    """`rows`: tuples in FIELDS order, by seq. The fund's kept tip, when given, must match the
    last entry (a deleted last row is caught here)."""
    prev, expected_seq, balance, n = GENESIS, 1, 0, 0
    for seq, kind, amount, bal, booked_on, desc, household, document, rev, prev_hash, h in rows:
        n += 1
        if seq != expected_seq:
            return Verdict(False, n, balance, bad_seq=seq, problem="sequence")
        if prev_hash != prev:
            return Verdict(False, n, balance, bad_seq=seq, problem="link")
        content = canonical(
            fund_id=fund_id,
            seq=seq,
            kind=kind,
            amount=amount,
            balance=bal,
            booked_on=booked_on,
            description=desc,
            household_ref=household,
            document=document,
            reverses_seq=rev,
        )
        if entry_hash(prev, content) != h:
            return Verdict(False, n, balance, bad_seq=seq, problem="hash")
        if bal != balance + amount:
            return Verdict(False, n, balance, bad_seq=seq, problem="balance")
        prev, balance, expected_seq = h, bal, seq + 1
    if tip_seq is not None and (tip_seq != n or (n and tip_hash != prev) or tip_balance != balance):
        return Verdict(False, n, balance, bad_seq=n + 1 if tip_seq > n else n, problem="tip")
    return Verdict(True, n, balance)
