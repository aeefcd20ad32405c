/** The probe as a stage: describe this machine, measure its read bandwidth, assemble probe.json. */
import { machineInfo } from "../../io/host/machine.js";
import { DEFAULT_BANDWIDTH_SIZES, measureBandwidth } from "../../probe/bandwidth.js";
import { probeResult, type ProbeOptions, type ProbeResult } from "../../probe/probe.js";

export async function runProbe(o: ProbeOptions = {}): Promise<ProbeResult> {
  const machine = machineInfo();
  const points = await measureBandwidth({
    sizesBytes: o.sizesBytes ?? DEFAULT_BANDWIDTH_SIZES,
    ...(o.threads ? { threads: o.threads } : {}),
    ...(o.methods ? { methods: o.methods } : {}),
    ...(o.trials ? { trials: o.trials } : {}),
    ...(o.onPoint ? { onPoint: o.onPoint } : {}),
  });
  return probeResult(machine, points, new Date());
}
