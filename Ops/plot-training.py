#!/usr/bin/env python3
"""Plot a ccelim training run: every episode's cost against training wall time, and the best
cost so far, from RUN_DIR/episodes.h5 (schema: Docs/CHECKPOINT.md). Works while the run is
still training (the log is opened as an SWMR reader).

    Ops/plot-training.py runs/NAME OUT.png

Needs h5py and matplotlib (python3 -m pip install h5py matplotlib).
"""
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")  # files only: no display needed
import matplotlib.pyplot as plt
import numpy as np


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip())
    run_dir, out = sys.argv[1], sys.argv[2]
    path = os.path.join(run_dir, "episodes.h5")
    with h5py.File(path, "r", libver="latest", swmr=True) as f:
        if f.attrs.get("format") != "ccelim-episodes":
            sys.exit(f"{path}: not a ccelim episode log")
        # Only committed rows (Docs/CHECKPOINT.md): rows past the commit record belong to an update
        # that never finished and may be torn. A version 1 log has no record; all its rows count.
        committed = f["committed"][0] if "committed" in f else None
        n_episodes = int(committed["episodes"]) if committed is not None else f["episodes"].shape[0]
        n_updates = int(committed["updates"]) if committed is not None else f["updates"].shape[0]
        episodes = f["episodes"][:n_episodes]  # structured: id, task, actor, policy_version, cost, length, wall_time, order_offset
        updates = f["updates"][:n_updates]
        tasks = f.attrs["tasks"].split("\n")
    if len(episodes) == 0:
        sys.exit(f"{path}: no episodes logged yet")

    fig, ax = plt.subplots(figsize=(8, 4.5))
    for t, name in enumerate(tasks):
        rows = episodes[episodes["task"] == t]
        if len(rows) == 0:
            continue
        order = np.argsort(rows["wall_time"], kind="stable")
        time, cost = rows["wall_time"][order], rows["cost"][order]
        ax.scatter(time, cost, s=4, alpha=0.3, label=f"{name}: episode cost")
        ax.step(time, np.minimum.accumulate(cost), where="post", linewidth=2, label=f"{name}: best so far")
    ax.set_xlabel("training wall time (s)")
    ax.set_ylabel("multiplications (cost)")
    ax.set_title(f"{os.path.basename(os.path.normpath(run_dir))}: {len(episodes)} episodes, {len(updates)} updates")
    ax.legend(loc="upper right")
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    print(f"{out}: {len(episodes)} episodes, {len(updates)} updates, best cost {int(episodes['cost'].min())}")


if __name__ == "__main__":
    main()
