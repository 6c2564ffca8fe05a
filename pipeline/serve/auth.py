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

MAX_FAILURES = 5  # wrong logins of one account from one address, in WINDOW seconds
# wrong logins from one address, whatever the account: high, since a whole commune office, or
# every commune behind the province's network, may reach the page from one address
MAX_FAILURES_ADDRESS = 100
WINDOW = 15 * 60
MAX_NAME = 100  # an account name is a commune's code: longer is kept no further than this
# argon2 checks at once: each holds 64 MiB, and a burst of logins must not take the machine's
# memory (nor both cores from the worker's checks)
VERIFYING = threading.BoundedSemaphore(2)


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
    """Whether `code` is the one `stored` is the hash of (a missing account: never, as slowly).
    At most `VERIFYING` at once; the others wait their turn."""
    with VERIFYING:
        try:
            return HASHER.verify(stored or _DUMMY, normalised(code)[:64]) and stored is not None
        except (VerificationError, InvalidHashError):
            return False


class Attempts:
    """Wrong logins in the last `WINDOW` seconds, by account and address together and by
    address alone (in memory: a restart forgets them, which the argon2 cost and the codes'
    length make harmless).

    A try is counted as wrong *before* its code is checked (`begin`) and forgiven once it
    proves right (`success`): logins sent all at once cannot pass the limit together. The
    limit is per account *and* address, never per account alone: a stranger typing wrong codes
    for the province's account locks out his own address, not the province (docs/server.md)."""

    def __init__(self, clock=time.monotonic) -> None:
        self.clock = clock
        self.failed: dict[tuple[str, ...], deque[float]] = {}
        self.lock = threading.Lock()

    def _recent(self, key: tuple[str, ...]) -> deque[float]:
        """The times still in the window (read only: a key is made by `_add` alone, and goes
        when its last time leaves the window)."""
        times = self.failed.get(key, deque())
        while times and times[0] <= self.clock() - WINDOW:
            times.popleft()
        if not times:
            self.failed.pop(key, None)
        return times

    def _keys(self, account: str, address: str) -> tuple[tuple[tuple[str, ...], int], ...]:
        return (("tk", account[:MAX_NAME], address), MAX_FAILURES), (
            ("ip", address),
            MAX_FAILURES_ADDRESS,
        )

    def _wait(self, account: str, address: str) -> int:
        waits = [
            int(times[0] + WINDOW - self.clock()) + 1
            for key, limit in self._keys(account, address)
            if len(times := self._recent(key)) >= limit
        ]
        return max(waits, default=0)

    def wait(self, account: str, address: str) -> int:
        """Seconds until this account may try again from this address; 0 if now."""
        with self.lock:
            return self._wait(account, address)

    def begin(self, account: str, address: str) -> int:
        """A login starting: 0, and the try counted as wrong until `success` says otherwise; or
        the seconds to wait, and nothing counted."""
        with self.lock:
            wait = self._wait(account, address)
            if not wait:
                now = self.clock()
                for key, _ in self._keys(account, address):
                    self.failed.setdefault(key, deque()).append(now)
            return wait

    def failure(self, account: str, address: str) -> None:
        """A wrong login counted (`begin` already counts the tries it lets through)."""
        with self.lock:
            now = self.clock()
            for key, _ in self._keys(account, address):
                self.failed.setdefault(key, deque()).append(now)

    def success(self, account: str, address: str) -> None:
        """The try `begin` counted was right: the account's wrong tries from this address are
        forgotten, and this one taken off the address's count."""
        with self.lock:
            (mine, _), (theirs, _) = self._keys(account, address)
            self.failed.pop(mine, None)
            times = self.failed.get(theirs)
            if times:
                times.pop()
                if not times:
                    self.failed.pop(theirs, None)


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
