/**
 * Power sensors the collector can sample, as the core sees them: what a sensor is, what a channel
 * writes, what detection found. The sensors themselves (reading /sys, running tegrastats or
 * vcgencmd) live in `io/sensors/`; the sampling loop and the log-line formats are in `sampler.ts`.
 *
 * | sensor | where | log format |
 * |---|---|---|
 * | RAPL (Intel, AMD Zen) | `/sys/class/powercap/intel-rapl:N/energy_uj` (`psys` if present, else each package) |
 *   `rapl`: `# max_energy_range_uj=…`, `time_s,energy_uj` |
 * | INA3221 on hwmon (Jetson, JetPack 5/6) | `/sys/class/hwmon/hwmonN/` named `ina3221`, input rail `VDD_IN` |
 *   `usb-csv`: `time_s,power_w` |
 * | INA3221 on iio (Jetson Nano, JetPack 4) | `/sys/bus/i2c/drivers/ina3221x/DEV/iio:deviceN/`, rail `POM_5V_IN` |
 *   `usb-csv`: `time_s,power_w` |
 * | tegrastats (Jetson) | `tegrastats --interval MS` | `tegrastats`, each line prefixed with epoch seconds |
 * | Raspberry Pi 5 PMIC | `vcgencmd pmic_read_adc` | `pmic`, each block preceded by an epoch-seconds line |
 * | jtop (jetson-stats) | its Python API, as `jtop_logger.py` | `jtop-csv`, its own `time` column (UTC) |
 * | NVIDIA GPU | `nvidia-smi --query-gpu=index,timestamp,…,power.draw --format=csv -lms N` | `nvidia-smi` (UTC) |
 * | USB meter | the file its logger appends to (`usb-meter:PATH`) | that logger's format (`fnirsi`, `usb-csv`) |
 */
import type { PowerFormat } from "../ingest/types.js";

export type SensorKind =
  "rapl" | "ina3221-hwmon" | "ina3221-iio" | "tegrastats" | "jtop" | "pmic" | "nvidia-smi" | "usb-meter";
/** The kinds detection probes, in its order of preference (a USB meter is named by its log file, never probed). */
export const SENSOR_KINDS: readonly SensorKind[] = [
  "rapl",
  "ina3221-hwmon",
  "ina3221-iio",
  "tegrastats",
  "jtop",
  "pmic",
  "nvidia-smi",
];

export const isSensorKind = (s: string): s is SensorKind => (SENSOR_KINDS as readonly string[]).includes(s);

/** Appends text to one raw log; the collector flushes each write to the file. */
export type LogSink = (text: string) => void;

export interface SensorChannel {
  /** Log file name inside the bundle. */
  fileName: string;
  /** Human description: what is read, from where. */
  source: string;
  /** Starts sampling every `intervalMs`, writing to `sink`; returns a stopper. */
  start(sink: LogSink, intervalMs: number): SamplerHandle;
}

export interface PowerSensor {
  kind: SensorKind;
  format: PowerFormat;
  /** What the total means: RAPL measures the CPU package (or platform), not the wall. */
  scope: string;
  channels: SensorChannel[];
}

export interface SamplerHandle {
  /** Stop sampling; resolves when the last reading is written. */
  stop(): Promise<void>;
  /** Readings written so far. */
  readings(): number;
}

export interface SensorCheck {
  kind: SensorKind;
  available: boolean;
  reason: string;
}

export interface SensorDetection {
  sensors: PowerSensor[];
  checks: SensorCheck[];
}

/** A detector's answer for one sensor kind: the sensor, or why there is none. */
export interface SensorProbe {
  sensor: PowerSensor | null;
  reason: string;
}
