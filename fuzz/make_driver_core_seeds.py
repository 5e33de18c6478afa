#!/usr/bin/env python3
"""Writes the seeds of fuzz/driver_core_fuzz.cpp from the real Mesos master's
messages to a scheduler (tests/fixtures/real-mesos/master-to-scheduler.stream).

Usage: fuzz/make_driver_core_seeds.py   (rewrites fuzz/seeds/driver_core/)
The record format is described at the top of fuzz/driver_core_fuzz.cpp.
"""
import os
import struct

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STREAM = os.path.join(ROOT, "tests/fixtures/real-mesos/master-to-scheduler.stream")
OUT = os.path.join(ROOT, "fuzz/seeds/driver_core")
TYPES = ["FrameworkRegisteredMessage", "FrameworkReregisteredMessage", "ResourceOffersMessage",
         "RescindResourceOfferMessage", "StatusUpdateMessage", "LostSlaveMessage",
         "ExitedExecutorMessage", "ExecutorToFrameworkMessage", "FrameworkErrorMessage"]


def messages(data):
    """(type name, body) of each chunked libprocess request in the stream."""
    pos = 0
    while pos < len(data):
        head_end = data.index(b"\r\n\r\n", pos)
        request_line = data[pos:data.index(b"\r\n", pos)].decode()
        name = request_line.split()[1].rsplit("/", 1)[1].rsplit(".", 1)[1]
        pos = head_end + 4
        body = b""
        while True:
            line_end = data.index(b"\r\n", pos)
            size = int(data[pos:line_end], 16)
            pos = line_end + 2
            body += data[pos:pos + size]
            pos += size + 2
            if size == 0:
                break
        yield name, body


def record(op, body=b""):
    return bytes([op]) + struct.pack("<H", len(body)) + body


def main():
    with open(STREAM, "rb") as f:
        conversation = list(messages(f.read()))
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        os.remove(os.path.join(OUT, old))
    seeds = {}
    # The whole conversation, answered as a framework would: accept each
    # offer, let each update's callback return.
    for setup, label in ((0, "call"), (1, "legacy"), (4, "explicit-acks"), (2, "credential")):
        seed = bytes([setup])
        for name, body in conversation:
            seed += record(TYPES.index(name), body)
            if name == "ResourceOffersMessage":
                seed += record(10)
            if name == "StatusUpdateMessage":
                seed += record(12)
        seeds["conversation-" + label] = seed
    # The same messages from a rogue and an agent, then a broken link, a timer
    # and a new leader.
    rogue = bytes([8])
    for i, (name, body) in enumerate(conversation[:8]):
        rogue += record(TYPES.index(name) | (0x10 if i % 2 else 0x20), body)
    rogue += record(13) + record(14) + record(15, b"\x01") + record(14)
    seeds["rogue-then-failover"] = rogue
    # Each message alone, registered first.
    for i, (name, body) in enumerate(conversation[:4]):
        seeds["single-%02d" % i] = bytes([8 | 16]) + record(TYPES.index(name), body)
    for label, seed in seeds.items():
        with open(os.path.join(OUT, label), "wb") as f:
            f.write(seed)
    print("wrote %d seeds to %s" % (len(seeds), OUT))


if __name__ == "__main__":
    main()
