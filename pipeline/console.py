"""What the terminal needs, on any system: messages that print in Vietnamese whatever the
console's code page, and the command line's own words (argparse's) in Vietnamese.

Standard library only: it runs before a run with nothing changed answers.
"""

from __future__ import annotations

import argparse
import codecs
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from schemas.vocabulary import ERROR

# argparse's words, as `argparse._` and `argparse.ngettext` are asked for them (Python 3.11 to
# 3.13); a word missing here prints in English, and tests/test_console.py names it
ARGPARSE_WORDS = {
    "usage: ": "Cách dùng: ",
    "positional arguments": "đối số theo vị trí",
    "options": "tùy chọn",
    "optional arguments": "tùy chọn",
    "show this help message and exit": "in hướng dẫn này rồi thoát",
    "show program's version number and exit": "in phiên bản rồi thoát",
    "%(prog)s: error: %(message)s\n": f"%(prog)s: {ERROR}: %(message)s\n",
    "the following arguments are required: %s": "thiếu %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "không có lựa chọn %(value)r (chọn một trong: %(choices)s)"
    ),
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "giá trị không hợp lệ: %(value)r",
    "unrecognized arguments: %s": "không hiểu: %s",
    "expected one argument": "cần ghi một giá trị sau tùy chọn này",
    "expected at least one argument": "cần ghi ít nhất một giá trị",
    "expected at most one argument": "chỉ được ghi nhiều nhất một giá trị",
    "expected %s argument": "cần ghi %s giá trị",
    "expected %s arguments": "cần ghi %s giá trị",
    "ambiguous option: %(option)s could match %(matches)s": (
        "tùy chọn %(option)s chưa rõ: có thể là %(matches)s"
    ),
    "not allowed with argument %s": "không dùng cùng với %s",
    "one of the arguments %s is required": "cần một trong các đối số %s",
    "ignored explicit argument %r": "tùy chọn này không nhận giá trị %r",
    "can't open '%(filename)s': %(error)s": "không mở được '%(filename)s': %(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "không có lệnh %(parser_name)r (các lệnh: %(choices)s)"
    ),
}


@contextmanager
def vietnamese_argparse() -> Iterator[None]:
    """argparse speaks Vietnamese inside this block. argparse takes each of its words through
    gettext with no hook per parser, and a gettext catalogue would be chosen by the LANG
    variables, which a Windows machine does not set; so its two lookups are replaced for the
    time the command line is parsed, and put back after."""
    saved = argparse._, argparse.ngettext
    argparse._ = lambda text: ARGPARSE_WORDS.get(text, text)
    argparse.ngettext = lambda one, many, n: ARGPARSE_WORDS.get(
        one if n == 1 else many, one if n == 1 else many
    )
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


def utf8_streams() -> None:
    """Make standard output and error write UTF-8 where they would write a legacy code page.

    A Windows console gets UTF-8 from Python already; output redirected to a file or a pipe on
    Windows gets the ANSI code page (cp1258, cp1252), which cannot encode most Vietnamese
    letters, so printing a message would raise. UTF-8 is what Notepad and Excel read."""
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None)
        if not encoding or not hasattr(stream, "reconfigure"):
            continue
        if not codecs.lookup(encoding).name.startswith("utf-"):
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
