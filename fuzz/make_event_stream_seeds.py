#!/usr/bin/env python3
"""Writes the seed corpus of event_stream_fuzz (fuzz/event_stream_fuzz.cpp).

Usage: fuzz/make_event_stream_seeds.py   (rewrites fuzz/seeds/event_stream/; the
output is committed, so this runs only when the harness's input format changes).

Each seed is [a][b] (piece sizes - 1) and the bytes of a master's answer to
SUBSCRIBE: a chunked 200 with RecordIO records of `mesos.scheduler.Event`
(proto/mesos/scheduler/scheduler.proto; the protobuf encoded here by hand), or
a redirect, or a refusal.
"""

import os
import shutil
import struct

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fuzz", "seeds", "event_stream")


def varint(n):
    out = b""
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out += bytes([byte | 0x80])
        else:
            return out + bytes([byte])


def field(number, wire, payload):
    key = varint(number << 3 | wire)
    if wire == 0:
        return key + varint(payload)
    if wire == 1:
        return key + payload
    return key + varint(len(payload)) + payload


def ld(number, payload):
    return field(number, 2, payload)


def event(kind, payload_field=None, payload=b""):
    out = field(1, 0, kind)
    if payload_field is not None:
        out += ld(payload_field, payload)
    return out


SUBSCRIBED = event(1, 2, ld(1, ld(1, b"framework-1")) + field(2, 1, struct.pack("<d", 15.0)))
HEARTBEAT = event(8)
OFFERS = event(2, 3, ld(1, ld(1, ld(1, b"o1")) + ld(2, ld(1, b"framework-1")) +
                    ld(3, ld(1, b"agent-1")) + ld(4, b"localhost")))
UPDATE = event(4, 5, ld(1, ld(1, ld(1, b"t1")) + field(2, 0, 1) + ld(5, ld(1, b"agent-1")) +
                    ld(11, b"0123456789abcdef")))
ERROR = event(7, 8, ld(1, b"Framework failed over"))
FAILURE = event(6, 7, ld(1, ld(1, b"agent-1")) + ld(2, ld(1, b"e1")) + field(3, 0, 256))


def record(body):
    return str(len(body)).encode() + b"\n" + body


def chunk(data):
    return ("%x" % len(data)).encode() + b"\r\n" + data + b"\r\n"


HEAD = (b"HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\n"
        b"Mesos-Stream-Id: 5f2c1a9e-0d7b-4c4e-9a55-2f8a1b3c4d5e\r\nTransfer-Encoding: chunked\r\n\r\n")

SEEDS = {
    "subscribed_heartbeat": HEAD + chunk(record(SUBSCRIBED)) + chunk(record(HEARTBEAT)),
    "conversation": HEAD + b"".join(chunk(record(e)) for e in
                                    (SUBSCRIBED, HEARTBEAT, OFFERS, UPDATE, FAILURE, ERROR))
                    + b"0\r\n\r\n",
    "records_across_chunks": HEAD + chunk(record(SUBSCRIBED)[:5]) +
                             chunk(record(SUBSCRIBED)[5:] + record(HEARTBEAT)),
    "redirect": b"HTTP/1.1 307 Temporary Redirect\r\nLocation: //127.0.0.1:5051/master/api/v1/"
                b"scheduler\r\nContent-Length: 0\r\n\r\n",
    "unauthorized": b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"mesos-master-"
                    b"scheduler\"\r\nContent-Length: 17\r\n\r\n401 Unauthorized.",
    "no_leader": b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 17\r\n\r\nNo leader elected",
}


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    for name, body in SEEDS.items():
        for a, b in ((255, 255), (0, 6)):
            with open(os.path.join(OUT, "%s_%d_%d" % (name, a, b)), "wb") as f:
                f.write(bytes([a, b]) + body)


if __name__ == "__main__":
    main()
