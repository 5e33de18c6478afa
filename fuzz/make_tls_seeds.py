#!/usr/bin/env python3
"""Writes the seed corpus of tls_fuzz (fuzz/tls_fuzz.cpp).

Usage: fuzz/make_tls_seeds.py   (rewrites fuzz/seeds/tls/; the output is
committed, so this runs only when the harness's input format changes; needs the
openssl program).

Seeds, [mode][rest]: the first bytes of a ClientHello, of an SSLv2 hello and of
an HTTP request (mode 0); certificates in DER with names to check them against
(mode 1: [flags][name length][name][4 IP bytes][DER]); whole ClientHellos of
TLS 1.2 and 1.3 (mode 2).
"""

import os
import shutil
import ssl
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fuzz", "seeds", "tls")


def client_hello(minimum, maximum):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.minimum_version = minimum
    context.maximum_version = maximum
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    connection = context.wrap_bio(incoming, outgoing, server_side=False)
    try:
        connection.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read()


def certificate(directory, name, san):
    key, der = os.path.join(directory, name + ".key"), os.path.join(directory, name + ".der")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=" + name, "-addext", "subjectAltName=" + san,
                    "-keyout", key, "-outform", "DER", "-out", der],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(der, "rb") as f:
        return f.read()


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    seeds = {}
    tls12 = client_hello(ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_2)
    tls13 = client_hello(ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3)
    seeds["first_bytes_client_hello"] = b"\x00" + tls13[:6]
    seeds["first_bytes_sslv2_hello"] = b"\x00" + b"\x80\x2e\x01\x03\x01\x00"
    seeds["first_bytes_http"] = b"\x00" + b"POST /master/mesos.internal.Ping HTTP/1.1\r\n"
    with tempfile.TemporaryDirectory() as directory:
        local = certificate(directory, "localhost", "DNS:localhost,IP:127.0.0.1")
        other = certificate(directory, "elsewhere.invalid", "DNS:elsewhere.invalid,IP:127.0.0.2")
    for label, der in (("localhost", local), ("elsewhere", other)):
        for flags in (0, 1):
            name = b"localhost"
            seeds["name_%s_%d" % (label, flags)] = (
                b"\x01" + bytes([flags, len(name)]) + name + bytes([127, 0, 0, 1]) + der)
    seeds["handshake_tls12"] = b"\x02" + tls12
    seeds["handshake_tls13"] = b"\x02" + tls13
    for name, data in seeds.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
    print("wrote %d seeds to %s" % (len(seeds), OUT))


if __name__ == "__main__":
    main()
