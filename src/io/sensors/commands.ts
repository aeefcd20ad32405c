/**
 * Sensors read by running a command: tegrastats (Jetson; one long-lived process whose lines are
 * stamped with epoch seconds), the Raspberry Pi 5 PMIC (`vcgencmd pmic_read_adc`, one run per
 * reading, each block preceded by its epoch-seconds line), NVIDIA GPUs (`nvidia-smi --query-gpu …
 * --format=csv -lms N`, its own CSV with its own time stamps) and jtop (jetson-stats' Python API,
 * logged as its example `jtop_logger.py` does: a `csv.DictWriter` over `jetson.stats`). The two
 * that print their own wall-clock times run with `TZ=UTC`, so those times read as epoch seconds
 * on the sampler's clock (`ingest` reads zoneless times as UTC).
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { nowEpochS } from "../../collect/clock.js";
import { pmicBlock, stampedLines, TEGRASTATS_OWN_STAMP } from "../../collect/sampler.js";
import type { SamplerHandle, SensorChannel, SensorProbe, LogSink } from "../../collect/sensors.js";

/** How a long-lived command's output becomes log lines: stamped with epoch seconds, or kept as printed. */
type LineMode = { stamp: true; ownStamp?: RegExp } | { stamp: false; headerLines: number };

/** Complete lines of streamed output as printed (the unfinished rest waits for the next chunk). */
function rawLines(): (chunk: string) => string[] {
  let rest = "";
  return (chunk) => {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop() ?? "";
    return lines.filter((l) => l.trim() !== "").map((l) => l + "\n");
  };
}

/** The environment of a command that prints its own local time: UTC, so its times are epoch times. */
const utcEnv = (): NodeJS.ProcessEnv => ({ ...process.env, TZ: "UTC" });

