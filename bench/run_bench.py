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

# (label, workload, n, the metric that decides, True if higher is better)
WORKLOADS = [
    ("updates", "updates", 100000, "updates_per_s", True),
    ("latency", "latency", 20000, "p99_us", False),
    ("offers 1,000", "offers", 1000, "ms", False),
    ("offers 10,000", "offers", 10000, "ms", False),
    ("reconcile 100,000", "reconcile", 100000, "ms", False),
    ("idle", "idle", 0, "rss_kib", False),
]
SUBJECTS = ["ours", "ours-http", "ours-tls", "ours-https", "mesos-go", "mesos-go-v1", "raw"]
# Our driver over TLS (docs/tls.md): the same binary with LIBPROCESS_SSL_* set for it and
# the load master, server certificate verified against a throwaway CA. Only the workloads
# that show the cost per message.
TLS_SUBJECTS = {"ours-tls", "ours-https"}
TLS_WORKLOADS = {"updates", "latency"}
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


def run_one(build, subject, workload, n, timeout):
    command = [os.path.join(build, "bench", "load_master"), "--workload=" + workload,
               "--n=%d" % n, "--subject=" + subject, "--timeout=%d" % timeout, "--"]
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


def backpressure_section(build, quick, timeout):
    """Markdown lines: peak RSS of the subject under a flood, per size and variant."""
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


def targets(med):
    """The issue's targets, checked against the medians of this run."""
    get = lambda label, subject, metric: med.get((label, subject, metric))
    rows = []

    def add(text, ok, detail):
        rows.append("| %s | %s | %s |" % (text, "met" if ok else "**not met**", detail))

    u_ours, u_go, u_raw = (get("updates", s, "updates_per_s") for s in ("ours", "mesos-go", "raw"))
    if u_ours and u_go and u_raw:
        add("updates/s ≥ 10× mesos-go", u_ours >= 10 * u_go, "%.1f×" % (u_ours / u_go))
        add("updates/s ≥ 50% of the raw transport", u_ours >= 0.5 * u_raw,
            "%.0f%%" % (100 * u_ours / u_raw))
    p99, go50 = get("latency", "ours", "p99_us"), get("latency", "mesos-go", "p50_us")
    if p99 and go50:
        add("latency p99 < mesos-go's p50", p99 < go50, "%.0f µs vs %.0f µs" % (p99, go50))
    o_ours, o_go = get("offers 10,000", "ours", "ms"), get("offers 10,000", "mesos-go", "ms")
    if o_ours and o_go:
        add("offers 10,000 < 250 ms", o_ours < 250, "%.0f ms" % o_ours)
        add("offers 10,000 ≥ 10× faster than mesos-go", o_go >= 10 * o_ours,
            "%.1f×" % (o_go / o_ours))
    r = get("reconcile 100,000", "ours", "ms")
    if r:
        add("reconcile 100,000 < 2 s", r < 2000, "%.0f ms" % r)
    # The same driver on the v1 HTTP API, against mesos-go's client on that wire.
    h_ours, h_go = get("updates", "ours-http", "updates_per_s"), get("updates", "mesos-go-v1",
                                                                     "updates_per_s")
    if h_ours and h_go:
        add("ours-http: updates/s ≥ mesos-go-v1's (same wire)", h_ours >= h_go,
            "%.1f×" % (h_ours / h_go))
    h99, hgo50 = get("latency", "ours-http", "p99_us"), get("latency", "mesos-go-v1", "p50_us")
    if h99 and hgo50:
        add("ours-http: latency p99 < mesos-go-v1's p50 (same wire)", h99 < hgo50,
            "%.0f µs vs %.0f µs" % (h99, hgo50))
    i_ours, i_go = get("idle", "ours", "rss_kib"), get("idle", "mesos-go", "rss_kib")
    if i_ours and i_go:
        a_ours, a_go = get("idle", "ours", "rss_anon_kib"), get("idle", "mesos-go", "rss_anon_kib")
        add("idle RSS below mesos-go's", i_ours < i_go,
            "%.0f KiB vs %.0f KiB (private: %.0f vs %.0f)" % (i_ours, i_go, a_ours or 0, a_go or 0))
    return rows


