/**
 * Raspberry Pi 5 `vcgencmd pmic_read_adc`, wrapped by a logger loop that prints an ISO time stamp
 * before each block. The PMIC measures its own output rails: it misses the conversion losses and
 * the USB/5 V parts, so the rails add up to `PMIC_GAIN × P + PMIC_OFFSET_W` of the board's input
 * power P; the manifest carries the inverse as `power_calibration` (as a user would fit it against
 * a USB meter). A read takes ~23 ms of firmware time and its 26 lines are sampled one after the
 * other across it. Currents are quantized to the ADC step seen in real dumps (61.05 µA),
 * voltages printed to 8 decimals, both with 0.3 % noise.
 */
import { requestError } from "../errors.js";
import { type MeterContext, type MeterOutput, type MeterSpec, dateTimeText, sampleTimes, sensed } from "./types.js";

export const PMIC_GAIN = 0.8;
export const PMIC_OFFSET_W = -0.3;
export const PMIC_READ_S = 0.023;
const AMP_STEP = 6.105e-5;
const NOISE_REL = 0.003;

/** Rails with current and voltage: nominal volts, idle share of the rail power, share of the active part. */
const RAILS: { name: string; volts: number; idle: number; active: number; ai: number; vi: number }[] = [
  { name: "3V7_WL_SW", volts: 3.606, idle: 0.13, active: 0.0, ai: 0, vi: 8 },
  { name: "3V3_SYS", volts: 3.3193, idle: 0.15, active: 0.02, ai: 1, vi: 9 },
  { name: "1V8_SYS", volts: 1.7968, idle: 0.09, active: 0.02, ai: 2, vi: 10 },
  { name: "DDR_VDD2", volts: 1.1084, idle: 0.04, active: 0.1, ai: 3, vi: 11 },
  { name: "DDR_VDDQ", volts: 0.6055, idle: 0.005, active: 0.02, ai: 4, vi: 12 },
  { name: "1V1_SYS", volts: 1.1022, idle: 0.07, active: 0.03, ai: 5, vi: 13 },
  { name: "0V8_SW", volts: 0.8015, idle: 0.12, active: 0.08, ai: 6, vi: 14 },
  { name: "VDD_CORE", volts: 0.8873, idle: 0.37, active: 0.73, ai: 7, vi: 15 },
  { name: "3V3_DAC", volts: 3.315, idle: 0.0, active: 0.0, ai: 17, vi: 20 },
  { name: "3V3_ADC", volts: 3.3168, idle: 0.0002, active: 0.0, ai: 18, vi: 21 },
  { name: "0V8_AON", volts: 0.7988, idle: 0.0009, active: 0.0, ai: 16, vi: 19 },
  { name: "HDMI", volts: 4.9044, idle: 0.0239, active: 0.0, ai: 22, vi: 23 },
];

const label = (s: string) => s.padStart(12);

export function writePmic(ctx: MeterContext): MeterOutput {
  if (1 / ctx.sampleHz < PMIC_READ_S * 1.5) {
    throw requestError(
      "sampleHz",
      ctx.sampleHz,
      `one pmic_read_adc takes ~${PMIC_READ_S * 1000} ms, so it cannot run ` +
        `faster than ~${Math.floor(1 / (PMIC_READ_S * 1.5))} Hz`,
      "sample at 10 Hz or less (above ~10 Hz the reads disturb the measurement)",
    );
  }
  const times = sampleTimes(ctx.startS, ctx.endS - PMIC_READ_S, ctx.sampleHz, 0.002, ctx.rng);
  const lines: string[] = [];
  const starts: number[] = [];
  const idleRails = sensed(ctx.trace, ctx.startS, 0) * PMIC_GAIN + PMIC_OFFSET_W;
  const idleShare = RAILS.reduce((s, r) => s + r.idle, 0);
  const lineDt = PMIC_READ_S / 26;
  for (const t of times) {
    starts.push(lines.length);
    lines.push(dateTimeText(ctx.printedS(t - ctx.clockOffsetS), 6, { sep: "T" }) + "+00:00");
    const railW = (r: (typeof RAILS)[number], at: number): number => {
      const rails = sensed(ctx.trace, at, 0) * PMIC_GAIN + PMIC_OFFSET_W;
      const active = rails - idleRails;
      return (idleRails * r.idle) / idleShare + active * r.active;
    };
    const volts = RAILS.map((r) => r.volts * (1 + 0.001 * ctx.rng.normal()));
    RAILS.forEach((r, i) => {
      const at = t + i * lineDt;
      const amps = Math.max(
        0,
        Math.round(((railW(r, at) / volts[i]!) * (1 + NOISE_REL * ctx.rng.normal())) / AMP_STEP) * AMP_STEP,
      );
      lines.push(`${label(`${r.name}_A`)} current(${r.ai})=${amps.toFixed(8)}A`);
    });
    RAILS.forEach((r, i) => lines.push(`${label(`${r.name}_V`)} volt(${r.vi})=${volts[i]!.toFixed(8)}V`));
    lines.push(
      `${label("EXT5V_V")} volt(24)=${(5.1 - 0.02 * sensed(ctx.trace, t, 0) + 0.002 * ctx.rng.normal()).toFixed(8)}V`,
    );
    lines.push(`${label("BATT_V")} volt(25)=${(2.505 + 0.0005 * ctx.rng.normal()).toFixed(8)}V`);
  }
  const peak = Math.max(...ctx.trace.powersW) * PMIC_GAIN;
  return {
    fileName: "pmic.log",
    lines,
    readingStarts: starts,
    manifest: {
      meter: "pmic",
      clock_offset_s: ctx.clockOffsetS,
      power_calibration: { gain: 1 / PMIC_GAIN, offset_w: -PMIC_OFFSET_W / PMIC_GAIN },
    },
    sensor: {
      intervalS: 1 / ctx.sampleHz,
      averagingS: 0,
      skewS: PMIC_READ_S,
      // Rail noise adds in quadrature; the calibration scales it back to input watts.
      noiseW: (NOISE_REL * peak * 0.8) / PMIC_GAIN,
      quantW: (AMP_STEP * 5 * RAILS.length) / PMIC_GAIN,
      counter: false,
      timeResolutionS: 1e-6,
      description:
        `vcgencmd pmic_read_adc every ${(1000 / ctx.sampleHz).toFixed(0)} ms: 12 rails read over ` +
        `${PMIC_READ_S * 1000} ms, rails = ${PMIC_GAIN} × input ${PMIC_OFFSET_W} W (calibration in the ` +
        `manifest)`,
    },
    timed: true,
    notes: [
      `the PMIC misses conversion losses: the manifest's power_calibration (gain ` +
        `${(1 / PMIC_GAIN).toFixed(4)}, offset ${(-PMIC_OFFSET_W / PMIC_GAIN).toFixed(4)} W) maps rail power ` +
        `to input power`,
    ],
  };
}

export const pmicMeter: MeterSpec = {
  id: "pmic",
  title: "Raspberry Pi 5 vcgencmd pmic_read_adc",
  defaultHz: 1,
  maxHz: 25,
  realOn: ["raspberry-pi-5"],
  write: writePmic,
};
