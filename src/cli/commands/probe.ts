import { resolve } from "node:path";
import type { Command } from "../command.js";
import { optFlag, optList, optString } from "../command.js";
import { usageError } from "../../errors.js";
import { writeFileAtomic } from "../../io/atomic-write.js";
import { buildDeviceSpec, measureComputeRate, runProbe, type BandwidthMethod } from "../../probe/index.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

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
                     with the MEASURED bandwidth as memoryBandwidthGBps; estimated fields
                     (FLOPs/cycle from ISA flags, specPowerW unless --spec-power-w) say so in source
--id ID              device id in the spec (default "this-machine")

Exit codes: 0 ok, 1 failure, 2 bad input or usage.`;

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
    const nums = (name: string, integer: boolean): number[] | undefined => {
      const l = optList(ctx, name);
      if (!l) return undefined;
      return l.map((s) => {
        const v = Number(s);
        if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v)))
          throw usageError(`--${name}: "${s}" is not a positive ${integer ? "integer" : "number"}`);
        return v;
      });
    };
    const sizes = nums("sizes-mib", false)?.map((m) => Math.round(m * 2 ** 20));
    const threads = nums("threads", true);
    const methods = optList(ctx, "methods");
    if (methods && methods.some((m) => m !== "memchr" && m !== "js"))
      throw usageError("--methods: use memchr and/or js");
    const trials = nums("trials", true)?.[0];
    const specPowerText = optString(ctx, "spec-power-w");
    const specPowerW = specPowerText === undefined ? null : Number(specPowerText);
    if (specPowerW !== null && !(specPowerW > 0))
      throw usageError(`--spec-power-w must be a positive number of watts, got "${specPowerText}"`);
    const json = optFlag(ctx, "json");
    if (!json) ctx.stdout("method  threads  buffer MiB   best GB/s   median GB/s\n");
    const result = await runProbe({
      ...(sizes ? { sizesBytes: sizes } : {}),
      ...(threads ? { threads } : {}),
      ...(methods ? { methods: methods as BandwidthMethod[] } : {}),
      ...(trials ? { trials } : {}),
      onPoint: (p) => {
        if (!json)
          ctx.stdout(
            `${p.method.padEnd(7)} ${String(p.threads).padStart(7)}  ${(p.bufferBytes / 2 ** 20).toFixed(0).padStart(10)}  ${p.bestGBps.toFixed(2).padStart(10)}  ${p.medianGBps.toFixed(2).padStart(12)}\n`,
          );
      },
    });
    if (!optFlag(ctx, "no-compute")) {
      const ct = nums("compute-threads", true)?.[0];
      const work = mkdtempSync(join(tmpdir(), "slm-probe-"));
      try {
        if (!json) ctx.stdout("\nquant  threads  prefill GFLOP/s (best)  median\n");
        result.compute = await measureComputeRate({
          root: ctx.root,
          workDir: work,
          ...(ct === undefined ? {} : { threads: ct }),
          onPoint: (p) => {
            if (!json)
              ctx.stdout(
                `${p.quant.padEnd(5)}  ${String(p.threads).padStart(7)}  ${p.bestGflopsPerS.toFixed(1).padStart(22)}  ${p.medianGflopsPerS.toFixed(1).padStart(6)}\n`,
              );
          },
        });
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    }
    const out = optString(ctx, "out");
    if (out) writeFileAtomic(resolve(out), JSON.stringify(result, null, 2) + "\n");
    const specFile = optString(ctx, "device-spec");
    if (specFile) {
      if (!result.effective)
        throw usageError(
          "no buffer size beyond the last-level cache was measured: the device spec needs a DRAM figure",
          "add a larger --sizes-mib",
        );
      const spec = buildDeviceSpec({
        id: optString(ctx, "id") ?? "this-machine",
        machine: result.machine,
        measuredGBps: result.effective.gbps,
        bandwidthMethod: `memchr streaming read, ${result.effective.threads} thread(s), ${(result.effective.bufferBytes / 2 ** 20).toFixed(0)} MiB per thread, best of ${trials ?? 5}`,
        specPowerW,
      });
      writeFileAtomic(resolve(specFile), JSON.stringify({ schemaVersion: 1, device: spec }, null, 2) + "\n");
    }
    if (json) ctx.stdout(JSON.stringify(result, null, 2) + "\n");
    else {
      const m = result.machine;
      ctx.stdout(
        `\n${m.cpuModel}, ${m.logicalCpus} CPUs${m.virtualized ? " (VM)" : ""}, LLC ${m.llcBytes ? (m.llcBytes / 2 ** 20).toFixed(0) + " MiB" : "unknown"}, ${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB\n` +
          (result.effective
            ? `effective DRAM read bandwidth: ${result.effective.gbps.toFixed(2)} GB/s (${result.effective.threads} thread(s), ${(result.effective.bufferBytes / 2 ** 20).toFixed(0)} MiB/thread)\n`
            : "no buffer beyond the last-level cache was measured: no DRAM figure\n") +
          (out ? `wrote ${resolve(out)}\n` : "") +
          (specFile ? `wrote ${resolve(specFile)}\n` : ""),
      );
    }
    return 0;
  },
};
