"""assay vs Inspect AI vs promptfoo on one local mock OpenAI-compatible server.

    .venv/bin/python bench/runner_vs_peers/bench.py --n 10000 --latency 0 --tools assay,inspect,promptfoo

Peers are installed outside the repository (see /work/shared/PEERS.md):
``INSPECT=/tmp/peers-venv/bin/inspect`` and ``PROMPTFOO=/tmp/peers-node/node_modules/.bin/promptfoo``.
One mock server process (``python -m assay.testing.mock_openai``) serves every tool in
turn; each tool runs under ``/usr/bin/time -v`` so wall time, CPU seconds (user + sys of
the tool's processes, not the server's) and peak RSS are measured from outside. Every
tool logs every result (assay: its store; Inspect: its .eval log; promptfoo: results.json).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PY = sys.executable


def _cpu_of(pid: int) -> float:
    """CPU seconds (user + sys) used so far by process ``pid`` (the mock server)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: int = 3600, ok: tuple[int, ...] = (0,)) -> dict[str, float]:
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v", *cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - t0
    err = p.stderr
    if p.returncode not in ok:
        raise SystemExit(f"{cmd[0]} failed ({p.returncode}):\n{err[-3000:]}\n{p.stdout[-2000:]}")

    def field(name: str) -> float:
        m = re.search(rf"{re.escape(name)}: ([\d.]+)", err)
        return float(m.group(1)) if m else float("nan")

    inner = re.search(r'"seconds": ([\d.]+)', p.stdout)  # assay's own run time, start-up excluded
    req = re.search(r'"request_seconds": ([\d.]+)', p.stdout)  # first request sent to last result committed
    return {"wall": wall, "cpu": field("User time (seconds)") + field("System time (seconds)"),
            "rss_mb": field("Maximum resident set size (kbytes)") / 1024, "inner": float(inner.group(1)) if inner else float("nan"),
            "requests": float(req.group(1)) if req else float("nan")}


def _server(latency: float) -> tuple[subprocess.Popen[str], str]:
    p = subprocess.Popen([PY, "-m", "assay.testing.mock_openai", "--port", "0", "--latency", str(latency)],
                         stdout=subprocess.PIPE, text=True)
    assert p.stdout is not None
    url = p.stdout.readline().strip()
    return p, url


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--latency", type=float, default=0.0)
    ap.add_argument("--tools", default="assay,inspect,promptfoo")
    ap.add_argument("--assay-concurrency", default="64,256")
    ap.add_argument("--inspect-concurrency", default="64,256")
    ap.add_argument("--promptfoo-concurrency", default="64,256")
    ap.add_argument("--http", default="aiohttp", help="assay's HTTP client: aiohttp or httpx")
    args = ap.parse_args()
    server, url = _server(args.latency)
    rows = []
    try:
        for tool in args.tools.split(","):
            for conc in getattr(args, f"{tool}_concurrency").split(","):
                work = Path(tempfile.mkdtemp(prefix=f"bench-{tool}-"))
                server_cpu0 = _cpu_of(server.pid)
                subprocess.run([PY, str(HERE / "setup_data.py"), str(work), str(args.n), url, "--http", args.http], check=True)
                if tool == "assay":
                    cmd = [str(REPO / ".venv/bin/assay"), "run", "--set", "bench", "-p", str(work / "assay"), "--concurrency", conc, "--json"]
                    m = _timed(cmd, work / "assay")
                elif tool == "inspect":
                    env = {**os.environ, "MOCK_API_KEY": "x", "MOCK_BASE_URL": url}
                    cmd = [os.environ.get("INSPECT", "/tmp/peers-venv/bin/inspect"), "eval", "task.py", "--model", "openai-api/mock/mock-model",
                           "--max-connections", conc, "--max-samples", conc, "--display", "none", "--log-dir", "logs"]
                    m = _timed(cmd, work / "inspect", env)
                else:
                    env = {**os.environ, "PROMPTFOO_DISABLE_TELEMETRY": "1", "PROMPTFOO_DISABLE_UPDATE": "1",
                           "PROMPTFOO_CONFIG_DIR": str(work / "pf-config")}
                    cmd = [os.environ.get("PROMPTFOO", "/tmp/peers-node/node_modules/.bin/promptfoo"), "eval", "-c", "promptfooconfig.yaml",
                           "--no-cache", "-j", conc, "--no-progress-bar"]
                    m = _timed(cmd, work / "promptfoo", env, ok=(0, 100))  # 100: some assertions failed
                ideal = args.n * args.latency / int(conc)
                srv = 1000 * (_cpu_of(server.pid) - server_cpu0) / args.n
                rows.append((tool, conc, m["wall"], args.n / m["wall"], 1000 * m["cpu"] / args.n, m["rss_mb"], ideal, m["inner"], srv, m["requests"]))
                print(f"{tool:9} c={conc:>4}  wall {m['wall']:7.2f}s  {args.n / m['wall']:8.0f} req/s  "
                      f"CPU {1000 * m['cpu'] / args.n:6.3f} ms/req  RSS {m['rss_mb']:6.0f} MB  ideal {ideal:.2f}s  "
                      f"run-only {m['inner']:.2f}s  requests {m['requests']:.2f}s  server CPU {srv:.3f} ms/req", flush=True)
                shutil.rmtree(work, ignore_errors=True)
    finally:
        server.terminate()
        server.wait()
    print(f"\nN={args.n} latency={args.latency * 1000:g} ms, one mock server process, 2-core machine")
    print("| tool | concurrency | wall s | requests/s | CPU ms/request | peak RSS MB | ideal wall s | run only s (req/s) | request phase s | mock server CPU ms/request |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        inner = "–" if r[7] != r[7] else f"{r[7]:.2f} ({args.n / r[7]:.0f})"
        req = "–" if r[9] != r[9] else f"{r[9]:.2f}"
        print(f"| {r[0]} | {r[1]} | {r[2]:.2f} | {r[3]:.0f} | {r[4]:.3f} | {r[5]:.0f} | {r[6]:.2f} | {inner} | {req} | {r[8]:.3f} |")


if __name__ == "__main__":
    main()
