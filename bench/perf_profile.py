"""Where the CPU goes: one run of a workload under `perf record`, its samples
grouped into a few buckets (memory allocation, protobuf, HTTP parsing, the
kernel, the driver's logic, the transport), for a subject and the raw
transport side by side. Used by bench/run_bench.py for the report's profile
section; needs `perf` (Debian linux-perf), which scripts/bench.sh installs."""

import os
import shutil
import subprocess
import tempfile

# First matching bucket wins; matched against "dso symbol".
BUCKETS = [
    ("kernel: system calls, wake-ups, TCP", lambda d, s: d.startswith("[kernel") or d == "[vdso]"),
    ("malloc / free", lambda d, s: any(k in s for k in (
        "malloc", "_int_free", "cfree", "operator new", "operator delete", "unlink_chunk",
        "free@", "__libc_free", "tcache", "sysmalloc", "realloc"))),
    ("protobuf parse / serialize / copy", lambda d, s: "libprotobuf" in d or any(k in s for k in (
        "_InternalParse", "_InternalSerialize", "ByteSizeLong", "MergeFrom", "CopyFrom",
        "InternalSwap", "SharedDtor", "protobuf::"))
        or ("mesos::" in s and "internal::" not in s)),
    ("HTTP parsing (Beast) and framing", lambda d, s: "beast::" in s or "RequestDecoder" in s
        or "ResponseDecoder" in s or "isspace" in s or "percentDecode" in s),
    ("driver: core, callbacks, hand-off", lambda d, s: "internal::sched" in s
        or "MesosSchedulerDriver" in s or "Scheduler" in s),
    ("transport: routing, UPIDs, writes", lambda d, s: "internal::process" in s
        or "asio::" in s),
    ("strings, memcpy, other libc/libstdc++", lambda d, s: "libc.so" in d or "libstdc++" in d),
]


def bucket_of(dso, symbol):
    for name, match in BUCKETS:
        if match(dso, symbol):
            return name
    return "other"


def profile(build, subject_command, workload, n, extra=()):
    """Percent of samples per bucket for one run, or None without perf."""
    perf = shutil.which("perf")
    if perf is None:
        return None
    directory = tempfile.mkdtemp(prefix="bench-perf-")
    data = os.path.join(directory, "perf.data")
    try:
        command = [os.path.join(build, "bench", "load_master"), "--workload=" + workload,
                   "--n=%d" % n, "--subject=profile", "--timeout=120"] + list(extra) + [
                   "--", perf, "record", "-q", "-F", "2000", "-o", data, "--"] + subject_command
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=200)
        report = subprocess.run([perf, "report", "-i", data, "--no-children", "--sort", "dso,sym",
                                 "--stdio", "--percent-limit", "0"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                timeout=200).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    shares = {}
    for line in report.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "%" not in line.split()[0]:
            continue
        parts = line.split(None, 3)
        if len(parts) < 4:
            continue
        try:
            percent = float(parts[0].rstrip("%"))
        except ValueError:
            continue
        name = bucket_of(parts[1], parts[3])
        shares[name] = shares.get(name, 0.0) + percent
    return shares or None


def section(title, intro, columns):
    """Markdown lines: one row per bucket, one column per (heading, shares, scale),
    where `scale` turns a percentage into the unit shown (e.g. µs per update)."""
    if any(shares is None for _, shares, _ in columns):
        return ["## %s\n" % title, "Not profiled: `perf` was not found.\n"]
    names = [name for name, _ in BUCKETS] + ["other"]
    out = ["## %s\n" % title, intro + "\n",
           "| where | " + " | ".join(heading for heading, _, _ in columns) + " |",
           "|---" * (len(columns) + 1) + "|"]
    for name in names:
        cells = []
        for _, shares, scale in columns:
            percent = shares.get(name, 0.0)
            cells.append("%.0f%% (%s)" % (percent, scale(percent)))
        out.append("| %s | %s |" % (name, " | ".join(cells)))
    out.append("")
    return out
