"""The intake page's own folder beside `raw/` (`nop/`) and its SQLite database: access codes
(argon2id hashes only), the new communes the province declared with their old communes, and
every upload with its result. Migrations are kept here, in order; `PRAGMA user_version` says
how many a database has had.

A connection per thread, kept: the page's threads and the build worker each have their own
(SQLite serialises writers; `timeout` waits for the other)."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

FOLDER = "nop"  # beside raw/, never inside output/
DATABASE = "lich_su.sqlite3"
DRAFTS = "nhap"  # every upload as sent, drafts included
SECRET = "khoa"  # the cookie-signing secret
PROVINCE = "tinh"  # the province's account name

MIGRATIONS: tuple[str, ...] = (
    # 1: accounts, the province's declarations, the history of uploads
    """
    CREATE TABLE tai_khoan (
        ten TEXT PRIMARY KEY,            -- a new commune's code, or 'tinh'
        bam TEXT NOT NULL,               -- argon2id hash of the access code
        tao_luc TEXT NOT NULL
    );
    CREATE TABLE xa_moi (
        ma_xa TEXT PRIMARY KEY,
        khai_luc TEXT NOT NULL
    );
    CREATE TABLE thanh_vien (
        ma_xa TEXT NOT NULL REFERENCES xa_moi (ma_xa),
        ma_xa_cu TEXT NOT NULL UNIQUE,   -- an old commune belongs to one new commune
        PRIMARY KEY (ma_xa, ma_xa_cu)
    );
    CREATE TABLE lan_gui (
        id INTEGER PRIMARY KEY,
        ma_xa TEXT NOT NULL,             -- the new commune it was sent for
        nguoi_gui TEXT NOT NULL,         -- the account that sent it
        luc TEXT NOT NULL,               -- when (UTC, ISO 8601)
        ten_tep TEXT NOT NULL,           -- its name as sent: shown, never used as a path
        kich_thuoc INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        tep_luu TEXT NOT NULL,           -- its copy under nop/nhap/, named by the server
        trang_thai TEXT NOT NULL,
        van_de TEXT NOT NULL DEFAULT '[]',
        bang TEXT NOT NULL DEFAULT '',   -- the sheets as HTML tables (escaped by the renderer)
        dich TEXT NOT NULL DEFAULT '',   -- where it went in raw/, once accepted
        danh_dau TEXT NOT NULL DEFAULT '',
        so_loi INTEGER NOT NULL DEFAULT 0,
        so_canh_bao INTEGER NOT NULL DEFAULT 0,
        so_phat_hien INTEGER NOT NULL DEFAULT 0,
        xong_luc TEXT
    );
    CREATE INDEX lan_gui_xa ON lan_gui (ma_xa, id);
    """,
    # 2: the names the province gives, for the blank forms of communes not in raw/ yet
    """
    ALTER TABLE xa_moi ADD COLUMN ten TEXT NOT NULL DEFAULT '';
    ALTER TABLE xa_moi ADD COLUMN tinh TEXT NOT NULL DEFAULT '';
    ALTER TABLE thanh_vien ADD COLUMN ten_xa_cu TEXT NOT NULL DEFAULT '';
    """,
    # 3: a draft made from a Word report and sent: the upload of the report it was made from
    """
    ALTER TABLE lan_gui ADD COLUMN tu_lan INTEGER REFERENCES lan_gui (id);
    """,
    # 4: the sessions logged out before their time (a signed cookie lives on in the browser
    # that kept it: its number here ends it)
    """
    CREATE TABLE phien_da_dong (
        so TEXT PRIMARY KEY,             -- the session's own random number
        luc TEXT NOT NULL                -- when it was logged out (UTC)
    );
    """,
)


def folder_of(raw: Path) -> Path:
    """The intake page's folder: `nop/` beside `raw/`."""
    return raw.parent / FOLDER


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Sent:
    """One upload as the history holds it."""

    id: int
    ma_xa: str
    nguoi_gui: str
    luc: str
    ten_tep: str
    kich_thuoc: int
    sha256: str
    tep_luu: str
    trang_thai: str
    van_de: tuple[dict, ...]
    bang: str
    dich: str
    danh_dau: str
    so_loi: int
    so_canh_bao: int
    so_phat_hien: int
    xong_luc: str | None
    tu_lan: int | None = None  # a draft from a Word report: that report's upload


