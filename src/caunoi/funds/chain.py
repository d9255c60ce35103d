"""The ledger's hash chain.

Each entry's hash is SHA-256 over the previous entry's hash and the entry's canonical content: a
JSON object with sorted keys, no spaces, UTF-8 (text in NFC), holding everything that gives the
entry its meaning: fund, sequence number, kind, signed amount, balance after it, booking date,
description, household reference, document number and the sequence number it reverses. The first
entry's previous hash is 64 zeros.

`verify` walks a fund's entries in order and reports the first one that does not hold: its hash does
not match its content, it does not point to the previous hash, its number skips, or its balance is
not the previous balance plus its amount. Anyone can recompute it from the public page's data.

Recomputing is also what someone with SQL access could do after editing a row, so the chain alone
proves nothing against them. Two things do:

- the **seal**: each entry also carries HMAC-SHA256 of its fund, number and hash under
  `LEDGER_KEY`, a secret of the app servers that is never in the database. A rewritten chain has
  hashes that fit but seals that do not (only the servers can check seals: `verify_ledgers`).
- **checkpoints** that leave the database: every published statement and poster prints the
  chain's position and tip (entry number and hash), and each is recorded (`Checkpoint`). A paper on
  the notice board, checked against today's ledger, catches even someone holding the key.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass

from django.conf import settings

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
    "seal",
)
TIP_SHOWN = 16  # hex digits of a tip printed on paper (64 bits: enough to match against)


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


def ledger_key() -> bytes:
    """The seal's key: LEDGER_KEY from the environment. Without it (a developer's machine) it is
    derived from SECRET_KEY; production refuses to start without LEDGER_KEY (`funds.E001`)."""
    key = settings.LEDGER_KEY
    if not key:
        key = hmac.new(
            settings.SECRET_KEY.encode(), b"caunoi.funds.ledger", hashlib.sha256
        ).hexdigest()
    return key.encode()


def seal(fund_id: int, seq: int, entry_hash_: str, *, key: bytes | None = None) -> str:
    message = f"{int(fund_id)}:{int(seq)}:{entry_hash_}".encode("ascii")
    return hmac.new(key or ledger_key(), message, hashlib.sha256).hexdigest()


def link(prev_hash: str, *, key: bytes | None = None, **content) -> tuple[str, str]:
    """The hash and the seal of the entry that follows `prev_hash`, from its content (the
    arguments of `canonical`): what the ledger's writer stores, and what a bulk loader of valid
    ledgers (the benchmarks) stores."""
    h = entry_hash(prev_hash, canonical(**content))
    return h, seal(content["fund_id"], content["seq"], h, key=key)


def tip_text(seq: int, tip_hash: str) -> str:
    """How a tip is printed: `#12 · 3f2a 91c0 7be4 5d18` (the first TIP_SHOWN hex digits)."""
    shown = (tip_hash or GENESIS)[:TIP_SHOWN]
    return f"#{seq} · " + " ".join(shown[i : i + 4] for i in range(0, len(shown), 4))


def parse_tip(text: str) -> str:
    """A tip as typed from paper (spaces, upper case) → lower-case hex digits ("" if it is not)."""
    digits = "".join(text.split()).lower()
    return digits if digits and all(c in "0123456789abcdef" for c in digits) else ""


@dataclass
class Verdict:
    ok: bool
    entries: int
    balance: int
    bad_seq: int | None = None
    # "hash", "link", "sequence", "balance", "seal", "tip", and (from the selectors' cross-checks)
    # "checkpoint" (a published tip no longer matches) and "missing" (an approved expense or a
    # receipt has lost its entry)
    problem: str = ""
    tip_hash: str = ""  # the last entry's hash (GENESIS for an empty ledger)


def verify_rows(
    fund_id: int, rows, *, tip_seq=None, tip_hash=None, tip_balance=None, checkpoints=None
) -> Verdict:
    """`rows`: tuples in FIELDS order, by seq. The fund's kept tip, when given, must match the
    last entry (a deleted last row is caught here). `checkpoints` ({seq: hash}, published tips):
    each must still be the hash of its entry (a rewritten or shortened ledger is caught here, even
    by someone holding the key)."""
    key = ledger_key()
    checkpoints = checkpoints or {}
    prev, expected_seq, balance, n = GENESIS, 1, 0, 0
    for row in rows:
        seq, kind, amount, bal, booked_on, desc, household, document, rev, prev_hash, h, s = row
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
        if not hmac.compare_digest(s, seal(fund_id, seq, h, key=key)):
            return Verdict(False, n, balance, bad_seq=seq, problem="seal")
        if seq in checkpoints and checkpoints[seq] != h:
            return Verdict(False, n, balance, bad_seq=seq, problem="checkpoint")
        prev, balance, expected_seq = h, bal, seq + 1
    beyond = [seq for seq in checkpoints if seq > n]
    if beyond:
        return Verdict(False, n, balance, bad_seq=min(beyond), problem="checkpoint")
    if tip_seq is not None and (tip_seq != n or (n and tip_hash != prev) or tip_balance != balance):
        return Verdict(False, n, balance, bad_seq=n + 1 if tip_seq > n else n, problem="tip")
    return Verdict(True, n, balance, tip_hash=prev)
