#!/usr/bin/env python3
"""End-to-end benchmark: sfdc-bulk and jsforce against the same emulator.

For each client in turn: insert the generated Contact file, query every row back to a
CSV file, delete them. Each phase is one client process, measured from outside with
wait4() (wall, user+sys CPU, peak RSS of exactly that process) and on the emulator
(HTTP requests, batches and records processed). A phase counts only when its rows and
the checksum of the queried data match the input, so a fast wrong run cannot win.

Python 3 standard library only; bench/run.sh builds the binaries and calls this.
"""

import argparse
import csv
import hashlib
import json
import os
import platform
import subprocess
import sys
import time
import urllib.request

CHECKED_FIELDS = ("Email", "LastName", "Description")
PHASES = ("insert", "query", "delete")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--records", type=int, default=1_000_000)
    p.add_argument("--build-dir", required=True)
    p.add_argument("--work-dir", required=True, help="data and query output files")
    p.add_argument("--jsforce-dir", required=True, help="directory holding node_modules/jsforce")
    p.add_argument("--out", required=True, help="JSON results file")
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--cost-per-record-us", type=int, default=40)
    p.add_argument("--batch-latency-ms", type=int, default=0)
    p.add_argument("--query-cost-per-record-us", type=int, default=None,
                   help="emulator time per queried row (default: --cost-per-record-us)")
    p.add_argument("--rtt-ms", type=int, default=0, help="emulator round-trip time (network model)")
    p.add_argument("--bandwidth-bytes-per-second", type=int, default=0,
                   help="emulator bandwidth per connection and direction (0: unlimited)")
    p.add_argument("--clients",
                   default="sfdc-bulk-csv,sfdc-bulk-json,jsforce,sfdc-bulk-bulk2,jsforce-bulk2",
                   help="sfdc-bulk-csv, sfdc-bulk-json, jsforce (Bulk API v1); sfdc-bulk-bulk2, "
                        "jsforce-bulk2 (Bulk API 2.0)")
    p.add_argument("--phases", default=",".join(PHASES),
                   help="a prefix of insert,query,delete (delete reads the query's output)")
    p.add_argument("--markdown", help="also write the table to this file")
    p.add_argument("--query-pk-chunk-size", type=int, default=0,
                   help="sfdc-bulk Bulk API v1 clients: PK-chunk the query phase, N ids per chunk, "
                        "4 result files downloaded at once (0: off)")
    return p.parse_args()


def checksum_csv(path):
    """Row count and an order-independent checksum of CHECKED_FIELDS (sum of per-row
    BLAKE2b digests mod 2^64), read with an RFC 4180 parser independent of the SDK."""
    total = 0
    rows = 0
    # Bytes that are not UTF-8 (a client that split a character between two chunks) are
    # replaced, so the checksum shows the damage instead of the harness stopping.
    with open(path, newline="", encoding="utf-8", errors="replace") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None:
            return 0, "0"
        if header and header[0].startswith("\ufeff"):
            header[0] = header[0][1:]
        columns = [header.index(name) for name in CHECKED_FIELDS]
        for row in reader:
            if row == header:  # a result file's header repeated mid-stream is not a row
                raise ValueError(f"{path}: header row repeated as data")
            if len(row) < len(header):
                # A row cut short (a client that broke a multi-line value): it counts, so
                # that the row count or the checksum shows the damage.
                row = row + [""] * (len(header) - len(row))
            key = "\x1f".join(row[c] for c in columns).encode()
            total += int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "little")
            rows += 1
    return rows, format(total % (1 << 64), "016x")


class Emulator:
    def __init__(self, binary, args):
        cmd = [binary, "--port", "0", "--workers", str(args.workers),
               "--cost-per-record-us", str(args.cost_per_record_us),
               "--batch-latency-ms", str(args.batch_latency_ms),
               "--query-cost-per-record-us", str(query_cost_us(args)),
               "--rtt-ms", str(args.rtt_ms),
               "--bandwidth-bytes-per-second", str(args.bandwidth_bytes_per_second),
               # jsforce parses a whole 2.0 job's records between two requests; a
               # connection it left idle must still be open when it comes back.
               "--keep-alive-seconds", "120"]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("listening on "):
            raise RuntimeError(f"emulator did not start: {line!r}")
        self.url = line.split()[-1]

    def call(self, path, method="GET"):
        req = urllib.request.Request(self.url + path, method=method, data=b"" if method == "POST" else None)
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.loads(r.read())

    def cpu_seconds(self):
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


