/**
 * Sensors read by running a command: tegrastats (Jetson; one long-lived process whose lines are
 * stamped with epoch seconds) and the Raspberry Pi 5 PMIC (`vcgencmd pmic_read_adc`, one run per
 * reading, each block preceded by its epoch-seconds line).
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { nowEpochS } from "../../collect/clock.js";
import { pmicBlock, stampedLines, TEGRASTATS_OWN_STAMP } from "../../collect/sampler.js";
import type { SamplerHandle, SensorChannel, SensorProbe, LogSink } from "../../collect/sensors.js";

/** Runs a long-lived command and writes each stdout line prefixed with epoch seconds. */
function processChannel(
  fileName: string,
  source: string,
  cmd: string,
  args: (intervalMs: number) => string[],
  ownStamp?: RegExp,
): SensorChannel {
  return {
    fileName,
    source,
    start(sink, intervalMs) {
      let n = 0;
      const split = stampedLines(ownStamp);
      const child: ChildProcess = spawn(cmd, args(intervalMs), { stdio: ["ignore", "pipe", "ignore"] });
      child.stdout!.setEncoding("utf8");
      child.stdout!.on("data", (chunk: string) => {
        for (const line of split(chunk, nowEpochS())) {
          sink(line);
          n++;
        }
      });
      child.on("error", () => undefined);
      return {
        stop: () =>
          new Promise<void>((resolve) => {
            // Never started (spawn failed) or already gone: nothing to wait for.
            if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
          }),
        readings: () => n,
      };
    },
  };
}

/** Reads the PMIC every `intervalMs` (a reading still running skips the tick). */
function pmicSampler(sink: LogSink, intervalMs: number): SamplerHandle {
  let n = 0;
  let busy = false;
  let stopped = false;
  const read = (): void => {
    if (busy || stopped) return;
    busy = true;
    const t = nowEpochS();
    const child = spawn("vcgencmd", ["pmic_read_adc"], { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (c: string) => (out += c));
    child.on("close", () => {
      busy = false;
      const block = pmicBlock(out, t);
      if (block !== null) {
        sink(block);
        n++;
      }
    });
    child.on("error", () => (busy = false));
  };
  read();
  const timer = setInterval(read, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      stopped = true;
      while (busy) await new Promise((r) => setTimeout(r, 10));
    },
    readings: () => n,
  };
}

export function detectTegrastats(has: (c: string) => boolean): SensorProbe {
  if (!has("tegrastats")) return { sensor: null, reason: "no tegrastats command" };
  const interval = (ms: number): string[] => ["--interval", String(Math.max(10, Math.round(ms)))];
  return {
    sensor: {
      kind: "tegrastats",
      format: "tegrastats",
      scope: "board input rail (tegrastats POM_5V_IN / VDD_IN)",
      channels: [processChannel("power-tegrastats.log", "tegrastats", "tegrastats", interval, TEGRASTATS_OWN_STAMP)],
    },
    reason: "tegrastats found",
  };
}

export function detectPmic(has: (c: string) => boolean): SensorProbe {
  if (!has("vcgencmd")) return { sensor: null, reason: "no vcgencmd command" };
  try {
    const out = execFileSync("vcgencmd", ["pmic_read_adc"], {
      encoding: "utf8",
      timeout: 2000,
      stdio: ["ignore", "pipe", "ignore"],
    });
    if (!out.includes("current("))
      return { sensor: null, reason: "vcgencmd pmic_read_adc printed no current readings (not a Raspberry Pi 5?)" };
  } catch (e) {
    return { sensor: null, reason: `vcgencmd pmic_read_adc failed: ${(e as Error).message}` };
  }
  return {
    sensor: {
      kind: "pmic",
      format: "pmic",
      scope: "PMIC rails (Σ V×I, excludes conversion losses: reads low against a wall meter)",
      channels: [
        {
          fileName: "power-pmic.log",
          source: "Raspberry Pi PMIC (vcgencmd pmic_read_adc)",
          start: pmicSampler,
        },
      ],
    },
    reason: "vcgencmd pmic_read_adc works",
  };
}