def http_section(med):
    """Markdown lines: what the ours-http numbers of this run mean."""
    get = lambda label, subject, metric: med.get((label, subject, metric))
    u_http, u_ours = get("updates", "ours-http", "updates_per_s"), get("updates", "ours", "updates_per_s")
    u_v1 = get("updates", "mesos-go-v1", "updates_per_s")
    c_http, c_ours = get("updates", "ours-http", "cpu_s_per_100k"), get("updates", "ours", "cpu_s_per_100k")
    p50_http, p50_ours = get("latency", "ours-http", "p50_us"), get("latency", "ours", "p50_us")
    p99_http, p99_ours = get("latency", "ours-http", "p99_us"), get("latency", "ours", "p99_us")
    if not all((u_http, u_ours, u_v1, c_http, c_ours, p50_http, p50_ours, p99_http, p99_ours)):
        return []
    return ["## Our driver over the v1 HTTP API\n",
            "ours-http is the same bench_framework on `DriverConfig::api = kHttp`: in this run "
            "{:,.0f} updates/s ({:.0f}% of ours on libprocess, {:.1f}× mesos-go-v1) at {:.2f} "
            "CPU s per 100k updates against {:.2f}, and a round trip of {:.0f} µs p50 / {:.0f} µs "
            "p99 against {:.0f} / {:.0f} µs. "
            "On libprocess an update is a message the master POSTs to the driver's listener "
            "(answered 202) and its acknowledgement a message the driver POSTs back on its own "
            "connection; over HTTP every update is a RecordIO record in the chunked SUBSCRIBE "
            "response and its acknowledgement a POST /api/v1/scheduler that the driver writes "
            "directly (request line and five headers) on one keep-alive connection, back to back "
            "without waiting for each answer (HTTP/1.1 pipelining, answers matched in order). "
            "mesos-go's v1 client, the way a framework on its `Caller` uses it, waits for each "
            "ACKNOWLEDGE's answer before it reads the next event: one round trip per update, "
            "which bounds its throughput near 1 / its latency.\n".format(
                u_http, 100 * u_http / u_ours, u_http / u_v1, c_http, c_ours,
                p50_http, p99_http, p50_ours, p99_ours)]


def tls_section(med):
    """Markdown lines: TLS next to plaintext, per wire."""
    get = lambda label, subject, metric: med.get((label, subject, metric))
    rows = []
    for plain, tls, wire in (("ours", "ours-tls", "libprocess"), ("ours-http", "ours-https", "v1 HTTP API")):
        u_p, u_t = get("updates", plain, "updates_per_s"), get("updates", tls, "updates_per_s")
        c_p, c_t = get("updates", plain, "cpu_s_per_100k"), get("updates", tls, "cpu_s_per_100k")
        l_p, l_t = get("latency", plain, "p99_us"), get("latency", tls, "p99_us")
        m_p, m_t = get("latency", plain, "p50_us"), get("latency", tls, "p50_us")
        if not all((u_p, u_t, c_p, c_t, l_p, l_t, m_p, m_t)):
            continue
        rows.append("| %s | {:,.0f} | {:,.0f} | {:.0f}%% | {:.2f} / {:.2f} | {:.0f} / {:.0f} | "
                    "{:.0f} / {:.0f} |".format(u_p, u_t, 100 * u_t / u_p, c_p, c_t, m_p, m_t,
                                               l_p, l_t) % wire)
    if not rows:
        return []
    return ["## TLS\n",
            "ours-tls and ours-https are ours and ours-http with `LIBPROCESS_SSL_ENABLED=true` "
            "for the driver and the load master (TLS 1.3, the master's certificate verified "
            "against a throwaway CA with `LIBPROCESS_SSL_VERIFY_SERVER_CERT`; docs/tls.md). "
            "Same runs as the tables below; plaintext / TLS.\n",
            "| wire | updates/s plaintext | updates/s TLS | TLS/plaintext | CPU s per 100k | "
            "p50 µs | p99 µs |",
            "|---|---|---|---|---|---|---|"] + rows + [""]


