import { calibratedPowerW } from "../../ingest/energy/calibration.js";
import type { BundleResult } from "../../ingest/bundle/result.js";
import { bundleTimelineFigure, type TimelineChannel } from "../../figures/specs/bundle-timeline.js";
import type { FigureSpec } from "../../figures/types.js";
import { readPowerLog } from "../../io/power/read.js";

/** Every reading of a power log of the bundle, on the inference clock and calibrated. */
async function readChannel(result: BundleResult, bundleDir: string, name: string): Promise<TimelineChannel> {
  const m = result.manifest;
  const cal = m.power_calibration
    ? { gain: m.power_calibration.gain, offsetW: m.power_calibration.offset_w }
    : undefined;
  const rel = name.slice(result.runId.length + 1);
  const log = readPowerLog(`${bundleDir}/${rel}`, {
    ...(m.meter ? { format: m.meter } : {}),
    ...(m.power_interval_ms ? { intervalMs: m.power_interval_ms } : {}),
    onQuarantine: () => undefined,
  });
  const tS: number[] = [];
  const powerW: number[] = [];
  for await (const batch of log.batches()) {
    for (const s of batch) {
      tS.push(s.tS! + m.clock_offset_s);
      powerW.push(calibratedPowerW(s.powerW, cal));
    }
  }
  return { name: rel, tS, powerW };
}

/**
 * The power timeline figure of an ingested bundle (see `bundleTimelineFigure`), its power logs
 * read again from `bundleDir` (the bundle's folder by default).
 */
export async function bundleTimelineSpec(result: BundleResult, bundleDir: string = result.dir): Promise<FigureSpec> {
  const channels: TimelineChannel[] = [];
  for (const f of result.files.filter((x) => x.role === "power"))
    channels.push(await readChannel(result, bundleDir, f.name));
  return bundleTimelineFigure(result, channels);
}
