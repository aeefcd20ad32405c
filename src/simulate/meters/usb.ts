/**
 * USB power meters between the supply and the board.
 *
 * FNIRSI FNB48/FNB58/C1 through the open data logger: space-separated, a header, 100 samples/s
 * sent in packets of four; each sample is the meter's average over its 10 ms; voltage and current
 * printed to 5 decimals (the quantization), energy and charge accumulated by the logger.
 *
 * Generic CSV (UM25C/UM34C-style tools): `time_s,voltage_V,current_A`, epoch seconds to the ms,
 * instantaneous readings at up to ~10 Hz, 1 mV and 0.1 mA resolution.
 *
 * Both see the whole board at its supply: the supply voltage sags with the cable's resistance.
 */
import type { DeviceId } from "../../domain/ids.js";
import { type MeterContext, type MeterOutput, type MeterSpec, sampleTimes, sensed } from "./types.js";

const SUPPLY_V: Record<DeviceId, number> = { "raspberry-pi-5": 5.1, "jetson-nano": 5.05, "jetson-orin-nano": 19.0 };
const CABLE_OHM = 0.05;
export const FNIRSI_AVERAGE_S = 0.01;

function supply(device: DeviceId, powerW: number): { volts: number; amps: number } {
  const v0 = SUPPLY_V[device];
  const amps = powerW / v0;
  const volts = v0 - CABLE_OHM * amps;
  return { volts, amps: powerW / volts };
}

export function writeFnirsi(ctx: MeterContext): MeterOutput {
  const dt = 1 / ctx.sampleHz;
  // The meter averages over its own 10 ms conversion whatever rate the logger keeps.
  const times = sampleTimes(ctx.startS + FNIRSI_AVERAGE_S, ctx.endS, ctx.sampleHz);
  const lines = ["timestamp sample_in_packet voltage_V current_A dp_V dn_V temp_C_ema energy_Ws capacity_As"];
  const starts: number[] = [];
  let energyWs = 0;
  let capacityAs = 0;
  let temp = 30.5;
  times.forEach((t, k) => {
    const p = sensed(ctx.trace, t, FNIRSI_AVERAGE_S);
    const s = supply(ctx.device, p);
    const volts = Number((s.volts + 0.0005 * ctx.rng.normal()).toFixed(5));
    const amps = Number((s.amps + 0.0005 * ctx.rng.normal()).toFixed(5));
    energyWs += volts * amps * dt;
    capacityAs += amps * dt;
    temp += (30.5 + p * 0.2 - temp) * 0.001;
    starts.push(lines.length);
    lines.push(
      `${ctx.printedS(t - ctx.clockOffsetS).toFixed(3)} ${k % 4} ${volts.toFixed(5)} ${amps.toFixed(5)} ` +
        `${(0.6 + 0.001 * (k % 5)).toFixed(3)} ${(0.6 + 0.001 * (k % 3)).toFixed(3)} ${temp.toFixed(3)} ` +
        `${energyWs.toFixed(6)} ${capacityAs.toFixed(6)}`,
    );
  });
  const peak = Math.max(...ctx.trace.powersW);
  const v0 = SUPPLY_V[ctx.device];
  return {
    fileName: "fnirsi.txt",
    lines,
    readingStarts: starts,
    manifest: { meter: "fnirsi", clock_offset_s: ctx.clockOffsetS },
    sensor: {
      intervalS: dt,
      averagingS: FNIRSI_AVERAGE_S,
      skewS: 0,
      noiseW: 0.0005 * Math.hypot(v0, peak / v0),
      quantW: 0.00001 * (v0 + peak / v0),
      counter: false,
      timeResolutionS: 0.001,
      description:
        `FNIRSI USB meter at ${ctx.sampleHz} Hz: 10 ms averages, V and A to 5 decimals (0.5 mV / 0.5 mA ` + `noise)`,
    },
    timed: true,
    notes: [],
  };
}

export function writeUsbCsv(ctx: MeterContext): MeterOutput {
  const times = sampleTimes(ctx.startS, ctx.endS, ctx.sampleHz, 0.002, ctx.rng);
  const lines = ["time_s,voltage_V,current_A"];
  const starts: number[] = [];
  for (const t of times) {
    const s = supply(ctx.device, sensed(ctx.trace, t, 0));
    const volts = s.volts + 0.002 * ctx.rng.normal();
    const amps = s.amps + 0.0005 * ctx.rng.normal();
    starts.push(lines.length);
    lines.push(`${ctx.printedS(t - ctx.clockOffsetS).toFixed(3)},${volts.toFixed(3)},${amps.toFixed(4)}`);
  }
  const peak = Math.max(...ctx.trace.powersW);
  const v0 = SUPPLY_V[ctx.device];
  return {
    fileName: "usb-meter.csv",
    lines,
    readingStarts: starts,
    manifest: { meter: "usb-csv", clock_offset_s: ctx.clockOffsetS },
    sensor: {
      intervalS: 1 / ctx.sampleHz,
      averagingS: 0,
      skewS: 0,
      noiseW: Math.hypot(0.002 * (peak / v0), 0.0005 * v0),
      quantW: 0.0005 * (peak / v0) + 0.00005 * v0,
      counter: false,
      timeResolutionS: 0.001,
      description: `USB meter CSV at ${ctx.sampleHz} Hz: instantaneous V (1 mV) and A (0.1 mA)`,
    },
    timed: true,
    notes: [],
  };
}

const ALL: readonly DeviceId[] = ["raspberry-pi-5", "jetson-nano", "jetson-orin-nano"];

export const fnirsiMeter: MeterSpec = {
  id: "fnirsi",
  title: "FNIRSI USB meter data logger",
  defaultHz: 100,
  maxHz: 100,
  realOn: ALL,
  write: writeFnirsi,
};
export const usbCsvMeter: MeterSpec = {
  id: "usb-csv",
  title: "USB meter CSV (time, V, A)",
  defaultHz: 10,
  maxHz: 20,
  realOn: ALL,
  write: writeUsbCsv,
};
