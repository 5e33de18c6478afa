#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets other than decoder_fuzz.

Usage: fuzz/make_seeds.py   (rewrites fuzz/seeds/{zookeeper_format,credentials}/;
the output is committed, so this runs only when a harness's input format or the
seeds change).

Each seed is a valid input in its target's format (the comment at the top of
each fuzz/*_fuzz.cpp). The ZooKeeper seeds include the member data of
tests/fixtures/zookeeper/json.info, written by a real Mesos master.
"""

import os
import shutil
import struct

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS = os.path.join(ROOT, "fuzz", "seeds")


# ---- protobuf, by hand: enough for strings, bytes and varints ---------------

def varint(n):
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def field_bytes(number, value):
    if isinstance(value, str):
        value = value.encode()
    return varint(number << 3 | 2) + varint(len(value)) + value


def field_varint(number, value):
    return varint(number << 3) + varint(value)


# ---- the harnesses' script format (fuzz/fuzz_input.hpp) ------------------------

def blob(data):
    if isinstance(data, str):
        data = data.encode()
    return struct.pack("<H", len(data)) + data


def write(target, name, data):
    directory = os.path.join(SEEDS, target)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


# ---- zookeeper_format_fuzz ------------------------------------------------------------
# Mode: 0 json.info data, 1 info (binary) data, 2 unlabeled (UPID) data,
# 3 "<name>\0<data>", 4 child names one per line, 5 a zk:// URL.

def master_info(id_, ip, port, pid=None, hostname=None, version=None, address=None,
                capabilities=()):  # mesos.MasterInfo
    out = field_bytes(1, id_) + field_varint(2, ip) + field_varint(3, port)
    if pid is not None:
        out += field_bytes(4, pid)
    if hostname is not None:
        out += field_bytes(5, hostname)
    if version is not None:
        out += field_bytes(6, version)
    if address is not None:  # mesos.Address{hostname, ip, port}
        host, ip_text, a_port = address
        out += field_bytes(7, field_bytes(1, host) + field_bytes(2, ip_text) +
                           field_varint(3, a_port))
    for c in capabilities:  # MasterInfo.Capability{type}
        out += field_bytes(9, field_varint(1, c))
    return out


def zookeeper_seeds():
    with open(os.path.join(ROOT, "tests", "fixtures", "zookeeper", "json.info"), "rb") as f:
        real = f.read()
    write("zookeeper_format", "json-real-mesos", b"\x00" + real)
    # A newer master: an unknown key, an unknown capability, a fault domain.
    write("zookeeper_format", "json-newer-master",
          b"\x00" + b'{"address":{"hostname":"m1.example","ip":"10.0.0.1","port":5050},'
          b'"capabilities":[{"type":"AGENT_UPDATE"},{"type":"FUTURE_THING"}],'
          b'"domain":{"fault_domain":{"region":{"name":"eu"},"zone":{"name":"eu-1a"}}},'
          b'"hostname":"m1.example","id":"b5a1c0de-6f7e-4a51-9c84-0d2a77d1f3e2",'
          b'"ip":16777226,"pid":"master@10.0.0.1:5050","port":5050,"version":"1.11.0","new_key":1}')
    write("zookeeper_format", "json-minimal", b'\x00{"id":"m","ip":16777343,"port":5050}')
    write("zookeeper_format", "json-missing-id", b'\x00{"ip":16777343,"port":5050}')
    write("zookeeper_format", "binary-0.23",
          b"\x01" + master_info("20150101-000000-16777343-5050-1234", 16777343, 5050,
                                pid="master@127.0.0.1:5050", hostname="localhost",
                                version="0.23.0"))
    write("zookeeper_format", "binary-full",
          b"\x01" + master_info("id", 16777226, 5050, pid="master@10.0.0.1:5050",
                                hostname="m1.example", version="1.11.0",
                                address=("m1.example", "10.0.0.1", 5050), capabilities=(1, 2, 3)))
    write("zookeeper_format", "upid-0.16", b"\x02master@127.0.0.1:5050\n")
    write("zookeeper_format", "upid-hostname", b"\x02master@m1.example:5050")
    write("zookeeper_format", "named-json", b"\x03json.info_0000000017\x00" + real)
    write("zookeeper_format", "named-binary",
          b"\x03info_0000000005\x00" + master_info("id", 16777343, 5050))
    write("zookeeper_format", "named-unknown-label", b"\x03log_replicas_0000000001\x00{}")
    write("zookeeper_format", "children",
          b"\x04json.info_0000000017\nlog_replicas\ninfo_0000000005\njson.info_0000000009\n"
          b"garbage\nx_notanumber\n0000000002")
    write("zookeeper_format", "url-credentials", b"\x05zk://jo:s3cret@zk1:2181,zk2:2181/mesos/")
    write("zookeeper_format", "url-at-in-password", b"\x05zk://u:p@ss@zk:2181/a/b")
    write("zookeeper_format", "url-no-path", b"\x05zk://zk:2181")


# ---- credentials_fuzz ---------------------------------------------------------------------
# The file's bytes. Mesos also reads a text format ("principal secret" per
# line), which this project does not: those files must be refused cleanly.

def credentials_seeds():
    write("credentials", "json",
          b'{"credentials": [{"principal": "alice", "secret": "s3cret"}]}\n')
    write("credentials", "json-several",
          b'{\n  "credentials": [\n    {"principal": "a", "secret": "s1"},\n'
          b'    {"principal": "b c", "secret": "", "x": 1},\n'
          b'    {"principal": "a", "secret": "again"}\n  ]\n}\n')
    write("credentials", "json-escapes",
          b'{"credentials":[{"principal":"\\u00e9t\\u00e9","secret":"q\\"uo\\\\te\\n"}]}')
    write("credentials", "json-missing-secret", b'{"credentials":[{"principal":"a"}]}')
    write("credentials", "json-empty-principal",
          b'{"credentials":[{"principal":"","secret":"hidden-secret"}]}')
    write("credentials", "json-other-shape", b'{"principal":"a","secret":"hidden-secret"}')
    write("credentials", "text-format", b"alice s3cret\nbob an0ther\n")


def main():
    for target in ("zookeeper_format", "credentials"):
        shutil.rmtree(os.path.join(SEEDS, target), ignore_errors=True)
    zookeeper_seeds()
    credentials_seeds()


if __name__ == "__main__":
    main()
