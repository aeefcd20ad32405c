/**
 * Meters of x86 hosts and discrete NVIDIA GPUs. None of the paper's boards has them (RAPL is
 * Intel/AMD; nvidia-smi reports nothing on Jetson), so on those devices these logs are
 * hypothetical: the same true power seen through that meter's model, to compare meters.
 *
 * RAPL: a cumulative µJ counter updated every 1 ms in units of 2^-14 J (61 µJ), read by a shell
 * loop as `<epoch s> <energy_uj>`, wrapping at `max_energy_range_uj` (the run starts near the top
 * so that it wraps). nvidia-smi `--query-gpu=index,timestamp,power.draw --format=csv -lms N`:
 * `power.draw` is the driver's average over the last second, printed to 0.01 W.
 */
import { type MeterContext, type MeterOutput, type MeterSpec, dateTimeText, sampleTimes, sensed } from "./types.js";

export const RAPL_MAX_UJ = 262143328850;
const RAPL_UNIT_UJ = 1e6 / 2 ** 14;
const RAPL_TICK_S = 0.001;
export const NVSMI_AVERAGE_S = 1;

export function writeRapl(ctx: MeterContext): MeterOutput {
  const times = sampleTimes(ctx.startS, ctx.endS, ctx.sampleHz, 0.001, ctx.rng);
  const lines = ["# intel-rapl:0 package-0 energy_uj (simulated)", `# max_energy_range_uj=${RAPL_MAX_UJ}`];
  const starts: number[] = [];
  // Start a few seconds' worth of energy below the wrap so that the run crosses it.
  const startUj = RAPL_MAX_UJ - Math.round(ctx.rng.between(2, 8) * 1e6 * 8);
  for (const t of times) {
    const tick = Math.max(ctx.trace.startS, Math.floor((t - ctx.startS) / RAPL_TICK_S) * RAPL_TICK_S + ctx.startS);
    const uj = startUj + Math.floor((ctx.trace.energyJ(ctx.trace.startS, tick) * 1e6) / RAPL_UNIT_UJ) * RAPL_UNIT_UJ;
    const counter = Math.floor(uj) % RAPL_MAX_UJ;
    starts.push(lines.length);
    lines.push(`${ctx.printedS(t - ctx.clockOffsetS).toFixed(6)} ${counter}`);
  }
  return {
    fileName: "rapl-energy_uj.log",
    lines,
    readingStarts: starts,
    manifest: { meter: "rapl", clock_offset_s: ctx.clockOffsetS },
    sensor: {
      intervalS: 1 / ctx.sampleHz,
      averagingS: 0,
      skewS: RAPL_TICK_S,
      noiseW: 0,
      quantW: RAPL_UNIT_UJ * 1e-6 * 2 * ctx.sampleHz,
      counter: true,
      timeResolutionS: 1e-6,
      description:
        `RAPL energy_uj read at ${ctx.sampleHz} Hz: counter in 61 µJ units updated every ms, wraps at ` +
        `${RAPL_MAX_UJ}`,
    },
    timed: true,
    notes: [`RAPL counter starts ${RAPL_MAX_UJ - startUj} µJ below its wrap-around`],
  };
}

export function writeNvidiaSmi(ctx: MeterContext): MeterOutput {
  const times = sampleTimes(ctx.startS, ctx.endS, ctx.sampleHz, 0.002, ctx.rng);
  const lines = [
    "index, timestamp, power.draw [W], clocks.current.sm [MHz], clocks.current.memory [MHz], " +
      "clocks.current.graphics [MHz]",
  ];
  const starts: number[] = [];
  for (const t of times) {
    const w = sensed(ctx.trace, t, NVSMI_AVERAGE_S);
    const sm = w > ctx.trace.powerAt(ctx.startS) * 1.3 ? 1020 : 306;
    starts.push(lines.length);
    lines.push(
      `0, ${dateTimeText(ctx.printedS(t - ctx.clockOffsetS), 3, { dateSep: "/" })}, ${w.toFixed(2)} W, ` +
        `${sm} MHz, 3199 MHz, ${sm} MHz`,
    );
  }
  return {
    fileName: "nvidia-smi.csv",
    lines,
    readingStarts: starts,
    manifest: { meter: "nvidia-smi", clock_offset_s: ctx.clockOffsetS },
    sensor: {
      intervalS: 1 / ctx.sampleHz,
      averagingS: NVSMI_AVERAGE_S,
      skewS: 0,
      noiseW: 0,
      quantW: 0.01,
      counter: false,
      timeResolutionS: 0.001,
      description:
        `nvidia-smi -lms ${Math.round(1000 / ctx.sampleHz)}: power.draw = mean of the last ${NVSMI_AVERAGE_S} ` +
        `s, 0.01 W`,
    },
    timed: true,
    notes: [],
  };
}

export const raplMeter: MeterSpec = {
  id: "rapl",
  title: "Intel/AMD RAPL energy_uj counter",
  defaultHz: 10,
  maxHz: 1000,
  realOn: [],
  write: writeRapl,
};
export const nvidiaSmiMeter: MeterSpec = {
  id: "nvidia-smi",
  title: "nvidia-smi power.draw",
  defaultHz: 10,
  maxHz: 50,
  realOn: [],
  write: writeNvidiaSmi,
};
