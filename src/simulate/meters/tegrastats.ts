/**
 * NVIDIA tegrastats. Jetson Nano (JetPack 4) prints `POM_*` rails in mW without a unit and no
 * time; Orin (JetPack 5/6) prints `VDD_*` rails with `mW` and, with `--interval` ≥ 1 s here,
 * a `MM-DD-YYYY HH:MM:SS` prefix (whole seconds: the logger is started on a second boundary so
 * the prefix is exact). Readings are instantaneous INA3221 values (its ~1 ms conversion is
 * negligible), whole mW, with ~10 mW + 0.5 % noise; the second figure of each rail is tegrastats'
 * running average since it started. Without times, readings are `--interval` apart and the
 * manifest's clock offset is the host time of the first one.
 */
import { usageError } from "../../errors.js";
import {
  type MeterContext,
  type MeterOutput,
  type MeterSpec,
  dateTimeText,
  pad2,
  sampleTimes,
  sensed,
} from "./types.js";

const NOISE_W = 0.01;
const NOISE_REL = 0.005;

export function writeTegrastats(ctx: MeterContext): MeterOutput {
  const nano = ctx.device === "jetson-nano";
  const intervalMs = Math.max(1, Math.round(1000 / ctx.sampleHz));
  const dated = !nano && intervalMs % 1000 === 0;
  if (!ctx.allowTimeless && !dated) {
    throw usageError(
      "this damage needs time stamps, and tegrastats on this device (or at this interval) prints none",
      "sample at 1 Hz on jetson-orin-nano (date prefix), or use another meter",
    );
  }
  // Start on a whole second of the logger's clock so that whole-second prefixes are exact.
  const loggerStart = Math.ceil(ctx.startS - ctx.clockOffsetS);
  const hostStart = loggerStart + ctx.clockOffsetS;
  const times = sampleTimes(hostStart, ctx.endS, 1000 / intervalMs);
  const lines: string[] = [];
  const starts: number[] = [];
  const rails = nano ? ["POM_5V_IN", "POM_5V_GPU", "POM_5V_CPU"] : ["VDD_IN", "VDD_CPU_GPU_CV", "VDD_SOC"];
  const unit = nano ? "" : "mW";
  const sums = [0, 0, 0];
  let idleMw: number | null = null;
  times.forEach((t, k) => {
    const trueW = sensed(ctx.trace, t, 0);
    const totalMw = Math.max(0, Math.round((trueW + ctx.rng.normal() * (NOISE_W + NOISE_REL * trueW)) * 1000));
    if (idleMw === null) idleMw = totalMw;
    const activeMw = Math.max(0, totalMw - idleMw);
    const inner = nano
      ? [Math.round(0.05 * activeMw), Math.round(0.3 * idleMw + 0.75 * activeMw)]
      : [Math.round(0.15 * idleMw + 0.7 * activeMw), Math.round(0.35 * idleMw + 0.15 * activeMw)];
    const values = [totalMw, ...inner];
    values.forEach((v, i) => (sums[i]! += v));
    const load = Math.min(99, Math.round((activeMw / Math.max(1, idleMw)) * 40));
    const freq = nano ? 1479 : 1728;
    const cpus = Array.from({ length: nano ? 4 : 6 }, (_, i) => `${Math.max(0, load - i + (k % 3))}%@${freq}`).join(
      ",",
    );
    const railText = rails.map((r, i) => `${r} ${values[i]}${unit}/${Math.round(sums[i]! / (k + 1))}${unit}`).join(" ");
    const temp = (40 + load / 10 + (k % 7) * 0.031).toFixed(nano ? 1 : 3);
    const body = nano
      ? `RAM 2154/3964MB (lfb 120x4MB) SWAP 0/1982MB (cached 0MB) IRAM 0/252kB(lfb 252kB) CPU [${cpus}] ` +
        `EMC_FREQ ${Math.min(99, load)}%@1600 GR3D_FREQ 0%@76 APE 25 PLL@${temp}C CPU@${temp}C PMIC@100C ` +
        `GPU@${temp}C AO@${temp}C thermal@${temp}C ${railText}`
      : `RAM 3645/7620MB (lfb 63x4MB) SWAP 236/3810MB (cached 0MB) CPU [${cpus}] EMC_FREQ ` +
        `${Math.min(99, load)}%@2133 GR3D_FREQ 0%@[305] NVDEC off NVJPG off NVJPG1 off VIC off OFA off APE 200 ` +
        `cpu@${temp}C soc2@${temp}C soc0@${temp}C gpu@${temp}C tj@${temp}C soc1@${temp}C ${railText}`;
    starts.push(lines.length);
    if (dated) {
      const d = new Date(Math.round(ctx.printedS(t - ctx.clockOffsetS)) * 1000);
      lines.push(
        `${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}-${d.getUTCFullYear()} ` +
          `${dateTimeText(d.getTime() / 1000, 0).slice(11)} ${body}`,
      );
    } else lines.push(body);
  });
  return {
    fileName: "tegrastats.log",
    lines,
    readingStarts: starts,
    manifest: dated
      ? { meter: "tegrastats", clock_offset_s: ctx.clockOffsetS }
      : { meter: "tegrastats", clock_offset_s: hostStart, power_interval_ms: intervalMs },
    sensor: {
      intervalS: intervalMs / 1000,
      averagingS: 0,
      skewS: 0,
      noiseW: NOISE_W + NOISE_REL * Math.max(...ctx.trace.powersW),
      quantW: 0.001,
      counter: false,
      timeResolutionS: 0,
      description:
        `tegrastats --interval ${intervalMs}: instantaneous ${rails[0]} in whole mW, noise ${NOISE_W * 1000} ` +
        `mW + ${NOISE_REL * 100} %`,
    },
    timed: dated,
    notes: dated
      ? [`tegrastats --interval ${intervalMs} with JetPack 6's date prefix, started on a whole second`]
      : [
          `tegrastats --interval ${intervalMs} without time stamps: the manifest's power_interval_ms spaces ` +
            `the readings and clock_offset_s is the host time of the first`,
        ],
  };
}

export const tegrastatsMeter: MeterSpec = {
  id: "tegrastats",
  title: "NVIDIA tegrastats (INA3221 rails)",
  defaultHz: 1,
  maxHz: 100,
  realOn: ["jetson-nano", "jetson-orin-nano"],
  write: writeTegrastats,
};
