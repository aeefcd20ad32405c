"""pandas baseline for bench:campaign: every bundle's USB-meter CSV read with read_csv, power
V x A put on the inference clock (clock_offset_s), and each inference's energy over its window
[start_s, end_s] by the trapezoid with the edges interpolated (cumulative trapezoid, np.searchsorted);
energies summed per run. Prints {"runs": {run_id: energyJ}, "samples", "inferences", "seconds"}."""
import json
import os
import sys
import time

import numpy as np
import pandas as pd

t0 = time.perf_counter()
root = sys.argv[1]
runs = {}
samples = 0
inferences = 0
for name in sorted(os.listdir(root)):
    d = os.path.join(root, name)
    if not os.path.isfile(os.path.join(d, "manifest.json")):
        continue
    with open(os.path.join(d, "manifest.json")) as f:
        m = json.load(f)
    p = pd.read_csv(os.path.join(d, m["files"]["power"][0]))
    t = p["time_s"].to_numpy() + m["clock_offset_s"]
    w = p["voltage_V"].to_numpy() * p["current_A"].to_numpy()
    cum = np.concatenate(([0.0], np.cumsum((w[1:] + w[:-1]) * 0.5 * np.diff(t))))
    inf = pd.read_json(os.path.join(d, m["files"]["inference"][0]), lines=True)

    def integral(x):
        i = np.clip(np.searchsorted(t, x, side="right") - 1, 0, len(t) - 2)
        wx = w[i] + (w[i + 1] - w[i]) * (x - t[i]) / (t[i + 1] - t[i])
        return cum[i] + (w[i] + wx) * 0.5 * (x - t[i])

    e = integral(inf["end_s"].to_numpy()) - integral(inf["start_s"].to_numpy())
    runs[m.get("run_id", name)] = float(e.sum())
    samples += len(t)
    inferences += len(inf)
seconds = time.perf_counter() - t0
print(json.dumps({"runs": runs, "samples": samples, "inferences": inferences, "seconds": seconds}))
