#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Send a module image to a running Exo-OS (make load; include/exo/modload.h).

usage: modload.py [--name NAME] [--timeout S] [--bad KIND] SOCKET FILE.ko

Connects to SOCKET, the unix socket QEMU's pci-serial port listens on
under `make run` (scripts/run-qemu.sh), sends FILE.ko in one frame
(magic "EXOM", version, name, length, the image, CRC-32) and prints the
kernel's reply line: "ACK <name> <len>" (exit 0; then `insmod NAME` in
the shell loads it) or "NAK <ERRNO> <why>" (exit 1).  NAME defaults to
the file's name without ".ko".  --bad sends a broken frame instead, for
tests: crc (a wrong checksum), oversize (a length over the limit),
truncated (half the frame, then silence), name (a bad character).
"""
import argparse
import os
import socket
import struct
import sys
import time
import zlib

MAGIC = b"EXOM"
VERSION = 1
IMAGE_MAX = 8 << 20


def frame(name, image, bad=None):
    n = name.encode()
    if bad == "name":
        n = b"bad/name"
    length = IMAGE_MAX + 1 if bad == "oversize" else len(image)
    head = MAGIC + struct.pack("<BBHI", VERSION, len(n), 0, length) + n
    if bad == "oversize":
        return head
    crc = zlib.crc32(head + image) & 0xffffffff
    if bad == "crc":
        crc ^= 0x80000000
    data = head + image + struct.pack("<I", crc)
    if bad == "truncated":
        data = data[:len(data) // 2]
    return data


def reply(sock, timeout):
    """The kernel's reply line, or None after @timeout seconds."""
    end = time.monotonic() + timeout
    buf = b""
    while b"\n" not in buf:
        left = end - time.monotonic()
        if left <= 0:
            return None
        sock.settimeout(left)
        try:
            chunk = sock.recv(256)
        except socket.timeout:
            return None
        if not chunk:
            return None
        buf += chunk
    return buf.split(b"\n", 1)[0].decode("ascii", "replace").strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--name")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--bad", choices=["crc", "oversize", "truncated", "name"])
    ap.add_argument("socket")
    ap.add_argument("ko")
    a = ap.parse_args()
    name = a.name or os.path.basename(a.ko).removesuffix(".ko")
    with open(a.ko, "rb") as f:
        image = f.read()
    if len(image) > IMAGE_MAX:
        print("modload: %s: %d bytes, the kernel takes at most %d" % (a.ko, len(image), IMAGE_MAX),
              file=sys.stderr)
        return 1
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(a.socket)
    except OSError as e:
        print("modload: %s: %s (is `make run` running?)" % (a.socket, e.strerror), file=sys.stderr)
        return 1
    s.sendall(frame(name, image, a.bad))
    line = reply(s, a.timeout)
    s.close()
    if line is None:
        print("modload: no reply from the kernel in %g s (is modload_serial loaded?)" % a.timeout,
              file=sys.stderr)
        return 1
    print(line)
    return 0 if line.startswith("ACK ") else 1


if __name__ == "__main__":
    sys.exit(main())
