#!/usr/bin/python3
"""fake-xenstored.py SOCKET MODE - a xenstore server on a Unix socket,
speaking the real wire protocol (xen-project/xen
xen/include/public/io/xs_wire.h: struct xsd_sockmsg {type, req_id, tx_id,
len} little-endian, then len bytes; XS_READ = 2, XS_ERROR = 16 with an errno
name). libxenstore connects to it when XENSTORED_PATH names the socket.

MODE: "ok" answers reads of domid, name and vm (relative paths, as a guest
reads its own keys); "stuck" accepts and never answers (pvhprobe must give
up after its timeout); "enoent" answers every read with ENOENT.
Serves until killed, or 20 s at most.
"""
import os
import socket
import struct
import sys
import threading

XS_READ, XS_ERROR = 2, 16
KEYS = {b"domid": b"7", b"name": b"pvh-guest-\x1b[31m'quoted'", b"vm": b"/vm/9f1b4b3e-2c55-4d0e-8d5a-7d1c0e6a1f00"}


def serve(conn, mode):
    with conn:
        buf = b""
        while True:
            data = conn.recv(4096)
            if not data:
                return
            buf += data
            while len(buf) >= 16:
                typ, req, tx, ln = struct.unpack("<IIII", buf[:16])
                if len(buf) < 16 + ln:
                    break
                payload, buf = buf[16:16 + ln], buf[16 + ln:]
                if mode == "stuck":
                    continue
                key = payload.rstrip(b"\0")
                if typ == XS_READ and mode == "ok" and key in KEYS:
                    body, rtyp = KEYS[key], XS_READ
                else:
                    body, rtyp = b"ENOENT\0", XS_ERROR
                conn.sendall(struct.pack("<IIII", rtyp, req, tx, len(body)) + body)


def main():
    path, mode = sys.argv[1], sys.argv[2]
    if os.path.exists(path):
        os.unlink(path)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)
    s.listen(8)
    s.settimeout(20)
    print("ready", flush=True)
    try:
        while True:
            conn, _ = s.accept()
            threading.Thread(target=serve, args=(conn, mode), daemon=True).start()
    except socket.timeout:
        pass


main()
