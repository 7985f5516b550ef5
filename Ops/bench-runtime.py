#!/usr/bin/env python3
"""The paper's runtime comparison in one run, on one machine: for each task and batch size B, the
time of one call that takes B samples to their outputs and dense Jacobian blocks, float32.

    Ops/bench-runtime.py [--ccelim .build/release/ccelim] [--tasks A,B] [--batches 1,512,4096]
                         [--trials 100] [--json Docs/benchmarks/runtime.json] [--plot Docs/plots/runtime.svg]

Variants (the same program everywhere: f is the program as `ccelim codegen` writes it, straight-line
jax.numpy with the jaxpr's primal operations, since the tasks exist here only as jaxprs):
  jax jacfwd        jit(vmap(jacfwd(f, argnums=all)))
  jax jacrev        jit(vmap(jacrev(f, argnums=all)))
  jax fwd/rev/best  jit(vmap(jacobian)) of `ccelim codegen --target jax --order fwd|rev|best`
  interpreter best  `ccelim jacobian --order best --precision float32 --bench` (its own timing loop)
  c fwd/rev/best    NAME_jacobian_f32 of `ccelim codegen --target c`, built with cc -O2 -shared, via ctypes
Each trial times enough back-to-back calls to last >= 2 ms and reports the mean per call; after
warm-up (compilation, first calls), --trials trials give the median and the 2.5 / 97.5 %
percentiles. The trials of the JAX and C variants are interleaved, so a shared machine's load
falls on all of them alike; the interpreter is timed after them by `ccelim jacobian --bench`
(--runs = --trials, each run >= 50 ms). Inputs: the task's safe point (Datasets/sample-inputs.json) scaled per sample by a
factor in [0.95, 1.05). XLA runs on one thread (XLA_FLAGS, unless set), as the C code and the
interpreter do. Batch sizes are the outer loop and the JSON is rewritten after each task, so a run
stopped early keeps what it measured. Needs jax, numpy, matplotlib (Ops/python-requirements.txt) and cc.
"""
import argparse
import ctypes
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

TASKS = ["RoeFlux_1d", "RoeFlux_3d", "RobotArm_6DOF", "HumanHeartDipole", "PropaneCombustion", "g"]
ORDERS = ["fwd", "rev", "best"]
VARIANTS = ["jax jacfwd", "jax jacrev"] + [f"jax {o}" for o in ORDERS] + ["interpreter best"] + [f"c {o}" for o in ORDERS]
MIN_TRIAL_SECONDS = 2e-3


def run(cmd, **kw):
    result = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if result.returncode != 0:
        sys.exit(f"bench-runtime: {' '.join(cmd)} failed:\n{result.stderr.strip()}")
    return result.stdout


