"""pandas baseline: read_csv + numpy trapezoid over the same file. Prints JSON like the contender."""
import json
import sys
import time

import numpy as np
import pandas as pd

t0 = time.perf_counter()
df = pd.read_csv(sys.argv[1])
trapz = getattr(np, "trapezoid", None) or np.trapz
energy = float(trapz(df["power_w"].to_numpy(), df["time_s"].to_numpy()))
seconds = time.perf_counter() - t0
print(json.dumps({"samples": len(df), "energyJ": energy, "seconds": seconds}))
