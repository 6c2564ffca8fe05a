"""The commands of the intake page, called from `pipeline/cli.py`: each prints its lines and
returns the exit status."""

from __future__ import annotations

import sys
from pathlib import Path

from pipeline.serve.store import PROVINCE, Store, folder_of

EXIT_OK, EXIT_DATA = 0, 2


def serve(raw: Path, output: Path, host: str, port: int, https: str = "") -> int:
    """The page until Ctrl+C. `https`: the address of the office's HTTPS server in front of
    it, the only one whose X-Forwarded-For is believed ("" where there is none: the address
    the connection comes from is the user's, whatever a header says)."""
    import uvicorn

    from pipeline.serve.app import create_app

    if not raw.is_dir():
        print(f"{raw}: không tìm thấy thư mục dữ liệu gốc", file=sys.stderr)
        return EXIT_DATA
    if https and not is_address(https):
        print(
            f'--https "{https}": ghi địa chỉ IP của máy chủ HTTPS đứng trước trang (ví dụ '
            "10.20.1.2; cùng máy thì để trống), không ghi tên máy hay dấu *",
            file=sys.stderr,
        )
        return EXIT_DATA
    nop = folder_of(raw)
    if nop.resolve().is_relative_to(output.resolve()):
        print(f"{nop}: thư mục nop/ không được nằm trong {output.name}/", file=sys.stderr)
        return EXIT_DATA
    busy = port_taken(host, port)
    if busy:
        print(busy, file=sys.stderr)
        return EXIT_DATA
    app = create_app(raw, output, https=bool(https))
    shown = f"[{host}]" if ":" in host else host
    print(
        f"Trang nhận bảng tính: http://{shown}:{port}/ (dừng: Ctrl+C). Lịch sử: {nop}", flush=True
    )
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False, **proxy(https))
    print("Đã tắt trang nhận bảng tính; lần gửi nào đang kiểm tra sẽ được kiểm tra lại khi mở lại.")
    return EXIT_OK


def is_address(text: str) -> bool:
    """Whether `text` is one IP address (v4 or v6): the only thing `--https` believes."""
    import ipaddress

    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def proxy(https: str) -> dict:
    """uvicorn's settings for the HTTPS server in front (`serve`): its X-Forwarded-For is the
    user's address for the login limit; without one, no header is believed (uvicorn's own
    default believes 127.0.0.1, so anyone on this machine could choose an address)."""
    if not https:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": https}


def port_taken(host: str, port: int) -> str:
    """Why the page cannot listen at `host:port` (taken, or an address this machine does not
    have), in words; "" where it can."""
    import errno
    import socket

    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            if sys.platform != "win32":  # as uvicorn binds: a port just freed may be taken again
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            reason = "cổng đang có chương trình khác dùng, có thể trang đã đang chạy"
        elif err.errno == errno.EACCES:
            reason = "không có quyền mở cổng này (cổng dưới 1024 cần quyền quản trị)"
        else:
            reason = "máy này không có địa chỉ đó"
        return (
            f"{host}:{port}: không mở được trang ({reason}); chọn cổng khác bằng --port, "
            "địa chỉ khác bằng --host"
        )
    return ""


def new_code(raw: Path, ma_xa: str | None, province: bool) -> int:
    from pipeline.serve import auth

    store = Store(folder_of(raw))
    account = PROVINCE if province else (ma_xa or "").strip()
    if not province and not store.is_commune(account):
        print(
            f'"{account}": chưa khai xã mới này; khai các xã hợp thành trước: bieu phan-xa '
            f'--xa {account or "MÃ_XÃ_MỚI"} --xa-hop-thanh "ma1, ma2"',
            file=sys.stderr,
        )
        return EXIT_DATA
    code = auth.new_code()
    store.set_code(account, auth.hashed(code))
    whose = "văn phòng tỉnh" if province else f"xã {account}"
    print(f"Mã truy cập của {whose} (tài khoản {account}): {code}")
    print("Mã chỉ in một lần này; chương trình chỉ giữ bản băm. Mã cũ (nếu có) hết hiệu lực.")
    return EXIT_OK


def declare(raw: Path, ma_xa: str, members: str, name: str = "", province: str = "") -> int:
    from pipeline.serve.app import declare as declared

    store = Store(folder_of(raw))
    problem = declared(store, ma_xa, members, name, province)
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_DATA
    olds = store.members()[ma_xa.strip()]
    print(f"Đã khai xã mới {ma_xa.strip()} gồm {len(olds)} xã hợp thành: {', '.join(olds)}.")
    return EXIT_OK