def load_module(path):
    spec = importlib.util.spec_from_file_location(os.path.basename(path)[:-3], path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def measure(calls, trials):
    """Per-call seconds of `trials` trials of every call, after warm-up; each trial repeats its
    call for >= 2 ms. Trials are interleaved (trial t of every variant, then t + 1), so the load
    of a shared machine falls on all variants alike."""
    reps = {}
    for name, call in calls.items():
        for _ in range(3):
            call()
        start = time.perf_counter()
        call()
        reps[name] = max(1, int(MIN_TRIAL_SECONDS / max(time.perf_counter() - start, 1e-7)))
    times = {name: [] for name in calls}
    for _ in range(trials):
        for name, call in calls.items():
            start = time.perf_counter()
            for _ in range(reps[name]):
                call()
            times[name].append((time.perf_counter() - start) / reps[name])
    return times


def summary(times):
    t = np.asarray(times)
    return {
        "median_seconds": float(np.median(t)),
        "p2_5_seconds": float(np.percentile(t, 2.5)),
        "p97_5_seconds": float(np.percentile(t, 97.5)),
        "trials": len(times),
    }


class CJacobian:
    """A generated C Jacobian loaded from its shared library: float32, structure of arrays."""

    def __init__(self, directory, name, layout):
        library = os.path.join(directory, f"lib{name}.so")
        run(["cc", "-O2", "-shared", "-fPIC", os.path.join(directory, f"{name}.c"), "-lm", "-o", library])
        self.lib = ctypes.CDLL(library)
        self.fn = getattr(self.lib, f"{name}_jacobian_f32")
        self.fn.restype = ctypes.c_int
        self.layout = layout

    def bind(self, inputs):
        """inputs[k]: (B, *shape_k) float32. Returns a zero-argument call into preallocated buffers."""
        B = inputs[0].shape[0]
        in_sizes = [int(np.prod(s)) for s in self.layout["inputs"]]
        out_sizes = [int(np.prod(s)) for s in self.layout["outputs"]]
        self.soa = [np.ascontiguousarray(x.reshape(B, n).T) for x, n in zip(inputs, in_sizes)]
        self.outs = [np.zeros((n, B), np.float32) for n in out_sizes]
        self.blocks = [np.zeros((m * n, B), np.float32) for m in out_sizes for n in in_sizes]
        P = ctypes.POINTER(ctypes.c_float)
        ins = (P * len(self.soa))(*[a.ctypes.data_as(P) for a in self.soa])
        outs = (P * len(self.outs))(*[a.ctypes.data_as(P) for a in self.outs])
        blocks = (P * len(self.blocks))(*[a.ctypes.data_as(P) for a in self.blocks])
        self.args = (ctypes.c_size_t(B), ins, outs, blocks)

        def call():
            if self.fn(*self.args) != 0:
                sys.exit("bench-runtime: the generated C could not allocate its arena")

        return call


def interpreter_times(ccelim, task, B, trials, datasets):
    out = run([ccelim, "jacobian", task, "--order", "best", "--batch", str(B), "--precision", "float32",
               "--bench", "--runs", str(trials), "--json", "--datasets", datasets])
    return json.loads(out)["bench"]["run_seconds"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
    parser.add_argument("--ccelim", default=os.path.join(root, ".build/release/ccelim"))
    parser.add_argument("--datasets", default=os.path.join(root, "Datasets"))
    parser.add_argument("--tasks", default=",".join(TASKS))
    parser.add_argument("--batches", default="1,512,4096")
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--json", default=os.path.join(root, "Docs/benchmarks/runtime.json"))
    parser.add_argument("--plot", default=os.path.join(root, "Docs/plots/runtime.svg"))
    parser.add_argument("--table", metavar="RUNTIME.json",
                        help="print the Markdown table and the issue's three targets of a finished run, redraw --plot, and stop")
    args = parser.parse_args()
    if args.table:
        result = json.load(open(args.table))
        table(result)
        rows = result["rows"]
        tasks = [t for t in TASKS if any(r["task"] == t for r in rows)]
        plot(rows, tasks, sorted({r["batch"] for r in rows}), args.plot)
        return
    if not os.access(args.ccelim, os.X_OK):
        sys.exit(f"bench-runtime: --ccelim {args.ccelim} is not an executable (swift build -c release --product ccelim)")

    # One thread for XLA, as the C code and the interpreter run on one.
    os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")
    import jax
    import jax.numpy as jnp

    tasks = args.tasks.split(",")
    batches = [int(b) for b in args.batches.split(",")]
    samples = json.load(open(os.path.join(args.datasets, "sample-inputs.json")))["tasks"]
    work = tempfile.mkdtemp(prefix="ccelim-bench-runtime-")
    rows = []
    started = time.time()
    prepared = {}
    for task in tasks:
        modules, cs = {}, {}
        for order in ORDERS:
            path = os.path.join(work, f"{task}_{order}.py")
            run([args.ccelim, "codegen", task, "--order", order, "--target", "jax", "-o", path, "--datasets", args.datasets])
            modules[order] = load_module(path)
            cdir = os.path.join(work, f"{task}_{order}_c")
            name = f"{task}_{order}".replace("-", "_")
            run([args.ccelim, "codegen", task, "--order", order, "--target", "c", "-o", cdir, "--name", name,
                 "--datasets", args.datasets])
            layout = {"inputs": modules[order].INPUT_SHAPES, "outputs": modules[order].OUTPUT_SHAPES}
            cs[order] = CJacobian(cdir, name, layout)
        prepared[task] = (modules, cs)
        print(f"{task}: generated and compiled ({time.time() - started:.0f} s)", flush=True)
    # Batch sizes outermost: a run stopped early still has every task at the first batch size.
    for B in batches:
        for task in tasks:
            modules, cs = prepared[task]
            f = modules["best"].f
            argnums = tuple(range(len(modules["best"].INPUT_SHAPES)))
            point = samples[task]["inputs"]
            rng = np.random.default_rng(1)
            scale = rng.uniform(0.95, 1.05, size=B).astype(np.float32)
            inputs = [(np.asarray(x, np.float32)[None, ...] * scale.reshape((B,) + (1,) * np.ndim(x))).astype(np.float32)
                      for x in point]
            device = [jnp.asarray(x) for x in inputs]
            calls = {
                "jax jacfwd": jax.jit(jax.vmap(jax.jacfwd(f, argnums=argnums))),
                "jax jacrev": jax.jit(jax.vmap(jax.jacrev(f, argnums=argnums))),
            }
            for order in ORDERS:
                calls[f"jax {order}"] = jax.jit(jax.vmap(modules[order].jacobian))
            timed = {}
            for variant in VARIANTS:
                if variant.startswith("c "):
                    timed[variant] = cs[variant[2:]].bind(inputs)
                elif variant.startswith("jax "):
                    timed[variant] = (lambda fn: lambda: jax.block_until_ready(fn(*device)))(calls[variant])
            times = measure(timed, args.trials)
            times["interpreter best"] = interpreter_times(args.ccelim, task, B, args.trials, args.datasets)
            for variant in VARIANTS:
                order = variant.split()[-1]
                row = {"task": task, "batch": B, "variant": variant,
                       "multiplications": modules[order].MULTIPLICATIONS if order in modules else None} | summary(times[variant])
                rows.append(row)
                print(f"{task:18s} B={B:5d} {variant:17s} median {row['median_seconds'] * 1e3:9.4f} ms "
                      f"[{row['p2_5_seconds'] * 1e3:.4f}, {row['p97_5_seconds'] * 1e3:.4f}]", flush=True)
            write(args, jax.__version__, rows, started)
    plot(rows, tasks, batches, args.plot)
    print(f"wrote {args.json} and {args.plot} ({time.time() - started:.0f} s, load average {os.getloadavg()})")


def write(args, jax_version, rows, started):
    """The JSON so far (rewritten after every task and batch size, so a stopped run keeps its rows)."""
    result = {
        "command": " ".join(sys.argv),
        "jax_version": jax_version,
        "xla_flags": os.environ.get("XLA_FLAGS", ""),
        "precision": "float32",
        "trials": args.trials,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "seconds": round(time.time() - started, 1),
        "rows": rows,
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
    with open(args.json + ".tmp", "w") as out:
        json.dump(result, out, indent=1)
    os.replace(args.json + ".tmp", args.json)


def table(result):
    """Medians in ms (2.5-97.5 % below each) per task and batch size, then the issue's targets."""
    rows = result["rows"]
    keys = sorted({(r["task"], r["batch"]) for r in rows}, key=lambda k: (TASKS.index(k[0]) if k[0] in TASKS else 99, k[1]))
    print("| task | B | " + " | ".join(VARIANTS) + " |")
    print("|---|---:|" + "---:|" * len(VARIANTS))
    by = {(r["task"], r["batch"], r["variant"]): r for r in rows}
    for task, B in keys:
        cells = []
        for v in VARIANTS:
            r = by.get((task, B, v))
            cells.append(f"{r['median_seconds'] * 1e3:.4g}" if r else "")
        print(f"| {task} | {B} | " + " | ".join(cells) + " |")
    print()

    def median(task, B, v):
        r = by.get((task, B, v))
        return r["median_seconds"] if r else None

    rev, c = median("RoeFlux_1d", 512, "jax jacrev"), median("RoeFlux_1d", 512, "c best")
    if rev and c:
        print(f"- target 1: C best vs jit(vmap(jacrev)) on RoeFlux_1d, B = 512: {rev / c:.1f}x faster (target >= 5x)")
    for B in sorted({k[1] for k in keys}):
        tasks = [t for t, b in keys if b == B]
        wins_c = [t for t in tasks if median(t, B, "c best") and median(t, B, "c best") < min(median(t, B, "c fwd"), median(t, B, "c rev"))]
        wins_jax = [t for t in tasks if median(t, B, "jax best") and median(t, B, "jax best") < median(t, B, "jax jacrev")]
        print(f"- B = {B}: C best faster than C fwd and C rev on {len(wins_c)} of {len(tasks)} tasks ({', '.join(wins_c)}) (target >= 5 of 6); "
              f"JAX best faster than jit(vmap(jacrev)) on {len(wins_jax)} of {len(tasks)} ({', '.join(wins_jax)}) (target >= 4 of 6)")


def plot(rows, tasks, batches, path):
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.fonttype"] = "none"  # text as text: a small SVG
    import matplotlib.pyplot as plt

    batches = [B for B in batches if any(r["batch"] == B for r in rows)]
    fig, axes = plt.subplots(len(batches), len(tasks), figsize=(3.2 * len(tasks), 3.0 * len(batches)), squeeze=False)
    colors = {"jax": "tab:blue", "interpreter": "tab:gray", "c": "tab:green"}
    for i, B in enumerate(batches):
        for j, task in enumerate(tasks):
            ax = axes[i][j]
            data = [r for r in rows if r["task"] == task and r["batch"] == B]
            ys = [r["median_seconds"] * 1e3 for r in data]
            lo = [(r["median_seconds"] - r["p2_5_seconds"]) * 1e3 for r in data]
            hi = [(r["p97_5_seconds"] - r["median_seconds"]) * 1e3 for r in data]
            ax.bar(range(len(data)), ys, yerr=[lo, hi], capsize=2,
                   color=[colors[r["variant"].split()[0]] for r in data])
            ax.set_xticks(range(len(data)))
            ax.set_xticklabels([r["variant"] for r in data], rotation=90, fontsize=7)
            ax.set_yscale("log")
            ax.set_title(f"{task}, B = {B}", fontsize=9)
            if j == 0:
                ax.set_ylabel("ms per call (median, 2.5-97.5 %)", fontsize=8)
    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fig.savefig(path)


if __name__ == "__main__":
    main()
