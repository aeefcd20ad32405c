import type { PowerFormat } from "../types.js";

/**
 * The physical range of a reading, per format: the one definition the parsers and the engine
 * check against. A reading outside it is no measurement (a garbled digit, `1e308`, a sign lost
 * or added) and is quarantined with its file and line instead of reaching the energy sums (where
 * 1e308 W overflowed to NaN joules).
 *
 * - Power: 0 ≤ P ≤ 10 kW for every format (the largest of these machines, a multi-GPU server
 *   read by nvidia-smi, RAPL or CodeCarbon, draws a few kW; an edge board tens of watts).
 * - Voltage and current, for the formats that log them: ≥ 0 (these meters and the PMIC read the
 *   supply side, whose current does not flow backwards); at most 60 V for USB meters and the Pi 5
 *   PMIC (USB PD tops out at 48 V), 1000 V for generic power-logger CSVs (which may log mains);
 *   at most 100 A (USB carries 5 A, a PMIC rail tens of amperes).
 */
export interface PhysicalBounds {
  maxPowerW: number;
  maxVoltageV: number;
  maxCurrentA: number;
}

const EDGE: PhysicalBounds = { maxPowerW: 10_000, maxVoltageV: 60, maxCurrentA: 100 };

export const PHYSICAL_BOUNDS: Record<PowerFormat, PhysicalBounds> = {
  tegrastats: EDGE,
  "jtop-csv": EDGE,
  pmic: EDGE,
  fnirsi: EDGE,
  "usb-csv": { ...EDGE, maxVoltageV: 1000 },
  "nvidia-smi": EDGE,
  rapl: EDGE,
  codecarbon: EDGE,
};

/** Why a voltage (V) or current (A) is outside the format's range, or null when it is inside. */
export function electricalOutOfBounds(
  format: PowerFormat,
  quantity: "voltage" | "current",
  value: number,
): string | null {
  const b = PHYSICAL_BOUNDS[format];
  const [max, unit] = quantity === "voltage" ? [b.maxVoltageV, "V"] : [b.maxCurrentA, "A"];
  if (value >= 0 && value <= max) return null;
  return `${quantity} ${value} ${unit} is outside the physical range 0–${max} ${unit} of a ${format} reading`;
}

/** Why a power (W) is outside the format's range (not finite, negative, too large), or null. */
export function powerOutOfBounds(format: PowerFormat, powerW: number): string | null {
  if (!Number.isFinite(powerW)) return "power is not a finite number";
  if (powerW < 0) return `negative power ${powerW} W`;
  const max = PHYSICAL_BOUNDS[format].maxPowerW;
  if (powerW > max) return `power ${powerW} W is above the physical range 0–${max} W of a ${format} reading`;
  return null;
}
