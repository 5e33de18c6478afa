"""The report's computed sections: the targets table, the HTTP and TLS
sections and the plot (bench/run_bench.py writes the rest)."""

KIB_PER_MB = 1536  # 1.5 MiB in KiB: the idle private memory target.


def targets(med, floods, scale):
    """The targets, checked against the medians of this run. `floods` maps
    (updates, variant) to a flood record, `scale` is the scale record or None."""
    get = lambda label, subject, metric: med.get((label, subject, metric))
    rows = []

    def add(text, ok, detail):
        rows.append("| %s | %s | %s |" % (text, "met" if ok else "**not met**", detail))

    u_ours, u_go, u_raw = (get("updates", s, "updates_per_s") for s in ("ours", "mesos-go", "raw"))
    if u_ours and u_go and u_raw:
        add("updates/s ≥ 75% of the raw transport's", u_ours >= 0.75 * u_raw,
            "%.0f%% (%s vs %s)" % (100 * u_ours / u_raw, "{:,.0f}".format(u_ours),
                                   "{:,.0f}".format(u_raw)))
    c_ours, c_raw = get("updates", "ours", "cpu_s_per_100k"), get("updates", "raw", "cpu_s_per_100k")
    if c_ours:
        add("driver CPU per status update ≤ 4 µs (parse, guards, hand-off, callback, ack, write)",
            c_ours * 10 <= 4.0, "%.1f µs (raw transport: %.1f µs)" % (c_ours * 10, (c_raw or 0) * 10))
    if u_ours and u_go:
        add("updates/s ≥ 10× mesos-go", u_ours >= 10 * u_go, "%.1f×" % (u_ours / u_go))
    p99, go50 = get("latency", "ours", "p99_us"), get("latency", "mesos-go", "p50_us")
    if p99 and go50:
        add("latency p99 < mesos-go's p50", p99 < go50, "%.0f µs vs %.0f µs" % (p99, go50))
    o_ours, o_raw = get("offers 10,000", "ours", "ms"), get("offers 10,000", "raw", "ms")
    o_go = get("offers 10,000", "mesos-go", "ms")
    if o_ours and o_raw:
        add("offers 10,000 within 1.2× the raw transport's time", o_ours <= 1.2 * o_raw,
            "%.2f× (%.0f ms vs %.0f ms)" % (o_ours / o_raw, o_ours, o_raw))
    if o_ours and o_go:
        add("offers 10,000 ≥ 10× faster than mesos-go", o_go >= 10 * o_ours,
            "%.1f×" % (o_go / o_ours))
    big, big_rss = get("offers 100,000", "ours", "ms"), get("offers 100,000", "ours", "peak_rss_kib")
    big_raw = get("offers 100,000", "raw", "peak_rss_kib")
    if big is not None:
        add("offers 100,000 in one message (37 MB) handled", True,
            "%.0f ms, peak RSS %.0f MiB (raw transport: %.0f MiB)" % (
                big, (big_rss or 0) / 1024, (big_raw or 0) / 1024))
    r = get("reconcile 100,000", "ours", "ms")
    if r:
        add("reconcile 100,000 < 2 s", r < 2000, "%.0f ms" % r)
    a_ours = get("idle", "ours", "rss_anon_kib")
    if a_ours:
        add("idle private memory (RssAnon) ≤ 1.5 MiB", a_ours <= KIB_PER_MB,
            "%.0f KiB (and %.0f KiB of mapped files)" % (a_ours, get("idle", "ours", "rss_file_kib") or 0))
    bounded = [r for (n, variant), r in sorted(floods.items()) if variant.startswith("bounded")]
    if len(bounded) >= 2:
        low, high = bounded[0]["peak_rss_kib"], bounded[-1]["peak_rss_kib"]
        add("flood: peak RSS independent of its length (%s vs %s updates)" % (
            "{:,}".format(bounded[0]["n"]), "{:,}".format(bounded[-1]["n"])),
            high <= 1.1 * low, "%.1f MiB vs %.1f MiB" % (low / 1024, high / 1024))
    if scale is not None:
        ok = "error" not in scale
        detail = scale.get("error", "") if not ok else (
            "all RUNNING in %.2f s; after the failover re-registered in %.2f s, explicit %.2f s, "
            "implicit %.2f s; driver peak RSS %.0f MiB" % (
                scale["launch_s"], scale["reregister_s"], scale["explicit_s"], scale["implicit_s"],
                scale["peak_rss_kib"] / 1024))
        add("%s tasks on the simulated cluster: launch, failover, reconciliation" %
            "{:,}".format(scale.get("tasks", 0)), ok, detail)
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
    return rows


def scale_section(scale):
    """Markdown lines: the scale run's phases."""
    if scale is None:
        return []
    out = ["## Scale: one driver, %s running tasks\n" % "{:,}".format(scale.get("tasks", 0)),
           "bench/scale_bench.cpp: `mesos-local-master` with %s agents in its own process, one "
           "framework on this driver launching long-running tasks (the agents' built-in "
           "executor), then a master failover (SIGUSR1), then explicit reconciliation of every "
           "task and implicit reconciliation; each phase waits for an answer for every task. "
           "Peak RSS is the framework process's high-water mark after each phase (driver and "
           "framework; the framework's own bookkeeping is one byte per task).\n" %
           "{:,}".format(scale.get("agents", 0))]
    if "error" in scale:
        return out + ["**Failed:** %s\n" % scale["error"]]
    cpu = scale.get("cpu_s_by_phase", {})

    def row(title, seconds, peak, phase):
        ours, master = cpu.get(phase, [0, 0])
        return "| %s | %.2f | %.2f | %.2f | %.1f MiB |" % (title, scale[seconds], ours, master,
                                                           scale[peak] / 1024)
    out += ["| phase | seconds | CPU s, framework + driver | CPU s, master | "
            "framework peak RSS after it |", "|---|---|---|---|---|",
            row("registration to all TASK_RUNNING", "launch_s", "launch_peak_rss_kib", "launch"),
            row("master failover to re-registered", "reregister_s", "failover_peak_rss_kib",
                "failover"),
            row("explicit reconciliation of every task", "explicit_s", "explicit_peak_rss_kib",
                "explicit"),
            row("implicit reconciliation", "implicit_s", "peak_rss_kib", "implicit"),
            "",
            "The failover phase is mostly waiting: after its link breaks the driver registers "
            "again after its registration backoff (docs/protocol.md), as Mesos's does. The "
            "explicit phase's peak holds the framework's 50,000 statuses, the driver's copy and "
            "its encoding at once.",
            "",
            "Framework + driver CPU for the whole run: %.2f s. The simulated master's own peak "
            "RSS: %.0f MiB." % (
                scale["cpu_s"], scale["master_peak_rss_kib"] / 1024), ""]
    return out


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


def plot(path, med, lows, highs, SUBJECTS):
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


