#!/usr/bin/env python3
"""frame.py CAPTURE - extract and verify the probe guest's framed report.

Finds the "PVHPROBE BEGIN" line anywhere in CAPTURE (a serial or port 0xE9
log; firmware output may precede it on the same line, Xen prefixes every
line with "(d0) "), strips that line's prefix from the lines that follow
when they carry it, drops CRs, and checks the END line: the number of lines
from BEGIN (included) to END (excluded) and the CRC-32 (zlib.crc32, IEEE)
of those lines, each with its "\\n". Prints the report lines (BEGIN..END)
to stdout; exit 0 when the frame is complete and right, 1 otherwise with
the reason on stderr. The format: docs/probe-guest.md."""
import re
import sys
import zlib


def main():
    data = open(sys.argv[1], "rb").read().replace(b"\r", b"")
    lines = data.split(b"\n")
    start = None
    for i, line in enumerate(lines):
        k = line.find(b"PVHPROBE BEGIN ")
        if k >= 0:
            start, prefix = i, line[:k]
            break
    if start is None:
        print("no PVHPROBE BEGIN line", file=sys.stderr)
        return 1
    body = []
    for line in lines[start:]:
        if line.startswith(prefix):
            line = line[len(prefix):]
        elif not body:
            line = line[len(prefix):]
        body.append(line)
        if line.startswith(b"PVHPROBE END "):
            break
    else:
        print("no PVHPROBE END line: the capture is truncated", file=sys.stderr)
        return 1
    m = re.fullmatch(rb"PVHPROBE END lines=(\d+) crc32=([0-9a-f]{8})", body[-1])
    if not m:
        print("malformed END line: %r" % body[-1], file=sys.stderr)
        return 1
    framed = body[:-1]
    crc = zlib.crc32(b"".join(l + b"\n" for l in framed)) & 0xFFFFFFFF
    if int(m.group(1)) != len(framed):
        print("END says %s lines, %d found" % (m.group(1).decode(), len(framed)), file=sys.stderr)
        return 1
    if int(m.group(2), 16) != crc:
        print("CRC-32 %s in END, %08x computed" % (m.group(2).decode(), crc), file=sys.stderr)
        return 1
    sys.stdout.buffer.write(b"".join(l + b"\n" for l in body))
    return 0


if __name__ == "__main__":
    sys.exit(main())