def run_measured(cmd, env):
    """Runs cmd; returns (stdout JSON, wall, cpu user+sys, peak RSS in KiB, exit code) of that
    process. A client that fails is a result to report (its phase is not correct), not a
    reason to stop the other clients."""
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, env=env)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    lines = out.decode().strip().splitlines()
    try:
        report = json.loads(lines[-1]) if lines and proc.returncode == 0 else {}
    except json.JSONDecodeError:
        report = {}
    return report, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, proc.returncode


def client_command(client, phase, args, url, data, queried):
    io = {"insert": ["--input", data], "query": ["--output", queried], "delete": ["--input", queried]}[phase]
    if client.startswith("jsforce"):
        api = ["--api", "2"] if client == "jsforce-bulk2" else []
        return ["node", os.path.join(os.path.dirname(os.path.abspath(__file__)), "jsforce", "bench.mjs"),
                "--url", url, "--phase", phase, *api, *io]
    kind = client.rsplit("-", 1)[1]
    shape = ["--format", "csv", "--api", "2"] if kind == "bulk2" else ["--format", kind]
    # Chunks that complete in rounds are downloaded while later ones run, four at once.
    chunked = ["--pk-chunking", str(args.query_pk_chunk_size), "--parallel", "4"] \
        if phase == "query" and kind != "bulk2" and args.query_pk_chunk_size > 0 else []
    return [os.path.join(args.build_dir, "bench", "sfdc_bulk_bench"), "--url", url, "--phase", phase,
            *shape, *io, *chunked]


def query_cost_us(args):
    return args.cost_per_record_us if args.query_cost_per_record_us is None else args.query_cost_per_record_us


# Round trips of a phase that no client can overlap with processing or with each other,
# by API and kind of phase (see modeled_minimum).
SEQUENTIAL_ROUND_TRIPS = {("v1", "dml"): 4, ("v1", "query"): 5, ("v2", "dml"): 5, ("v2", "query"): 3}


