import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Command, CommandContext } from "../command.js";
import { optFlag, optInt, optList, optNumber, optString, type NumberOptionSpec } from "../command.js";
import { usageError } from "../../errors.js";
import { probeToWire } from "../../io/probe/files.js";
import { measureComputeRate } from "../../pipeline/probe/compute-probe.js";
import { runProbe } from "../../pipeline/probe/probe.js";
import { writeDeviceSpecFile, writeProbeFile } from "../../pipeline/probe/write.js";
import type { BandwidthPoint, BandwidthMethod } from "../../probe/bandwidth.js";
import type { ComputePoint } from "../../probe/compute.js";
import { buildDeviceSpec } from "../../probe/device-spec.js";
import type { ProbeResult } from "../../probe/probe.js";

const usage = `Usage: slm-energy probe [--sizes-mib 4,16,64,256] [--threads 1,N] [--methods memchr,js] [--trials 5]
                        [--no-compute] [--compute-threads T]
                        [--out probe.json] [--device-spec FILE.json] [--id ID] [--spec-power-w W] [--json]

Measures this machine's effective memory read bandwidth: worker threads stream over their own
buffers (filled, so every page is real memory), all released together; best of --trials.
  memchr  Buffer.indexOf of an absent byte = libc memchr, a vectorised streaming read at native
          speed: the access pattern of a decode step reading each weight once
  js      a JavaScript Float64Array sum (8-way unrolled): what plain JS reaches, for comparison
Buffers beyond the last-level cache measure DRAM; the effective bandwidth is the best memchr
figure with at least 4 × LLC in flight.

Compute rate (unless --no-compute): llama.cpp's prefill of a 256-token prompt on a synthetic
tinyllama-shaped model (~55 M parameters) per quantization (Q4_0, Q8_0, F16), as GFLOP/s of the
forward pass (2 FLOPs per weight per token, plus attention), best of 3 after a warm-up; threads
--compute-threads (default: the machine's math cores). Takes some seconds per quantization.

--out FILE           write the probe (slm-energy/probe@1 JSON: machine, every point, effective)
--device-spec FILE   write a device spec in the catalog's format (data/catalog/devices.json entry)
                     with the MEASURED bandwidth as memoryBandwidthGBps and a "measured" block
                     (bandwidth, llama.cpp compute rate, how) that predict --device-spec uses over
                     the spec-sheet peaks; estimated fields (FLOPs/cycle from ISA flags,
                     specPowerW unless --spec-power-w) say so in source
--id ID              device id in the spec (default "this-machine")

Exit codes: 0 ok, 1 failure, 2 bad input or usage.`;

const MIB = 2 ** 20;

/**
 * A comma-separated list of numbers, each checked as optInt/optNumber check one value, so a bad
 * item gets the message every numeric option gives (`--threads must be an integer > 0 (got "x")`).
 */
export function optNumberList(
  ctx: CommandContext,
  name: string,
  spec: NumberOptionSpec & { integer?: boolean },
): number[] | undefined {
  const read = spec.integer ? optInt : optNumber;
  return optList(ctx, name)?.map((item) => read({ ...ctx, values: { [name]: item } }, name, spec)!);
}

const bandwidthRow = (p: BandwidthPoint): string =>
  `${p.method.padEnd(7)} ${String(p.threads).padStart(7)}  ${(p.bufferBytes / MIB).toFixed(0).padStart(10)}  ` +
  `${p.bestGBps.toFixed(2).padStart(10)}  ${p.medianGBps.toFixed(2).padStart(12)}\n`;

const computeRow = (p: ComputePoint): string =>
  `${p.quant.padEnd(5)}  ${String(p.threads).padStart(7)}  ${p.bestGflopsPerS.toFixed(1).padStart(22)}  ` +
  `${p.medianGflopsPerS.toFixed(1).padStart(6)}\n`;

function methodsOpt(ctx: CommandContext): BandwidthMethod[] | undefined {
  const methods = optList(ctx, "methods");
  if (methods && methods.some((m) => m !== "memchr" && m !== "js")) throw usageError("--methods: use memchr and/or js");
  return methods as BandwidthMethod[] | undefined;
}