/** Runs a long-lived command and writes each stdout line, prefixed with epoch seconds or as printed. */
function processChannel(
  fileName: string,
  source: string,
  cmd: string,
  args: (intervalMs: number) => string[],
  mode: LineMode = { stamp: true },
): SensorChannel {
  return {
    fileName,
    source,
    start(sink, intervalMs) {
      let n = mode.stamp ? 0 : -mode.headerLines; // a header line is no reading
      const stamped = mode.stamp ? stampedLines(mode.ownStamp) : null;
      const raw = rawLines();
      const split = (chunk: string): string[] => (stamped ? stamped(chunk, nowEpochS()) : raw(chunk));
      const env = mode.stamp ? process.env : utcEnv();
      const child: ChildProcess = spawn(cmd, args(intervalMs), { stdio: ["ignore", "pipe", "ignore"], env });
      child.stdout!.setEncoding("utf8");
      child.stdout!.on("data", (chunk: string) => {
        for (const line of split(chunk)) {
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
        readings: () => Math.max(0, n),
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
      channels: [
        processChannel("power-tegrastats.log", "tegrastats", "tegrastats", interval, {
          stamp: true,
          ownStamp: TEGRASTATS_OWN_STAMP,
        }),
      ],
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

/** A probe command's output, or the reason it failed (not run, error, time-out). */
function probeOutput(cmd: string, args: string[], timeoutMs: number): { out: string } | { error: string } {
  try {
    return {
      out: execFileSync(cmd, args, { encoding: "utf8", timeout: timeoutMs, stdio: ["ignore", "pipe", "pipe"] }),
    };
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    const said = (err.stderr ?? "").trim().split("\n").pop() ?? "";
    return { error: said !== "" ? said : err.message.split("\n")[0]! };
  }
}

/** What `nvidia-smi` logs: one row per GPU per poll, the columns `ingest`'s nvidia-smi reader reads. */
export const NVIDIA_SMI_QUERY = "index,timestamp,name,pstate,power.draw,utilization.gpu,temperature.gpu,clocks.sm";

export function detectNvidiaSmi(has: (c: string) => boolean): SensorProbe {
  if (!has("nvidia-smi")) return { sensor: null, reason: "no nvidia-smi command" };
  const probe = probeOutput("nvidia-smi", ["--query-gpu=index,power.draw", "--format=csv,noheader,nounits"], 5000);
  if ("error" in probe) return { sensor: null, reason: `nvidia-smi --query-gpu failed: ${probe.error}` };
  const rows = probe.out.split("\n").filter((l) => l.trim() !== "");
  const readable = rows.filter((l) => Number.isFinite(Number(l.split(",")[1]?.trim() ?? "")));
  if (readable.length === 0)
    return {
      sensor: null,
      reason:
        `nvidia-smi reports no power.draw (${rows[0]?.trim() ?? "no GPU"}): ` +
        "a Jetson's integrated GPU has none, use tegrastats",
    };
  const interval = (ms: number): string[] => [
    `--query-gpu=${NVIDIA_SMI_QUERY}`,
    "--format=csv",
    "-lms",
    String(Math.max(10, Math.round(ms))),
  ];
  const gpus = `${readable.length} GPU${readable.length === 1 ? "" : "s"}`;
  return {
    sensor: {
      kind: "nvidia-smi",
      format: "nvidia-smi",
      scope: `GPU board power (nvidia-smi power.draw, ${gpus} summed), not the whole machine`,
      channels: [
        processChannel("power-nvidia-smi.csv", `nvidia-smi power.draw (${gpus})`, "nvidia-smi", interval, {
          stamp: false,
          headerLines: 1,
        }),
      ],
    },
    reason: `nvidia-smi reads power.draw of ${gpus}`,
  };
}

/**
 * jetson-stats' `examples/jtop_logger.py` (rbonghi/jetson_stats), writing to stdout instead of a
 * file: a `csv.DictWriter` over `jetson.stats` (header, then one row per update), so the log is
 * exactly what that logger writes and `ingest` reads (`jtop-csv`: `time`, …, `Power TOT`).
 * `extrasaction="ignore"`: a key that appears mid-run (a rail coming up) does not stop the log.
 * argv: `probe` (is the jtop service reachable?) or `log INTERVAL_S`.
 */
export const JTOP_LOGGER_PY = `import csv, sys
from jtop import jtop, JtopException
mode = sys.argv[1]
interval = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
try:
    with jtop(interval=interval) as jetson:
        if mode == "probe":
            print("ok" if jetson.ok() else "jtop service not ok")
            sys.exit(0)
        stats = jetson.stats
        writer = csv.DictWriter(sys.stdout, fieldnames=stats.keys(), extrasaction="ignore")
        writer.writeheader()
        writer.writerow(stats)
        sys.stdout.flush()
        while jetson.ok():
            writer.writerow(jetson.stats)
            sys.stdout.flush()
except JtopException as e:
    print(e, file=sys.stderr)
    sys.exit(1)
except KeyboardInterrupt:
    pass
`;

export function detectJtop(has: (c: string) => boolean): SensorProbe {
  if (!has("jtop")) return { sensor: null, reason: "no jtop command (jetson-stats: sudo pip3 install jetson-stats)" };
  if (!has("python3")) return { sensor: null, reason: "jtop found but no python3 to run its Python API" };
  const probe = probeOutput("python3", ["-c", JTOP_LOGGER_PY, "probe"], 10000);
  if ("error" in probe) return { sensor: null, reason: `jtop's Python API failed: ${probe.error}` };
  if (probe.out.trim() !== "ok") return { sensor: null, reason: `jtop's Python API: ${probe.out.trim()}` };
  const args = (ms: number): string[] => ["-u", "-c", JTOP_LOGGER_PY, "log", String(Math.max(0.1, ms / 1000))];
  return {
    sensor: {
      kind: "jtop",
      format: "jtop-csv",
      scope: "board input (jtop Power TOT)",
      channels: [
        processChannel("power-jtop.csv", "jtop (jetson-stats Python API, jtop_logger.py)", "python3", args, {
          stamp: false,
          headerLines: 1,
        }),
      ],
    },
    reason: "jtop service answers",
  };
}
