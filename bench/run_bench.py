#!/usr/bin/env python3
"""Runs the benchmark suite and writes docs/PERFORMANCE.md and a plot.

Every workload runs against the subjects in alternation, in one invocation,
against the same load master (bench/load_master): our driver (bench_framework)
on libprocess (ours) and on the v1 scheduler HTTP API (bench_framework
--api=http, subject ours-http), each also over TLS (ours-tls, ours-https: the
updates and latency workloads only), mesos-go 0.0.6's v0 driver (go/bench_framework),
its v1 scheduler HTTP library (go/bench_v1_framework, subject mesos-go-v1) and
the raw transport (raw_client). Each (workload, subject) pair runs --reps times;
the report gives medians with min-max and the ratios ours/peer and ours/limit,
and for ours-http the ratios to mesos-go-v1 (the same wire) and to ours. The micro benchmarks
(codec_bench) run with as many repetitions.

  bench/run_bench.py --build build-bench [--reps 5] [--out docs/PERFORMANCE.md]
                     [--plot docs/performance.png] [--quick] [--only-backpressure]

The backpressure section floods our driver with N updates at once (the whole
window) into a statusUpdate() that takes 100 µs, with the driver's bounded
event queue and with an unbounded one (the driver before backpressure), and
reports the peak RSS. --only-backpressure runs just that and replaces the
section in an existing report.

Usually run through scripts/bench.sh, which builds everything first.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile

import perf_profile
import report

# (label, workload, n, the metric that decides, True if higher is better)
WORKLOADS = [
    ("updates", "updates", 100000, "updates_per_s", True),
    ("latency", "latency", 20000, "p99_us", False),
    ("offers 1,000", "offers", 1000, "ms", False),
    ("offers 10,000", "offers", 10000, "ms", False),
    ("offers 100,000", "offers", 100000, "ms", False),
    ("flood 100,000", "updates", 100000, "peak_rss_kib", False),
    ("reconcile 100,000", "reconcile", 100000, "ms", False),
    ("idle", "idle", 0, "rss_kib", False),
]
# Extra load_master flags per label: the flood sends every update at once.
EXTRA = {"flood 100,000": ["--window=100000"]}
# A subject may fail these (the report says how): mesos-go-v1 closes its event
# stream on a 35 MB event.
MAY_FAIL = {"offers 100,000"}
SUBJECTS = ["ours", "ours-http", "ours-tls", "ours-https", "mesos-go", "mesos-go-v1", "raw"]
# Our driver over TLS (docs/tls.md): the same binary with LIBPROCESS_SSL_* set for it and
# the load master, server certificate verified against a throwaway CA. Only the workloads
# that show the cost per message.
TLS_SUBJECTS = {"ours-tls", "ours-https"}
TLS_WORKLOADS = {"updates", "latency"}  # By label.
TLS_ENV = {}  # Filled by make_tls_env().


def make_tls_env(directory):
    """A throwaway CA and a certificate for 127.0.0.1/localhost, made with openssl."""
    def run(*args):
        subprocess.run(["openssl"] + list(args), cwd=directory, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=bench-ca",
        "-keyout", "ca-key.pem", "-out", "ca.pem")
    run("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "key.pem",
        "-out", "req.pem")
    with open(os.path.join(directory, "san.cnf"), "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    run("x509", "-req", "-days", "1", "-in", "req.pem", "-CA", "ca.pem", "-CAkey", "ca-key.pem",
        "-CAcreateserial", "-extfile", "san.cnf", "-out", "cert.pem")
    TLS_ENV.update({
        "LIBPROCESS_SSL_ENABLED": "true",
        "LIBPROCESS_SSL_CERT_FILE": os.path.join(directory, "cert.pem"),
        "LIBPROCESS_SSL_KEY_FILE": os.path.join(directory, "key.pem"),
        "LIBPROCESS_SSL_CA_FILE": os.path.join(directory, "ca.pem"),
        "LIBPROCESS_SSL_VERIFY_SERVER_CERT": "true",
    })

# Shown per workload: (metric, column title, format).
COLUMNS = {
    "updates": [("updates_per_s", "updates/s", "{:,.0f}"),
                ("cpu_s_per_100k", "CPU s per 100k", "{:.2f}")],
    "latency": [("p50_us", "p50 µs", "{:.0f}"), ("p99_us", "p99 µs", "{:.0f}"),
                ("p999_us", "p99.9 µs", "{:.0f}")],
    "offers": [("ms", "ms", "{:.1f}"), ("peak_rss_kib", "peak RSS KiB", "{:,.0f}")],
    "flood 100,000": [("peak_rss_kib", "peak RSS KiB", "{:,.0f}"),
                      ("updates_per_s", "updates/s", "{:,.0f}")],
    "reconcile": [("ms", "ms", "{:.0f}"), ("cpu_s", "CPU s", "{:.2f}")],
    "idle": [("rss_kib", "RSS KiB", "{:,.0f}"), ("rss_anon_kib", "of it private (RssAnon)", "{:,.0f}"),
             ("rss_file_kib", "of it mapped files (RssFile)", "{:,.0f}")],
}


def subject_command(build, subject):
    bench = os.path.join(build, "bench")
    return {
        "ours": [os.path.join(bench, "bench_framework")],
        "ours-http": [os.path.join(bench, "bench_framework"), "--api=http"],
        "ours-tls": [os.path.join(bench, "bench_framework")],
        "ours-https": [os.path.join(bench, "bench_framework"), "--api=http"],
        "mesos-go": [os.path.join(bench, "go", "bench_framework")],
        "mesos-go-v1": [os.path.join(bench, "go", "bench_v1_framework")],
        "raw": [os.path.join(bench, "raw_client")],
    }[subject]


def run_one(build, subject, workload, n, timeout, extra=()):
    command = [os.path.join(build, "bench", "load_master"), "--workload=" + workload,
               "--n=%d" % n, "--subject=" + subject, "--timeout=%d" % timeout] + list(extra)
    command += ["--"]
    command += subject_command(build, subject)
    env = dict(os.environ)
    # Other programs' SSL_CERT_FILE would be read as the old name of
    # LIBPROCESS_SSL_CERT_FILE (docs/tls.md).
    env = {k: v for k, v in env.items() if not k.startswith(("SSL_", "LIBPROCESS_SSL_"))}
    if subject in TLS_SUBJECTS:
        env.update(TLS_ENV)
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, timeout=timeout + 30, env=env)
    lines = [l for l in result.stdout.splitlines() if l.startswith("{")]
    if not lines:
        raise RuntimeError("no result from %s" % " ".join(command))
    record = json.loads(lines[-1])
    if result.returncode != 0 or "error" in record:
        raise RuntimeError("%s/%s failed: %s" % (subject, workload, record.get("error")))
    return record


BACKPRESSURE_SIZES = [100000, 1000000]
BACKPRESSURE_CALLBACK_US = 100
# (name, extra subject flags): the default bound, and a bound no flood reaches.
BACKPRESSURE_VARIANTS = [("bounded queue (default 4096 events)", []),
                         ("unbounded queue", ["--max_queued_events=1000000000"])]


def run_flood(build, n, extra, timeout):
    command = [os.path.join(build, "bench", "load_master"), "--workload=updates",
               "--n=%d" % n, "--window=%d" % n, "--subject=ours", "--timeout=%d" % timeout, "--",
               os.path.join(build, "bench", "bench_framework"),
               "--callback_us=%d" % BACKPRESSURE_CALLBACK_US] + extra
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, timeout=timeout + 30)
    lines = [l for l in result.stdout.splitlines() if l.startswith("{")]
    if result.returncode != 0 or not lines or "error" in json.loads(lines[-1]):
        raise RuntimeError("flood of %d failed: %s" % (n, lines[-1] if lines else "no result"))
    return json.loads(lines[-1])


def backpressure_section(build, quick, timeout, floods=None):
    """Markdown lines: peak RSS of the subject under a flood, per size and variant;
    the records go to `floods` ((n, variant) -> record) when given."""
    sizes = [n // 50 for n in BACKPRESSURE_SIZES] if quick else BACKPRESSURE_SIZES
    out = ["## Backpressure: a flood into a slow callback\n",
           "N updates sent at once (`--window=N`) into a `statusUpdate()` that busy-waits "
           "%d µs (bench_framework `--callback_us`); one run each. The unbounded variant "
           "sets `maxQueuedEvents` beyond any flood, which is how the driver behaved before "
           "the queue was bounded.\n" % BACKPRESSURE_CALLBACK_US,
           "| updates | variant | peak RSS | updates/s |", "|---|---|---|---|"]
    for n in sizes:
        for name, extra in BACKPRESSURE_VARIANTS:
            record = run_flood(build, n, extra, max(timeout, n // 2000 + 60))
            print(json.dumps(record), flush=True)
            if floods is not None:
                floods[(n, name)] = record
            out.append("| {:,} | {} | {:,.1f} MiB | {:,.0f} |".format(
                n, name, record["peak_rss_kib"] / 1024, record["updates_per_s"]))
    out.append("")
    return out


def replace_section(path, title, lines):
    with open(path) as f:
        text = f.read().split("\n")
    start = next((i for i, l in enumerate(text) if l.startswith(title)), None)
    if start is None:
        start = next((i for i, l in enumerate(text) if l.startswith("## Micro")), len(text))
        end = start
    else:
        end = next((i for i in range(start + 1, len(text)) if text[i].startswith("## ")), len(text))
    text[start:end] = lines
    with open(path, "w") as f:
        f.write("\n".join(text))


def summary(values):
    return statistics.median(values), min(values), max(values)


def machine():
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo") as f:
            kib = int(f.readline().split()[1])
            memory = "%.0f GiB" % (kib / 1024 / 1024)
    except (OSError, ValueError, IndexError):
        pass
    return "%s, %d cores, %s, Linux %s" % (model, os.cpu_count() or 0, memory, platform.release())


def commit(source):
    try:
        head = subprocess.run(["git", "-C", source, "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", source, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        return head + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def micro(build, reps):
    binary = os.path.join(build, "bench", "codec_bench")
    out = subprocess.run([binary, "--benchmark_repetitions=%d" % reps,
                          "--benchmark_report_aggregates_only=true", "--benchmark_format=json"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, check=True)
    rows = []
    for b in json.loads(out.stdout)["benchmarks"]:
        if b.get("aggregate_name") != "median":
            continue
        items = b.get("items_per_second")
        rows.append((b["run_name"], b["real_time"], b["time_unit"],
                     "{:,.0f}/s".format(items) if items else ""))
    return rows


def fmt(spec, triple):
    median, low, high = triple
    return "%s (%s–%s)" % (spec.format(median), spec.format(low), spec.format(high))


def ratio(ours, other, higher_is_better):
    if not other or not ours:
        return "–"
    return "%.2f×" % ((ours / other) if higher_is_better else (other / ours))


SCALE_TASKS, SCALE_AGENTS = 50000, 100


def run_scale(build, quick, timeout):
    """One scale run (bench/scale_bench.cpp): its JSON record, or one with "error"."""
    tasks, agents = (SCALE_TASKS // 50, SCALE_AGENTS // 10) if quick else (SCALE_TASKS, SCALE_AGENTS)
    command = [os.path.join(build, "bench", "scale_bench"),
               "--master_binary=" + os.path.join(build, "src", "master", "mesos-local-master"),
               "--tasks=%d" % tasks, "--agents=%d" % agents, "--timeout=%d" % timeout]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, timeout=timeout + 60)
    lines = [l for l in result.stdout.splitlines() if l.startswith("{")]
    if not lines:
        return {"tasks": tasks, "agents": agents, "error": "no result (exit %d)" % result.returncode}
    return json.loads(lines[-1])


def profile_sections(build, quick, records):
    """The profile sections: status updates (ours and raw, µs per update) and
    10,000 offers (ours and raw, ms)."""
    n = 2000 if quick else 200000
    ours_cmd, raw_cmd = subject_command(build, "ours"), subject_command(build, "raw")
    ours_u = perf_profile.profile(build, ours_cmd, "updates", n)
    raw_u = perf_profile.profile(build, raw_cmd, "updates", n)

    def per_update(label, subject):
        recs = records.get((label, subject), [])
        cpu = summary([r["cpu_s_per_100k"] for r in recs])[0] if recs else 0
        return lambda percent: "%.2f µs" % (percent / 100 * cpu * 10)

    def per_run(label, subject):
        recs = records.get((label, subject), [])
        ms = summary([r["ms"] for r in recs])[0] if recs else 0
        return lambda percent: "%.0f ms" % (percent / 100 * ms)

    out = perf_profile.section(
        "Profile: a status update",
        "`perf record` of one updates run (%s updates) per subject, samples grouped by where "
        "they fell (bench/perf_profile.py); in brackets the share of the CPU time per update of the "
        "updates table's medians. The raw transport parses the same messages and writes the "
        "same acknowledgements on one thread." % "{:,}".format(n),
        [("ours", ours_u, per_update("updates", "ours")),
         ("raw", raw_u, per_update("updates", "raw"))])
    offers = 200 if quick else 10000
    ours_o = perf_profile.profile(build, ours_cmd, "offers", offers)
    raw_o = perf_profile.profile(build, raw_cmd, "offers", offers)
    out += perf_profile.section(
        "Profile: 10,000 offers in one message",
        "The same for one offers run (one 3.7 MB ResourceOffersMessage, every offer declined); "
        "in brackets the share of the offers 10,000 median time. Most of the raw transport's "
        "time is protobuf building 10,000 Offer messages (each with its resources and "
        "attributes) and freeing them.",
        [("ours", ours_o, per_run("offers 10,000", "ours")),
         ("raw", raw_o, per_run("offers 10,000", "raw"))])
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build-bench")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--out", default="docs/PERFORMANCE.md")
    parser.add_argument("--plot", default="docs/performance.png")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one repetition")
    parser.add_argument("--timeout", type=int, default=300)
    parser.add_argument("--only-backpressure", action="store_true",
                        help="run only the flood and replace its section in --out")
    args = parser.parse_args()
    if args.quick:
        args.reps = 1
    source = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if args.only_backpressure:
        section = backpressure_section(args.build, args.quick, args.timeout)
        section.insert(1, "Run %s on %s, commit %s, binaries of %s (%s): "
                          "`bench/run_bench.py --only-backpressure`.\n" % (
                              datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                              machine(), commit(source), os.path.basename(os.path.abspath(args.build)),
                              build_type(args.build)))
        replace_section(args.out, "## Backpressure", section)
        print("updated %s" % args.out)
        return 0

    tls_dir = tempfile.mkdtemp(prefix="bench-tls-")
    make_tls_env(tls_dir)
    records = {}  # (label, subject) -> [record]
    failures = {}  # (label, subject) -> why, for MAY_FAIL workloads
    for rep in range(args.reps):
        for label, workload, n, _, _ in WORKLOADS:
            size = n // 50 if args.quick else n
            # Alternate which subject goes first, so none always runs on a
            # machine warmed (or tired) by the same neighbour.
            first = rep % len(SUBJECTS)
            order = SUBJECTS[first:] + SUBJECTS[:first]
            for subject in order:
                if subject in TLS_SUBJECTS and label not in TLS_WORKLOADS:
                    continue
                try:
                    record = run_one(args.build, subject, workload, size, args.timeout,
                                     EXTRA.get(label, ()))
                except RuntimeError as e:
                    if label not in MAY_FAIL:
                        raise
                    failures[(label, subject)] = str(e).split(": ", 1)[-1]
                    print("%s/%s: %s" % (label, subject, e), flush=True)
                    continue
                records.setdefault((label, subject), []).append(record)
                print(json.dumps(record), flush=True)

    floods = {}
    backpressure = backpressure_section(args.build, args.quick, args.timeout, floods)
    scale = run_scale(args.build, args.quick, args.timeout)
    print(json.dumps(scale), flush=True)
    profiles = profile_sections(args.build, args.quick, records)

    med, lows, highs = {}, {}, {}
    for (label, subject), recs in records.items():
        for key in recs[0]:
            if isinstance(recs[0][key], (int, float)) and key != "n":
                m, lo, hi = summary([r[key] for r in recs])
                med[(label, subject, key)], lows[(label, subject, key)] = m, lo
                highs[(label, subject, key)] = hi

    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    command = "scripts/bench.sh" + (" --quick" if args.quick else "")
    out = []
    out.append("# Performance\n")
    out.append("Generated by `%s` (bench/run_bench.py); do not edit by hand. "
               "What each workload measures: bench/README.md.\n" % command)
    out.append("| | |\n|---|---|")
    out.append("| machine | %s |" % machine())
    out.append("| date | %s |" % now)
    out.append("| commit | %s |" % commit(source))
    out.append("| build | Release (`-O3 -DNDEBUG`) |")
    out.append("| runs | %d per workload and subject, subjects alternating; median (min–max) |"
               % args.reps)
    out.append("| subjects | ours: bench/bench_framework.cpp on this driver (libprocess); "
               "ours-http: the same binary with `--api=http` (the v1 scheduler HTTP API, "
               "protobuf, implicit acknowledgements); ours-tls, ours-https: those two over TLS "
               "(the TLS section); mesos-go: "
               "bench/go/bench_framework on mesos-go 0.0.6's v0 driver (Go %s); mesos-go-v1: "
               "bench/go/bench_v1_framework on its v1 scheduler HTTP library (protobuf, "
               "explicit acknowledgements); raw: bench/raw_client.cpp, "
               "the transport with no driver logic |\n" % go_version())
    if args.quick:
        out.append("**Quick run (tiny sizes, one repetition): not a measurement.**\n")

    out.append("## Targets\n")
    out.append("| target | result | this run |\n|---|---|---|")
    out.extend(report.targets(med, floods, scale))
    out.append("")
    out.extend(profiles)
    out.extend(report.scale_section(scale))
    out.extend(report.http_section(med))
    out.extend(report.tls_section(med))

    for label, workload, n, key, higher in WORKLOADS:
        columns = COLUMNS.get(label, COLUMNS[workload])
        out.append("## %s\n" % label)
        out.append("| subject | " + " | ".join(title for _, title, _ in columns) + " |")
        out.append("|---" * (len(columns) + 1) + "|")
        for subject in SUBJECTS:
            if subject in TLS_SUBJECTS and label not in TLS_WORKLOADS:
                continue
            if (label, subject) in failures and (label, subject) not in records:
                out.append("| %s | failed: %s |" % (subject, failures[(label, subject)]))
                continue
            cells = []
            for metric, _, spec in columns:
                k = (label, subject, metric)
                cells.append(fmt(spec, (med[k], lows[k], highs[k])) if k in med else "–")
            out.append("| %s | %s |" % (subject, " | ".join(cells)))
        ours = med.get((label, "ours", key))
        out.append("\nours/peer (mesos-go): **%s**, ours/peer (mesos-go-v1): **%s**, "
                   "ours/limit (raw): **%s** (by %s, %s is better)\n" % (
                       ratio(ours, med.get((label, "mesos-go", key)), higher),
                       ratio(ours, med.get((label, "mesos-go-v1", key)), higher),
                       ratio(ours, med.get((label, "raw", key)), higher),
                       key, "higher" if higher else "lower"))
        http = med.get((label, "ours-http", key))
        out.append("ours-http/peer (mesos-go-v1, the same wire): **%s**, "
                   "ours-http/ours (HTTP against libprocess): **%s**\n" % (
                       ratio(http, med.get((label, "mesos-go-v1", key)), higher),
                       ratio(http, ours, higher)))

    out.extend(backpressure)

    out.append("## Micro benchmarks (codec_bench, median of %d)\n" % args.reps)
    out.append("| benchmark | time per iteration | items |\n|---|---|---|")
    for name, t, unit, items in micro(args.build, max(args.reps, 1)):
        out.append("| %s | %.3g %s | %s |" % (name, t, unit, items))
    out.append("")
    out.append("![updates/s and latency](%s)\n" % os.path.basename(args.plot))

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        f.write("\n".join(out))
    report.plot(args.plot, med, lows, highs, SUBJECTS)
    shutil.rmtree(tls_dir, ignore_errors=True)
    print("wrote %s and %s" % (args.out, args.plot))


def build_type(build):
    try:
        with open(os.path.join(build, "CMakeCache.txt")) as f:
            for line in f:
                if line.startswith("CMAKE_BUILD_TYPE:"):
                    return line.split("=", 1)[1].strip()
    except OSError:
        pass
    return "?"


def go_version():
    try:
        return subprocess.run(["go", "version"], capture_output=True, text=True,
                              check=True).stdout.split()[2].replace("go", "")
    except (OSError, subprocess.CalledProcessError, IndexError):
        return "?"


if __name__ == "__main__":
    sys.exit(main())