def plot(path, med, lows, highs):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    colors = {"ours": "#2a7ab0", "ours-http": "#7fb8de", "ours-tls": "#1d5a82",
              "ours-https": "#a9d0ea", "mesos-go": "#c9642b",
              "mesos-go-v1": "#e0a03a", "raw": "#7a7a7a"}
    values = [med.get(("updates", s, "updates_per_s"), 0) for s in SUBJECTS]
    errors = [[v - lows.get(("updates", s, "updates_per_s"), v) for s, v in zip(SUBJECTS, values)],
              [highs.get(("updates", s, "updates_per_s"), v) - v for s, v in zip(SUBJECTS, values)]]
    left.bar(SUBJECTS, values, yerr=errors, capsize=4, color=[colors[s] for s in SUBJECTS])
    left.tick_params(axis="x", labelrotation=30)
    left.set_title("Status updates per second (higher is better)")
    left.set_ylabel("updates/s")
    for i, v in enumerate(values):
        left.annotate("{:,.0f}".format(v), (i, v), ha="center", va="bottom", fontsize=8)

    width = 0.8 / len(SUBJECTS)
    metrics = [("p50_us", "p50"), ("p99_us", "p99"), ("p999_us", "p99.9")]
    for i, s in enumerate(SUBJECTS):
        xs = [j + (i - (len(SUBJECTS) - 1) / 2) * width for j in range(len(metrics))]
        right.bar(xs, [med.get(("latency", s, m), 0) for m, _ in metrics], width,
                  label=s, color=colors[s])
    right.set_xticks(range(len(metrics)))
    right.set_xticklabels([title for _, title in metrics])
    right.set_title("Update round trip, one in flight (lower is better)")
    right.set_ylabel("µs")
    right.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


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
    for rep in range(args.reps):
        for label, workload, n, _, _ in WORKLOADS:
            size = n // 50 if args.quick else n
            # Alternate which subject goes first, so none always runs on a
            # machine warmed (or tired) by the same neighbour.
            first = rep % len(SUBJECTS)
            order = SUBJECTS[first:] + SUBJECTS[:first]
            for subject in order:
                if subject in TLS_SUBJECTS and workload not in TLS_WORKLOADS:
                    continue
                record = run_one(args.build, subject, workload, size, args.timeout)
                records.setdefault((label, subject), []).append(record)
                print(json.dumps(record), flush=True)

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
    out.extend(targets(med))
    out.append("")
    out.extend(http_section(med))
    out.extend(tls_section(med))

    for label, workload, n, key, higher in WORKLOADS:
        columns = COLUMNS[workload]
        out.append("## %s\n" % label)
        out.append("| subject | " + " | ".join(title for _, title, _ in columns) + " |")
        out.append("|---" * (len(columns) + 1) + "|")
        for subject in SUBJECTS:
            if subject in TLS_SUBJECTS and workload not in TLS_WORKLOADS:
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

    out.extend(backpressure_section(args.build, args.quick, args.timeout))

    out.append("## Micro benchmarks (codec_bench, median of %d)\n" % args.reps)
    out.append("| benchmark | time per iteration | items |\n|---|---|---|")
    for name, t, unit, items in micro(args.build, max(args.reps, 1)):
        out.append("| %s | %.3g %s | %s |" % (name, t, unit, items))
    out.append("")
    out.append("![updates/s and latency](%s)\n" % os.path.basename(args.plot))

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        f.write("\n".join(out))
    plot(args.plot, med, lows, highs)
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
