#!/usr/bin/env python3
"""Writes the seed corpora of zookeeper_format_fuzz, credentials_fuzz,
crammd5_client_fuzz and crammd5_server_fuzz.

Usage: fuzz/make_seeds.py   (rewrites fuzz/seeds/{zookeeper_format,credentials,
crammd5_client,crammd5_server}/; the output is committed, so this runs only when
a harness's input format or the seeds change).

Each seed is a valid input in its target's format (the comment at the top of
each fuzz/*_fuzz.cpp). The CRAM-MD5 seeds script the messages of successful and
failed exchanges in the order src/auth/crammd5_authenticatee.hpp describes, with
the protobuf bodies encoded here by hand
(proto/mesos/authentication/authentication.proto), and the challenge of RFC
2195's example. The ZooKeeper seeds include the member data of
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


# ---- crammd5_client_fuzz ----------------------------------------------------------
# The messages of proto/mesos/authentication/authentication.proto.

def mechanisms(*names):  # AuthenticationMechanismsMessage
    return b"".join(field_bytes(1, n) for n in names)


def start(mechanism="CRAM-MD5", data=b""):  # AuthenticationStartMessage
    return field_bytes(1, mechanism) + field_bytes(2, data)


def step(data):  # AuthenticationStepMessage
    return field_bytes(1, data)


def error(text):  # AuthenticationErrorMessage
    return field_bytes(1, text)


def authenticate(pid):  # AuthenticateMessage
    return field_bytes(1, pid)


RFC_CHALLENGE = b"<1896.697170952@postoffice.reston.mci.net>"
CYRUS_CHALLENGE = b"<7283409761028384569.1733356800@master.example>"

# Senders: 0 the session, 1 the master, 2 another session at the master's
# address, 3 the session's id elsewhere, 4 the master's IP with another port,
# 5 nobody; plus 0x80: the body padded past the size limit. Names: 0
# mechanisms, 1 step, 2 completed, 3 failed, 4 error.
SESSION, MASTER, OTHER_SESSION, ELSEWHERE = 0, 1, 2, 3
MECHANISMS, STEP, COMPLETED, FAILED, ERROR = 0, 1, 2, 3, 4


def c_deliver(sender, name, body=b""):
    return bytes([0, sender, name]) + blob(body)


C_POLL = bytes([1])
C_DESTROY = bytes([3])


def c_fail_sends(on):
    return bytes([2, 1 if on else 0])


def client_seeds():
    exchange = (c_deliver(SESSION, MECHANISMS, mechanisms("CRAM-MD5")) +
                c_deliver(SESSION, STEP, step(RFC_CHALLENGE)))
    for credential in range(4):
        write("crammd5_client", "authenticated-credential-%d" % credential,
              bytes([credential]) + exchange + c_deliver(SESSION, COMPLETED))
    write("crammd5_client", "refused", bytes([0]) + exchange + c_deliver(SESSION, FAILED))
    write("crammd5_client", "error-from-session",
          bytes([0]) + exchange +
          c_deliver(SESSION, ERROR, error("Unexpected authentication 'step' received")))
    write("crammd5_client", "no-authenticator-loaded",
          bytes([0]) + c_deliver(MASTER, ERROR, error("No authenticator loaded")))
    write("crammd5_client", "several-mechanisms-cyrus-challenge",
          bytes([1]) + c_deliver(SESSION, MECHANISMS, mechanisms("DIGEST-MD5", "CRAM-MD5")) +
          c_deliver(SESSION, STEP, step(CYRUS_CHALLENGE)) + c_deliver(SESSION, COMPLETED))
    write("crammd5_client", "impostors-then-authenticated",
          bytes([0]) + c_deliver(ELSEWHERE, MECHANISMS, mechanisms("CRAM-MD5")) +
          c_deliver(OTHER_SESSION, COMPLETED) + exchange +
          c_deliver(MASTER, COMPLETED) + c_deliver(SESSION, COMPLETED))
    write("crammd5_client", "opening-send-fails", bytes([4]) + C_POLL)
    write("crammd5_client", "destroyed-in-done",
          bytes([8]) + exchange + c_deliver(SESSION, COMPLETED) + c_deliver(SESSION, COMPLETED))
    write("crammd5_client", "destroyed-midway",
          bytes([0]) + c_deliver(SESSION, MECHANISMS, mechanisms("CRAM-MD5")) + C_DESTROY +
          c_deliver(SESSION, STEP, step(RFC_CHALLENGE)) + C_POLL)
    write("crammd5_client", "step-send-fails",
          bytes([0]) + c_deliver(SESSION, MECHANISMS, mechanisms("CRAM-MD5")) +
          c_fail_sends(True) + c_deliver(SESSION, STEP, step(RFC_CHALLENGE)))
    write("crammd5_client", "too-large-step",
          bytes([0]) + c_deliver(SESSION, MECHANISMS, mechanisms("CRAM-MD5")) +
          c_deliver(0x80 | SESSION, STEP, step(RFC_CHALLENGE)))
    write("crammd5_client", "unknown-name-from-session",
          bytes([0]) + c_deliver(SESSION, MECHANISMS, mechanisms("CRAM-MD5")) +
          bytes([0, SESSION, 0xF0]) + bytes([len(b"mesos.internal.Whatever")]) +
          b"mesos.internal.Whatever" + blob(b"junk") + c_deliver(SESSION, STEP, step(RFC_CHALLENGE)))


# ---- crammd5_server_fuzz -----------------------------------------------------------
# Authenticatees: 0 crammd5-authenticatee(1)@10.0.0.2:5051, 1 (2) at the same
# address, 2 (1)@10.0.0.3:5051. Senders: 0 the session's authenticatee, 1
# another process at its address, 2 the client, 3 elsewhere, 4 nobody. Names:
# 0 start, 1 step, 2 mechanisms, 3 completed, 4 error. Credentials: 0 alice,
# 1 tim, 2 "principal with spaces", 3 bob (empty secret), 4 mallory (unlisted).
S_START, S_STEP = 0, 1
RIGHT, WRONG_SECRET, UPPER_CASE, CUT_SHORT = 0, 1, 2, 3
CLIENT = "scheduler(1)@10.0.0.2:5051"


def s_authenticate(authenticatee, pid=CLIENT):
    return bytes([0, authenticatee]) + blob(authenticate(pid))


def s_deliver(session, sender, name, body=b""):
    return bytes([1, session, sender, name]) + blob(body)


def s_answer(session, credential, how):
    return bytes([2, session, credential, how])


def s_break(authenticatee):
    return bytes([3, authenticatee])


S_POLL = bytes([4])
S_DESTROY = bytes([6])


def server_seeds():
    opening = s_authenticate(0) + s_deliver(0, 0, S_START, start())
    for credential in range(4):
        write("crammd5_server", "authenticated-credential-%d" % credential,
              bytes([0]) + opening + s_answer(0, credential, RIGHT))
    write("crammd5_server", "unlisted-principal",
          bytes([0]) + opening + s_answer(0, 4, RIGHT))
    write("crammd5_server", "wrong-secret", bytes([0]) + opening + s_answer(0, 0, WRONG_SECRET))
    write("crammd5_server", "upper-case-digest", bytes([0]) + opening + s_answer(0, 1, UPPER_CASE))
    write("crammd5_server", "digest-cut-short", bytes([0]) + opening + s_answer(0, 1, CUT_SHORT))
    write("crammd5_server", "no-credentials", bytes([1]) + opening + s_answer(0, 0, RIGHT))
    write("crammd5_server", "garbage-step",
          bytes([0]) + opening + s_deliver(0, 0, S_STEP, step(b"alice 0123456789abcdef")))
    write("crammd5_server", "step-before-start",
          bytes([0]) + s_authenticate(0) + s_deliver(0, 0, S_STEP, step(b"alice 0")))
    write("crammd5_server", "second-start", bytes([0]) + opening + s_deliver(0, 0, S_START, start()))
    write("crammd5_server", "other-mechanism",
          bytes([0]) + s_authenticate(0) + s_deliver(0, 0, S_START, start("PLAIN", b"\0alice\0x")))
    write("crammd5_server", "other-senders-ignored",
          bytes([0]) + opening + s_deliver(0, 1, S_STEP, step(b"alice 0")) +
          s_deliver(0, 3, S_STEP, step(b"alice 0")) + s_answer(0, 0, RIGHT))
    write("crammd5_server", "new-attempt-replaces",
          bytes([0]) + opening + s_authenticate(1) + s_answer(0, 0, RIGHT) +
          s_deliver(1, 0, S_START, start()) + s_answer(1, 0, RIGHT))
    write("crammd5_server", "two-clients",
          bytes([0]) + opening + s_authenticate(2, "scheduler(1)@10.0.0.3:5051") +
          s_deliver(1, 0, S_START, start()) + s_answer(1, 1, RIGHT) + s_answer(0, 0, RIGHT))
    write("crammd5_server", "lost-authenticatee",
          bytes([0]) + opening + s_break(0) + s_answer(0, 0, RIGHT))
    write("crammd5_server", "timed-out", bytes([2]) + opening + S_POLL + s_answer(0, 0, RIGHT))
    write("crammd5_server", "destroyed-midway",
          bytes([0]) + opening + S_DESTROY + s_answer(0, 0, RIGHT) + s_authenticate(0))
    write("crammd5_server", "sends-fail",
          bytes([0]) + opening + bytes([5, 1]) + s_answer(0, 0, RIGHT) + s_authenticate(1) +
          bytes([5, 0]) + s_authenticate(1))
    write("crammd5_server", "bad-client-pid",
          bytes([0]) + s_authenticate(0, "scheduler(1)@host.example:5051") +
          s_authenticate(0, "") + s_authenticate(0, "no-at-sign"))


def main():
    for target in ("zookeeper_format", "credentials", "crammd5_client", "crammd5_server"):
        shutil.rmtree(os.path.join(SEEDS, target), ignore_errors=True)
    zookeeper_seeds()
    credentials_seeds()
    client_seeds()
    server_seeds()


if __name__ == "__main__":
    main()