class Store:
    """The folder `nop/` and its database, made on first use."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.drafts = folder / DRAFTS
        self.drafts.mkdir(parents=True, exist_ok=True)
        self.path = folder / DATABASE
        self._local = threading.local()  # a connection per thread (`db`)
        self.migrate()

    @contextlib.contextmanager
    def db(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection, opened on first use and kept (a page asks the history a
        few times; opening a connection each time was most of a page's cost while the worker
        wrote). A transaction an error left open is rolled back."""
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            con.row_factory = sqlite3.Row
            con.execute("PRAGMA foreign_keys = ON")
            self._local.con = con
        try:
            yield con
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise

    def migrate(self) -> int:
        """Apply the migrations this database has not had, each in one transaction."""
        with self.db() as con:
            con.execute("PRAGMA journal_mode = WAL")
            done = con.execute("PRAGMA user_version").fetchone()[0]
            for number, script in enumerate(MIGRATIONS[done:], start=done + 1):
                con.execute("BEGIN IMMEDIATE")
                try:
                    for statement in script.split(";"):
                        if statement.strip():
                            con.execute(statement)
                    con.execute(f"PRAGMA user_version = {number}")
                    con.execute("COMMIT")
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
            return con.execute("PRAGMA user_version").fetchone()[0]

    def secret(self) -> str:
        """The cookie-signing secret, made on first start (mode 0600)."""
        path = self.folder / SECRET
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text(encoding="ascii").strip()
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(secrets.token_hex(32))
        return path.read_text(encoding="ascii").strip()

    # ------------------------------------------------------------------------ accounts

    def set_code(self, account: str, hashed: str) -> None:
        with self.db() as con:
            con.execute(
                "INSERT INTO tai_khoan (ten, bam, tao_luc) VALUES (?, ?, ?) "
                "ON CONFLICT (ten) DO UPDATE SET bam = excluded.bam, tao_luc = excluded.tao_luc",
                (account, hashed, now()),
            )

    def code_hash(self, account: str) -> str | None:
        with self.db() as con:
            row = con.execute("SELECT bam FROM tai_khoan WHERE ten = ?", (account,)).fetchone()
        return row["bam"] if row else None

    def end_session(self, number: str, kept_hours: int = 24) -> None:
        """A session logged out: its number refused from now on (numbers older than a session
        can live are let go)."""
        since = (datetime.now(UTC) - timedelta(hours=kept_hours)).isoformat(timespec="seconds")
        with self.db() as con:
            con.execute("DELETE FROM phien_da_dong WHERE luc < ?", (since,))
            con.execute("INSERT OR IGNORE INTO phien_da_dong VALUES (?, ?)", (number, now()))

    def session_ended(self, number: str) -> bool:
        with self.db() as con:
            return bool(
                con.execute("SELECT 1 FROM phien_da_dong WHERE so = ?", (number,)).fetchone()
            )

    # ------------------------------------------------------------------------ communes

    def declare(
        self,
        ma_xa: str,
        members: tuple[str, ...],
        name: str = "",
        province: str = "",
        names: tuple[str, ...] = (),
    ) -> None:
        """The province's list of a new commune's old communes, replacing an earlier one; its
        name, province and its old communes' `names` where given (for blank forms)."""
        named = dict(zip(members, names, strict=False))
        with self.db() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                con.execute(
                    "INSERT INTO xa_moi (ma_xa, khai_luc, ten, tinh) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (ma_xa) DO UPDATE SET ten = excluded.ten, tinh = excluded.tinh",
                    (ma_xa, now(), name, province),
                )
                con.execute("DELETE FROM thanh_vien WHERE ma_xa = ?", (ma_xa,))
                con.executemany(
                    "INSERT INTO thanh_vien (ma_xa, ma_xa_cu, ten_xa_cu) VALUES (?, ?, ?)",
                    [(ma_xa, m, named.get(m, "")) for m in members],
                )
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise

    def names(self, ma_xa: str) -> tuple[str, str, tuple[tuple[str, str], ...]]:
        """A new commune's name and province as declared, and its old communes (code, name);
        "" where not given."""
        with self.db() as con:
            row = con.execute("SELECT ten, tinh FROM xa_moi WHERE ma_xa = ?", (ma_xa,)).fetchone()
            olds = con.execute(
                "SELECT ma_xa_cu, ten_xa_cu FROM thanh_vien WHERE ma_xa = ? ORDER BY rowid",
                (ma_xa,),
            ).fetchall()
        name, province = (row["ten"], row["tinh"]) if row else ("", "")
        return name, province, tuple((old["ma_xa_cu"], old["ten_xa_cu"]) for old in olds)

    def owner_of(self, old: str) -> str | None:
        """The new commune an old commune is declared in, if any."""
        with self.db() as con:
            row = con.execute("SELECT ma_xa FROM thanh_vien WHERE ma_xa_cu = ?", (old,)).fetchone()
        return row["ma_xa"] if row else None

    def members(self) -> dict[str, tuple[str, ...]]:
        """Every declared new commune and its old communes."""
        with self.db() as con:
            found: dict[str, tuple[str, ...]] = {
                row["ma_xa"]: () for row in con.execute("SELECT ma_xa FROM xa_moi ORDER BY ma_xa")
            }
            for row in con.execute("SELECT ma_xa, ma_xa_cu FROM thanh_vien ORDER BY rowid"):
                found[row["ma_xa"]] += (row["ma_xa_cu"],)
        return found

    def is_commune(self, ma_xa: str) -> bool:
        with self.db() as con:
            return bool(con.execute("SELECT 1 FROM xa_moi WHERE ma_xa = ?", (ma_xa,)).fetchone())

    # ------------------------------------------------------------------------ uploads

    def add_upload(
        self,
        ma_xa: str,
        who: str,
        name: str,
        data: bytes,
        digest: str,
        suffix: str,
        state: str,
        source: int | None = None,
    ) -> int:
        """Record an upload and keep its bytes under nop/nhap/ (named by its number); `source`:
        the Word report's upload a draft was made from."""
        with self.db() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                cur = con.execute(
                    "INSERT INTO lan_gui (ma_xa, nguoi_gui, luc, ten_tep, kich_thuoc, sha256, "
                    "tep_luu, trang_thai, tu_lan) VALUES (?, ?, ?, ?, ?, ?, '', ?, ?)",
                    (ma_xa, who, now(), name, len(data), digest, state, source),
                )
                number = int(cur.lastrowid or 0)
                kept = f"{number:06d}{suffix}"
                path = self.drafts / kept
                # "wb": a file of this number with no row is a crash's leftover (its row was
                # rolled back, so SQLite gives the number again), never an upload of record
                with open(path, "wb") as out:
                    out.write(data)
                    out.flush()
                    os.fsync(out.fileno())
                con.execute("UPDATE lan_gui SET tep_luu = ? WHERE id = ?", (kept, number))
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return number

    def set_result(self, number: int, state: str, done: bool = True, **fields) -> None:
        """An upload's state, what its check found, and (`done`) when it was answered."""
        columns = {"trang_thai": state, **fields}
        if "van_de" in columns:
            columns["van_de"] = json.dumps(columns["van_de"], ensure_ascii=False)
        if done:
            columns["xong_luc"] = now()
        sets = ", ".join(f"{name} = ?" for name in columns)
        with self.db() as con:
            con.execute(f"UPDATE lan_gui SET {sets} WHERE id = ?", (*columns.values(), number))

    def upload(self, number: int) -> Sent | None:
        with self.db() as con:
            row = con.execute("SELECT * FROM lan_gui WHERE id = ?", (number,)).fetchone()
        return _sent(row) if row else None

    def uploads(
        self, ma_xa: str | None = None, limit: int = 200, whole: bool = False
    ) -> list[Sent]:
        """The last uploads, newest first: one commune's, or everyone's. The lists need neither
        the drawn sheets nor the problems (megabytes for a long workbook): those come with
        `whole`, and with `upload`."""
        where, args = ("WHERE ma_xa = ?", (ma_xa, limit)) if ma_xa is not None else ("", (limit,))
        with self.db() as con:
            rows = con.execute(
                f"SELECT {'*' if whole else LISTED} FROM lan_gui {where} ORDER BY id DESC LIMIT ?",
                args,
            )
            return [_sent(row) for row in rows]

    def last_uploads(self) -> dict[str, Sent]:
        """Each commune's last upload, however many others sent since."""
        with self.db() as con:
            rows = con.execute(
                f"SELECT {LISTED} FROM lan_gui WHERE id IN "
                "(SELECT MAX(id) FROM lan_gui GROUP BY ma_xa)"
            )
            return {row["ma_xa"]: _sent(row) for row in rows}

    def made_from(self, number: int) -> list[Sent]:
        """The drafts sent from a Word report's upload, in the order sent."""
        with self.db() as con:
            rows = con.execute("SELECT * FROM lan_gui WHERE tu_lan = ? ORDER BY id", (number,))
            return [_sent(row) for row in rows]

    def sent_lately(self, ma_xa: str, hours: int = 24) -> tuple[int, int]:
        """How many uploads were sent for a commune in the last `hours`, and their bytes."""
        since = (datetime.now(UTC) - timedelta(hours=hours)).isoformat(timespec="seconds")
        with self.db() as con:
            row = con.execute(
                "SELECT COUNT(*), COALESCE(SUM(kich_thuoc), 0) FROM lan_gui "
                "WHERE ma_xa = ? AND luc >= ?",
                (ma_xa, since),
            ).fetchone()
        return int(row[0]), int(row[1])

    def draft_path(self, sent: Sent, marked: bool = False) -> Path:
        return self.drafts / (sent.danh_dau if marked else sent.tep_luu)


# the columns of an upload a list shows: all but the drawn sheets and the problems' lines
LISTED = (
    "id, ma_xa, nguoi_gui, luc, ten_tep, kich_thuoc, sha256, tep_luu, trang_thai, "
    "'[]' AS van_de, '' AS bang, dich, danh_dau, so_loi, so_canh_bao, so_phat_hien, xong_luc, "
    "tu_lan"
)


def _sent(row: sqlite3.Row) -> Sent:
    values = dict(row)
    values["van_de"] = tuple(json.loads(values["van_de"]))
    return Sent(**values)
