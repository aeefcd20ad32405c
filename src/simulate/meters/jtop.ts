/**
 * jtop (jetson-stats) CSV from its logger example: `time` as Python prints a datetime
 * (`2025-09-21 15:38:17.123456`), CPU/RAM/temperature columns, `Power <rail>` and `Power TOT`
 * in whole mW. jtop polls the same INA3221 as tegrastats, so readings are instantaneous with the
 * same noise; the Python loop's period wanders by a few ms (the time column says when).
 */
import { SECONDS_PER_HOUR } from "../../metrics/units.js";
import { type MeterContext, type MeterOutput, type MeterSpec, dateTimeText, sampleTimes, sensed } from "./types.js";

const NOISE_W = 0.01;
const NOISE_REL = 0.005;

export function writeJtop(ctx: MeterContext): MeterOutput {
  const nano = ctx.device === "jetson-nano";
  const times = sampleTimes(ctx.startS, ctx.endS, ctx.sampleHz, 0.003, ctx.rng);
  const rails = nano ? ["POM_5V_GPU", "POM_5V_CPU"] : ["VDD_CPU_GPU_CV", "VDD_SOC"];
  const cpus = nano ? 4 : 6;
  const header = [
    "time",
    "uptime",
    ...Array.from({ length: cpus }, (_, i) => `CPU${i + 1}`),
    "RAM",
    "SWAP",
    "EMC",
    "GPU",
    "Temp cpu",
    "Temp gpu",
    ...rails.map((r) => `Power ${r}`),
    "Power TOT",
    "jetson_clocks",
    "nvp model",
  ];
  const lines = [header.join(",")];
  const starts: number[] = [];
  let idleMw: number | null = null;
  const mode = nano ? "MAXN" : "MAXN_SUPER";
  times.forEach((t) => {
    const trueW = sensed(ctx.trace, t, 0);
    const totalMw = Math.max(0, Math.round((trueW + ctx.rng.normal() * (NOISE_W + NOISE_REL * trueW)) * 1000));
    if (idleMw === null) idleMw = totalMw;
    const active = Math.max(0, totalMw - idleMw);
    const load = Math.min(100, Math.round((active / Math.max(1, idleMw)) * 40));
    const up = 93784.56 + (t - ctx.startS);
    const sinceDayS = up - 86400;
    const hh = Math.floor(sinceDayS / SECONDS_PER_HOUR);
    const mm = String(Math.floor((sinceDayS % SECONDS_PER_HOUR) / 60)).padStart(2, "0");
    const upText = `"1 day, ${hh}:${mm}:${(sinceDayS % 60).toFixed(6).padStart(9, "0")}"`;
    const row = [
      dateTimeText(ctx.printedS(t - ctx.clockOffsetS), 6),
      upText,
      ...Array.from({ length: cpus }, (_, i) => String(Math.max(0, load - i))),
      "0.4712",
      "0.0302",
      (0.18 + load / 400).toFixed(2),
      "0.0",
      (44.1 + load / 20).toFixed(1),
      (43.9 + load / 25).toFixed(1),
      String(Math.round(0.7 * active + 0.15 * idleMw)),
      String(Math.round(0.15 * active + 0.35 * idleMw)),
      String(totalMw),
      "False",
      mode,
    ];
    starts.push(lines.length);
    lines.push(row.join(","));
  });
  return {
    fileName: "jtop.csv",
    lines,
    readingStarts: starts,
    manifest: { meter: "jtop-csv", clock_offset_s: ctx.clockOffsetS },
    sensor: {
      intervalS: 1 / ctx.sampleHz,
      averagingS: 0,
      skewS: 0,
      noiseW: NOISE_W + NOISE_REL * Math.max(...ctx.trace.powersW),
      quantW: 0.001,
      counter: false,
      timeResolutionS: 1e-6,
      description:
        `jtop logger every ${(1000 / ctx.sampleHz).toFixed(0)} ms (±3 ms): instantaneous Power TOT in whole ` + `mW`,
    },
    timed: true,
    notes: [],
  };
}

export const jtopMeter: MeterSpec = {
  id: "jtop",
  title: "jtop (jetson-stats) CSV logger",
  defaultHz: 1,
  maxHz: 20,
  realOn: ["jetson-nano", "jetson-orin-nano"],
  write: writeJtop,
};