def modeled_minimum(before, after, args, client="", phase="insert", stats=None, chunk_size=0):
    """A lower bound on the phase's wall time that a perfect client could reach: server
    processing plus what no client can overlap with it under the emulator's network model.

    Processing: each batch takes latency + records x cost (the query cost for a query);
    `workers` run at once: max(total / workers, total / batches), a batch cannot be shared.

    Network (--rtt-ms R, --bandwidth-bytes-per-second W): the round trips that must come
    one after another (SEQUENTIAL_ROUND_TRIPS x R): the token request on a new connection
    (2: handshake and request), the job creation (1, v1 and 2.0 ingest), the 2.0 upload
    that must be answered before the job is closed (1), the half trip that brings the
    first batch (v1), the close (2.0 ingest) or the query job (2.0) to the server, the
    half trip that brings back the first answer that can tell the job is done (a perfect
    client asks for the results themselves), and for a v1 query the request of the result
    file once its id is known (1). Then, for a query, its result bytes as the emulator sent
    them (stats queryResultDownloads, compressed if the client asked so) over W x the
    connections that fetched them: no byte can leave before the query has run (with PK
    chunking, several batches, the chunks done first can be fetched while others run, so
    the bytes are left out). Uploads are left out: with several connections they overlap
    processing, and their size is the client's choice (compression). Returns (seconds,
    batches, records, network seconds)."""
    batches = after["batchesProcessed"] - before["batchesProcessed"]
    records = after["recordsProcessed"] - before["recordsProcessed"]
    if batches <= 0:
        return 0.0, batches, records, 0.0
    cost_us = query_cost_us(args) if phase == "query" else args.cost_per_record_us
    total_us = batches * args.batch_latency_ms * 1000 + records * cost_us
    bound_us = max(total_us / args.workers, total_us / batches)
    if chunk_size > 0:
        # A PK-chunked query (the emulator does not count the NotProcessed SOQL batch the
        # chunks replace) has records // chunk_size full chunks, whole batches per worker:
        # ceil(full / workers) rounds (10 chunks on 4 workers take 3 rounds, not 2.5).
        rounds = -(-(records // chunk_size) // args.workers)
        bound_us = max(bound_us, rounds * (args.batch_latency_ms * 1000 + chunk_size * cost_us))
    processing = bound_us / 1e6
    api = "v2" if client.endswith("bulk2") else "v1"
    network = SEQUENTIAL_ROUND_TRIPS[(api, "query" if phase == "query" else "dml")] * args.rtt_ms / 1000
    downloads = (stats or {}).get("queryResultDownloads", {})
    if phase == "query" and batches == 1 and args.bandwidth_bytes_per_second > 0 and downloads.get("bytes"):
        network += downloads["bytes"] / (args.bandwidth_bytes_per_second * max(1, downloads["connections"]))
    return processing + network, batches, records, network


def machine():
    load = os.getloadavg()
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "")
    except OSError:
        pass
    return {"cores": os.cpu_count(), "cpu": model, "kernel": platform.release(),
            "loadavg": [round(x, 2) for x in load]}


def main():
    args = parse_args()
    for name in ("build_dir", "work_dir", "jsforce_dir", "out"):
        setattr(args, name, os.path.abspath(getattr(args, name)))
    os.makedirs(args.work_dir, exist_ok=True)
    data = os.path.join(args.work_dir, f"contacts-{args.records}.csv")
    if not os.path.exists(data):
        subprocess.run([os.path.join(args.build_dir, "bench", "sfdc-bulk-bench-gen"), data + ".tmp",
                        str(args.records)], check=True)
        os.replace(data + ".tmp", data)
    expected_rows, expected_sum = checksum_csv(data)
    assert expected_rows == args.records, (expected_rows, args.records)
    env = dict(os.environ, JSFORCE_DIR=args.jsforce_dir)
    emulator = Emulator(os.path.join(args.build_dir, "emulator", "sfdc-bulk-emulator"), args)
    results = {"records": args.records, "machineBefore": machine(),
               "emulator": {"workers": args.workers, "costPerRecordUs": args.cost_per_record_us,
                            "batchLatencyMs": args.batch_latency_ms,
                            "queryCostPerRecordUs": query_cost_us(args), "rttMs": args.rtt_ms,
                            "bandwidthBytesPerSecond": args.bandwidth_bytes_per_second},
               "checksumFields": list(CHECKED_FIELDS), "expectedChecksum": expected_sum, "runs": []}
    failures = []
    try:
        for client in args.clients.split(","):
            emulator.call("/_emulator/reset", "POST")
            queried = os.path.join(args.work_dir, f"queried-{client}.csv")
            for phase in args.phases.split(","):
                emulator.call("/_emulator/stats/reset", "POST")
                before = emulator.call("/_emulator/stats")["throughput"]
                emu_cpu = emulator.cpu_seconds()
                load = os.getloadavg()[0]
                cmd = client_command(client, phase, args, emulator.url, data, queried)
                report, wall, cpu, rss, code = run_measured(cmd, env)
                stats = emulator.call("/_emulator/stats")
                chunked = "--pk-chunking" in cmd
                minimum, batches, records, network = modeled_minimum(
                    before, stats["throughput"], args, client, phase, stats,
                    args.query_pk_chunk_size if chunked else 0)
                run = {"client": client, "phase": phase, "wallSeconds": round(wall, 3),
                       "cpuSeconds": round(cpu, 3), "peakRssMb": round(rss / 1024, 1),
                       "requests": stats["total"], "batches": batches, "modelRecords": records,
                       "requestsPer100kRows": round(stats["total"] * 100_000 / args.records, 1),
                       "modeledMinSeconds": round(minimum, 3),
                       "modeledNetworkSeconds": round(network, 3),
                       "queryResultDownloads": stats.get("queryResultDownloads"),
                       "wallOverMin": round(wall / minimum, 3) if minimum > 0 else None,
                       "emulatorCpuSeconds": round(emulator.cpu_seconds() - emu_cpu, 3),
                       "load1": round(load, 2), "clientReport": report}
                if code != 0:
                    run["rows"], run["correct"] = report.get("rows"), False
                    run["error"] = f"exited with {code}"
                elif phase == "query":
                    rows, digest = checksum_csv(queried)
                    run["rows"], run["checksum"] = rows, digest
                    run["correct"] = rows == args.records and digest == expected_sum
                else:
                    run["rows"] = report.get("rows")
                    run["correct"] = (report.get("succeeded") == args.records and
                                      report.get("failed", 0) == 0)
                if not run["correct"]:
                    failures.append(f"{client} {phase}: {run.get('error', report)} rows={run.get('rows')} "
                                    f"checksum={run.get('checksum')} expected={expected_sum}")
                results["runs"].append(run)
                print(f"  {client:15} {phase:6} wall {wall:7.2f}s cpu {cpu:7.2f}s rss {rss/1024:7.1f}MB "
                      f"req {stats['total']:5} min {minimum:6.2f}s {'ok' if run['correct'] else 'WRONG'}",
                      file=sys.stderr, flush=True)
    finally:
        emulator.stop()
    results["machineAfter"] = machine()
    results["summary"] = summarize(results["runs"])
    results["correct"] = not failures
    results["failures"] = failures
    with open(args.out, "w") as f:
        json.dump(results, f, indent=2)
        f.write("\n")
    table = markdown(results)
    print(table)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(table)
    if failures:
        print("INCORRECT RESULTS:\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    return 0


def summarize(runs):
    """Per client, insert + query (the work the targets are stated for) and all phases."""
    summary = {}
    for client in dict.fromkeys(r["client"] for r in runs):
        mine = [r for r in runs if r["client"] == client]
        iq = [r for r in mine if r["phase"] in ("insert", "query")]
        summary[client] = {
            "insertQueryCpuSeconds": round(sum(r["cpuSeconds"] for r in iq), 3),
            "insertQueryRequests": sum(r["requests"] for r in iq),
            "insertQueryRequestsPer100kRows": round(sum(r["requestsPer100kRows"] for r in iq), 1),
            "insertQueryWallSeconds": round(sum(r["wallSeconds"] for r in iq), 3),
            "insertQueryModeledMinSeconds": round(sum(r["modeledMinSeconds"] for r in iq), 3),
            "allPhasesRequests": sum(r["requests"] for r in mine),
            "peakRssMb": max(r["peakRssMb"] for r in mine),
            "worstWallOverMin": max((r["wallOverMin"] or 0) for r in mine),
        }
    # Each sfdc-bulk client is compared with jsforce over the same Bulk API.
    for client, s in summary.items():
        if client.startswith("jsforce"):
            continue
        base = summary.get("jsforce-bulk2" if client.endswith("bulk2") else "jsforce")
        if base is None:
            continue
        s["cpuVsJsforce"] = round(s["insertQueryCpuSeconds"] / max(base["insertQueryCpuSeconds"], 1e-9), 4)
        s["requestsVsJsforce"] = round(s["insertQueryRequests"] / max(base["insertQueryRequests"], 1), 3)
    return summary


def network_text(e):
    if not e.get("rttMs") and not e.get("bandwidthBytesPerSecond"):
        return "loopback"
    bandwidth = (f"{e['bandwidthBytesPerSecond'] / 1e6:g} MB/s per connection"
                 if e.get("bandwidthBytesPerSecond") else "unlimited bandwidth")
    return f"{e.get('rttMs', 0)} ms RTT, {bandwidth}"


def markdown(results):
    m, e = results["machineBefore"], results["emulator"]
    lines = [
        f"{results['records']:,} Contacts; emulator: {e['workers']} workers, "
        f"{e['costPerRecordUs']} µs per record, {e['batchLatencyMs']} ms per batch, "
        f"{e['queryCostPerRecordUs']} µs per queried row; network: "
        f"{network_text(e)}; "
        f"{m['cores']} cores ({m['cpu']}), load {m['loadavg'][0]} before, "
        f"{results['machineAfter']['loadavg'][0]} after.",
        "",
        "| client | phase | wall s | modeled min s | wall / min | client CPU s | peak RSS MB "
        "| HTTP requests | requests per 100k rows | emulator CPU s | rows | correct |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results["runs"]:
        ratio = f"{r['wallOverMin']:.2f}" if r["wallOverMin"] else "–"
        lines.append(f"| {r['client']} | {r['phase']} | {r['wallSeconds']:.2f} | {r['modeledMinSeconds']:.2f} "
                     f"| {ratio} | {r['cpuSeconds']:.2f} | {r['peakRssMb']:.1f} | {r['requests']} "
                     f"| {r['requestsPer100kRows']:.1f} "
                     f"| {r['emulatorCpuSeconds']:.2f} | {'–' if r['rows'] is None else r['rows']} | {'yes' if r['correct'] else 'NO'} |")
    lines += ["", "(vs jsforce: each sfdc-bulk client against jsforce over the same Bulk API, v1 or 2.0)",
              "", "| client | insert+query CPU s | vs jsforce | insert+query requests "
              "| requests per 100k rows | vs jsforce | all-phase requests | peak RSS MB | worst wall / min |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for client, s in results["summary"].items():
        cpu_ratio = f"1/{1 / s['cpuVsJsforce']:.0f}" if s.get("cpuVsJsforce") else "–"
        req_ratio = f"{s['requestsVsJsforce']:.2f}" if s.get("requestsVsJsforce") else "–"
        lines.append(f"| {client} | {s['insertQueryCpuSeconds']:.2f} | {cpu_ratio} | {s['insertQueryRequests']} "
                     f"| {s['insertQueryRequestsPer100kRows']:.1f} "
                     f"| {req_ratio} | {s['allPhasesRequests']} | {s['peakRssMb']:.1f} "
                     f"| {s['worstWallOverMin']:.2f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
