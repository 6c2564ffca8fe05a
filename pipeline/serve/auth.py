"""Who may do what: access codes (made here, printed once, kept only as argon2id hashes), the
limit on wrong logins, the CSRF token every form carries, and which pages an account sees."""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from pipeline.serve.store import PROVINCE

# no 0/O, 1/I/L: a code is read aloud on the phone and typed by hand
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
GROUPS, GROUP = 4, 4  # 16 letters of 31: 79 bits

HASHER = PasswordHasher()  # argon2id, the library's defaults (64 MiB, 3 passes)
# verified when the account does not exist, so that a wrong name costs as long as a wrong code
_DUMMY = HASHER.hash(secrets.token_hex(16))

MAX_FAILURES = 5  # wrong logins of one account, or from one address, in WINDOW seconds
MAX_FAILURES_ADDRESS = 20
WINDOW = 15 * 60


def new_code() -> str:
    """A fresh access code: `ABCD-EFGH-JKMN-PQRS`."""
    letters = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP))
    return "-".join(letters[i : i + GROUP] for i in range(0, len(letters), GROUP))


def normalised(code: str) -> str:
    """A code as typed: any case, with or without dashes and spaces."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def hashed(code: str) -> str:
    return HASHER.hash(normalised(code))


def verify(stored: str | None, code: str) -> bool:
    """Whether `code` is the one `stored` is the hash of (a missing account: never, as slowly)."""
    try:
        return HASHER.verify(stored or _DUMMY, normalised(code)) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


class Attempts:
    """Wrong logins in the last `WINDOW` seconds, by account and by address (in memory: a
    restart forgets them, which the argon2 cost and the codes' length make harmless)."""

    def __init__(self, clock=time.monotonic) -> None:
        self.clock = clock
        self.failed: dict[str, deque[float]] = {}
        self.lock = threading.Lock()

    def _recent(self, key: str) -> deque[float]:
        times = self.failed.setdefault(key, deque())
        while times and times[0] <= self.clock() - WINDOW:
            times.popleft()
        return times

    def wait(self, account: str, address: str) -> int:
        """Seconds until this account may try again from this address; 0 if now."""
        with self.lock:
            waits = [
                int(times[0] + WINDOW - self.clock()) + 1
                for key, limit in (
                    (f"tk:{account}", MAX_FAILURES),
                    (f"ip:{address}", MAX_FAILURES_ADDRESS),
                )
                if len(times := self._recent(key)) >= limit
            ]
        return max(waits, default=0)

    def failure(self, account: str, address: str) -> None:
        with self.lock:
            for key in (f"tk:{account}", f"ip:{address}"):
                self._recent(key).append(self.clock())

    def success(self, account: str) -> None:
        with self.lock:
            self.failed.pop(f"tk:{account}", None)


def csrf_token(session: dict) -> str:
    """This session's CSRF token, made on first use."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def csrf_ok(session: dict, sent: object) -> bool:
    expected = session.get("csrf")
    return (
        isinstance(expected, str)
        and isinstance(sent, str)
        and hmac.compare_digest(expected.encode(), sent.encode())
    )


def may_see(account: str | None, ma_xa: str) -> bool:
    """A commune sees only its own pages; the province sees every commune's."""
    return account is not None and account in (PROVINCE, ma_xa)
