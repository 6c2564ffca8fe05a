"""Check builders shared by the schemas. Each check's `error` is the Vietnamese message shown to
the user; `{gia_tri}` in it stands for the value found in the cell."""

from __future__ import annotations

import pandera.pandas as pa


def filled(header: str) -> pa.Check:
    return pa.Check(lambda s: s != "", error=f'ô trống: cần ghi "{header}"', ignore_na=False)


def one_of(values: tuple[str, ...], what: str, allow_empty: bool = False) -> pa.Check:
    allowed = ", ".join(v for v in values if v) + (" hoặc để trống" if allow_empty else "")
    accepted = set(values) | ({""} if allow_empty else set())
    return pa.Check(
        lambda s: s.isin(accepted),
        error=f'"{{gia_tri}}" không phải là {what} hợp lệ ({allowed})',
        ignore_na=False,
    )


def positive(what: str) -> pa.Check:
    return pa.Check(lambda s: s.isna() | (s > 0), error=f"{what} phải lớn hơn 0, ô ghi {{gia_tri}}")


def no_message() -> pa.Check:
    """A computed column holding a message where a cell is wrong, empty where it is not."""
    return pa.Check(lambda s: s.isna() | (s == ""), error="{gia_tri}", ignore_na=False)


def message_column() -> pa.Column:
    """A column of computed messages (None where the cell is right); any dtype."""
    return pa.Column(checks=[no_message()], nullable=True)