/** llama.cpp's prefill rate per quantization, on synthetic models in a temporary folder. */
async function measureCompute(ctx: CommandContext, json: boolean): Promise<ComputePoint[]> {
  const threads = optInt(ctx, "compute-threads", { min: 1 });
  const work = mkdtempSync(join(tmpdir(), "slm-probe-"));
  try {
    if (!json) ctx.stdout("\nquant  threads  prefill GFLOP/s (best)  median\n");
    return await measureComputeRate({
      root: ctx.root,
      workDir: work,
      ...(threads === undefined ? {} : { threads }),
      onPoint: (p) => (json ? undefined : ctx.stdout(computeRow(p))),
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The fastest quantization's best llama.cpp prefill rate, for the spec's measured compute. */
function bestCompute(result: ProbeResult): { gflops: number; method: string } | null {
  const best = [...(result.compute ?? [])].sort((a, b) => b.bestGflopsPerS - a.bestGflopsPerS)[0];
  if (!best) return null;
  return {
    gflops: best.bestGflopsPerS,
    method:
      `llama.cpp prefill of a ${best.promptTokens}-token prompt on a synthetic ${best.quant} model ` +
      `(${best.threads} threads, best of ${best.trials}; the fastest of the probed quantizations)`,
  };
}

/** Write the device spec file (--device-spec) built from the probe. */
function writeSpec(ctx: CommandContext, result: ProbeResult, specFile: string, trials: number | undefined): void {
  if (!result.effective)
    throw usageError(
      "no buffer size beyond the last-level cache was measured: the device spec needs a DRAM figure",
      "add a larger --sizes-mib",
    );
  const e = result.effective;
  const spec = buildDeviceSpec({
    id: optString(ctx, "id") ?? "this-machine",
    machine: result.machine,
    measuredGBps: e.gbps,
    bandwidthMethod:
      `memchr streaming read, ${e.threads} thread(s), ${(e.bufferBytes / MIB).toFixed(0)} MiB per thread, ` +
      `best of ${trials ?? 5}`,
    specPowerW: optNumber(ctx, "spec-power-w", { min: 0, exclusiveMin: true }) ?? null,
    compute: bestCompute(result),
  });
  writeDeviceSpecFile(resolve(specFile), spec);
}

function summary(result: ProbeResult, out: string | undefined, specFile: string | undefined): string {
  const m = result.machine;
  const e = result.effective;
  const llc = m.llcBytes ? (m.llcBytes / MIB).toFixed(0) + " MiB" : "unknown";
  return (
    `\n${m.cpuModel}, ${m.logicalCpus} CPUs${m.virtualized ? " (VM)" : ""}, LLC ${llc}, ` +
    `${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB\n` +
    (e
      ? `effective DRAM read bandwidth: ${e.gbps.toFixed(2)} GB/s ` +
        `(${e.threads} thread(s), ${(e.bufferBytes / MIB).toFixed(0)} MiB/thread)\n`
      : "no buffer beyond the last-level cache was measured: no DRAM figure\n") +
    (out ? `wrote ${resolve(out)}\n` : "") +
    (specFile ? `wrote ${resolve(specFile)}\n` : "")
  );
}

export const probeCommand: Command = {
  name: "probe",
  summary: "measure this machine's effective memory bandwidth and emit a device spec",
  usage,
  options: {
    "sizes-mib": { type: "string" },
    threads: { type: "string" },
    methods: { type: "string" },
    trials: { type: "string" },
    out: { type: "string" },
    "device-spec": { type: "string" },
    id: { type: "string" },
    "spec-power-w": { type: "string" },
    "no-compute": { type: "boolean" },
    "compute-threads": { type: "string" },
    json: { type: "boolean" },
  },
  async run(ctx) {
    const sizes = optNumberList(ctx, "sizes-mib", { min: 0, exclusiveMin: true })?.map((m) => Math.round(m * MIB));
    const threads = optNumberList(ctx, "threads", { integer: true, min: 1 });
    const methods = methodsOpt(ctx);
    const trials = optInt(ctx, "trials", { min: 1 });
    optNumber(ctx, "spec-power-w", { min: 0, exclusiveMin: true }); // checked before the measurement
    const json = optFlag(ctx, "json");
    if (!json) ctx.stdout("method  threads  buffer MiB   best GB/s   median GB/s\n");
    const result = await runProbe({
      ...(sizes ? { sizesBytes: sizes } : {}),
      ...(threads ? { threads } : {}),
      ...(methods ? { methods } : {}),
      ...(trials ? { trials } : {}),
      onPoint: (p) => (json ? undefined : ctx.stdout(bandwidthRow(p))),
    });
    if (!optFlag(ctx, "no-compute")) result.compute = await measureCompute(ctx, json);
    const out = optString(ctx, "out");
    if (out) writeProbeFile(resolve(out), result);
    const specFile = optString(ctx, "device-spec");
    if (specFile) writeSpec(ctx, result, specFile, trials);
    ctx.stdout(json ? JSON.stringify(probeToWire(result), null, 2) + "\n" : summary(result, out, specFile));
    return 0;
  },
};
