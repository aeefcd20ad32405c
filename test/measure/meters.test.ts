import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detectPowerSensors } from "../../src/io/sensors/detect.js";
import { measureRun, type MeasureRunOptions } from "../../src/pipeline/measure/run.js";
import { ingestBundle } from "../../src/pipeline/ingest/bundle.js";
import { ROOT } from "../helpers.js";

// The meters measure samples by running a program — nvidia-smi, jtop's Python API — faked as
// executables on PATH that print their real output format at the interval they are given, with
// the time from the real `date` (so the TZ=UTC measure sets is what makes the times line up);
// and a USB meter's logger, faked as a shell loop appending FNIRSI logger lines to a file. Each
// bundle is read back by `ingest` and must give the power the fake printed over every window.
const dir = mkdtempSync(join(tmpdir(), "slm-meters-"));
const bin = join(dir, "bin");
const savedPath = process.env.PATH;
const savedTz = process.env.TZ;
const nothing = join(dir, "nothing");

/** The real nvidia-smi log's GTX 1650 rows (test/fixtures/real/nvidia-smi-gtx1650.csv): 19.46 W, 19.82 W. */
const GPU_W = [19.46, 19.82];
/** jtop-orin.csv's header and its first row's fields after `time` (Power TOT 5000 mW). */
const [JTOP_HEADER, JTOP_ROW] = readFileSync(join(ROOT, "test/fixtures/power/jtop-orin.csv"), "utf8").split("\n");
const JTOP_REST = JTOP_ROW!.slice(JTOP_ROW!.indexOf(","));
/** fnirsi-fnb58.txt's header and a sample's fields after the time stamp: 5.1 V × 0.49 A. */
const [FNIRSI_HEADER, FNIRSI_ROW] = readFileSync(join(ROOT, "test/fixtures/power/fnirsi-fnb58.txt"), "utf8").split(
  "\n",
);
const FNIRSI_REST = FNIRSI_ROW!.slice(FNIRSI_ROW!.indexOf(" "));

const script = (name: string, body: string): void => {
  writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
  chmodSync(join(bin, name), 0o755);
};

beforeAll(() => {
  mkdirSync(bin);
  // nvidia-smi: the probe (`--format=csv,noheader,nounits`), then `-lms N` polls of two GPUs.
  script(
    "nvidia-smi",
    [
      'case "$*" in *noheader*) echo "0, 19.46"; echo "1, 19.82"; exit 0;; esac',
      'ms=""; prev=""; for a; do [ "$prev" = -lms ] && ms=$a; prev=$a; done',
      'echo "$*" > ' + join(dir, "nvidia-smi-args"),
      'echo "index, timestamp, name, pstate, power.draw [W], utilization.gpu [%], temperature.gpu, clocks.current.sm [MHz]"',
      "while true; do",
      '  t=$(date +"%Y/%m/%d %H:%M:%S.%3N")',
      '  echo "0, $t, NVIDIA GeForce GTX 1650, P0, 19.46 W, 25 %, 50, 1590 MHz"',
      '  echo "1, $t, NVIDIA GeForce GTX 1650, P0, 19.82 W, 25 %, 50, 1590 MHz"',
      "  sleep $(echo \"$ms\" | awk '{print $1/1000}')",
      "done",
    ].join("\n"),
  );
  // jtop: the jetson-stats command exists; python3 runs the logger script measure passes
  // (kept for the test to read), answering the probe and printing DictWriter rows (CRLF).
  script("jtop", "exit 0");
  script(
    "python3",
    [
      '[ "$1" = -u ] && shift',
      `printf '%s' "$2" > ${join(dir, "jtop-script.py")}`,
      'if [ "$3" = probe ]; then echo ok; exit 0; fi',
      `printf '%s\\r\\n' '${JTOP_HEADER}'`,
      `while true; do printf '%s%s\\r\\n' "$(date +'%Y-%m-%d %H:%M:%S.%6N')" '${JTOP_REST}'; sleep "$4"; done`,
    ].join("\n"),
  );
  process.env.PATH = `${bin}:${savedPath}`;
  // A local zone 5 h 30 min off UTC: a sampler whose times followed it would miss every window.
  process.env.TZ = "IST-5:30";
});
afterAll(() => {
  process.env.PATH = savedPath;
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
  rmSync(dir, { recursive: true, force: true });
});

const fakeCommands = (c: string): boolean => existsSync(join(bin, c));

function options(out: string, meter: string, extra: Partial<MeasureRunOptions> = {}): MeasureRunOptions {
  return {
    command: "sleep",
    args: ["0.4"],
    outDir: join(dir, out),
    meter,
    intervalMs: 50,
    idleS: 0.3,
    board: null,
    model: null,
    benchmark: null,
    label: null,
    grid: null,
    catalogIds: ["jetson-orin-nano"],
    root: nothing,
    detect: () => detectPowerSensors({ sysRoot: nothing, commandExists: fakeCommands }),
    ...extra,
  };
}

const readJson = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;

/** Mean power over the command's window and the idle window's, as ingest computes them from the bundle. */
async function ingested(out: string): Promise<{ commandW: number; idleW: number | null; latencyS: number }> {
  const r = await ingestBundle(out);
  expect(r.inferences).toHaveLength(1);
  const row = r.inferences[0]!;
  return { commandW: row.energyGrossJ! / row.latencyS!, idleW: r.run.idlePowerW, latencyS: row.latencyS! };
}

describe("measure --meter nvidia-smi", () => {
  it("logs every GPU's power.draw in nvidia-smi's CSV, which ingest sums over the window", async () => {
    const s = await measureRun(options("nvsmi", "nvidia-smi"));
    expect(s.sensor).toMatchObject({ kind: "nvidia-smi", format: "nvidia-smi", files: ["power-nvidia-smi.csv"] });
    const args = readFileSync(join(dir, "nvidia-smi-args"), "utf8");
    expect(args).toMatch(/--query-gpu=index,timestamp,\S*power\.draw\S* --format=csv -lms 50/);
    const log = readFileSync(join(s.dir, "power-nvidia-smi.csv"), "utf8").split("\n");
    expect(log[0]).toMatch(/^index, timestamp, .*power\.draw \[W\]/);
    expect(log.filter((l) => l.startsWith("1, ")).length).toBeGreaterThan(5); // the second GPU's rows
    expect(readJson(join(s.dir, "manifest.json")).meter).toBe("nvidia-smi");
    const { commandW, idleW, latencyS } = await ingested(s.dir);
    expect(latencyS).toBeGreaterThan(0.39);
    expect(commandW).toBeCloseTo(GPU_W[0]! + GPU_W[1]!, 6);
    expect(idleW).toBeCloseTo(GPU_W[0]! + GPU_W[1]!, 6);
  });

  it("says so when nvidia-smi has no power reading (a Jetson's iGPU answers [N/A])", () => {
    const jetsonBin = join(dir, "jetson-bin");
    mkdirSync(jetsonBin);
    writeFileSync(join(jetsonBin, "nvidia-smi"), '#!/bin/sh\necho "0, [N/A]"\n');
    chmodSync(join(jetsonBin, "nvidia-smi"), 0o755);
    const path = process.env.PATH;
    process.env.PATH = `${jetsonBin}:${savedPath}`;
    try {
      const d = detectPowerSensors({ sysRoot: nothing, commandExists: (c) => c === "nvidia-smi" });
      expect(d.sensors).toEqual([]);
      expect(d.checks.find((c) => c.kind === "nvidia-smi")?.reason).toMatch(/no power\.draw \(0, \[N\/A\]\)/);
    } finally {
      process.env.PATH = path;
    }
  });
});

describe("measure --meter jtop", () => {
  it("runs jtop_logger.py through jtop's Python API; ingest reads its Power TOT", async () => {
    const s = await measureRun(options("jtop", "jtop"));
    expect(s.sensor).toMatchObject({ kind: "jtop", format: "jtop-csv", files: ["power-jtop.csv"] });
    const py = readFileSync(join(dir, "jtop-script.py"), "utf8");
    expect(py).toContain("from jtop import jtop");
    expect(py).toContain("csv.DictWriter(sys.stdout, fieldnames=stats.keys()");
    const log = readFileSync(join(s.dir, "power-jtop.csv"), "utf8");
    expect(log.startsWith(JTOP_HEADER! + "\r\n")).toBe(true);
    const { commandW, idleW } = await ingested(s.dir);
    expect(commandW).toBeCloseTo(5, 6); // Power TOT 5000 mW
    expect(idleW).toBeCloseTo(5, 6);
  });
});

describe("measure --meter usb-meter:PATH", () => {
  let logger: ChildProcess | null = null;
  afterAll(() => void logger?.kill());

  it("follows the file a USB meter's logger appends to; ingest reads the FNIRSI lines", async () => {
    const file = join(dir, "fnb58.txt");
    // Lines logged before measure starts (an hour old) must not enter the bundle.
    const old = Math.floor(Date.now() / 1000) - 3600;
    writeFileSync(file, `${FNIRSI_HEADER}\n${old}.000${FNIRSI_REST}\n${old}.010${FNIRSI_REST}\n`);
    logger = spawn("sh", ["-c", `while true; do echo "$(date +%s.%3N)${FNIRSI_REST}" >> ${file}; sleep 0.02; done`]);
    const s = await measureRun(options("usb", `usb-meter:${file}`));
    expect(s.sensor).toMatchObject({ kind: "usb-meter", format: "fnirsi", files: ["power-usb-meter.txt"] });
    const copied = readFileSync(join(s.dir, "power-usb-meter.txt"), "utf8").split("\n");
    expect(copied[0]).toBe(FNIRSI_HEADER);
    expect(copied.some((l) => l.startsWith(String(old)))).toBe(false);
    expect(s.sensor!.readings).toBeGreaterThan(10);
    const { commandW, idleW } = await ingested(s.dir);
    expect(commandW).toBeCloseTo(5.1 * 0.49, 6);
    expect(idleW).toBeCloseTo(5.1 * 0.49, 6);
    const run = readJson(join(s.dir, "run.json"));
    expect(run.power).toMatchObject({ measured: true, sensor: { kind: "usb-meter", format: "fnirsi" } });
  });

  it("refuses a missing file, a device, a file without a header and a log that is no USB meter's", async () => {
    const fail = (meter: string) => measureRun(options("usb-bad", meter));
    await expect(fail(`usb-meter:${join(dir, "none.txt")}`)).rejects.toThrow(/does not exist/);
    await expect(fail("usb-meter:/dev/null")).rejects.toThrow(/is a device, not a log/);
    writeFileSync(join(dir, "empty.txt"), "");
    await expect(fail(`usb-meter:${join(dir, "empty.txt")}`)).rejects.toThrow(/has no header line yet/);
    const tegra = join(ROOT, "test/fixtures/power/tegrastats-orin.log");
    await expect(fail(`usb-meter:${tegra}`)).rejects.toThrow(/is not a USB-meter log ingest reads \(tegrastats/);
    await expect(fail("usb-meter:")).rejects.toThrow(/usb-meter needs the file its logger writes/);
    expect(existsSync(join(dir, "usb-bad"))).toBe(false);
  });
});

describe("measure --meter auto", () => {
  it("reports every probe's answer when it finds no sensor, jtop and nvidia-smi included", async () => {
    const notices: string[] = [];
    const s = await measureRun(
      options("auto-none", "auto", {
        idleS: 0,
        args: ["0.05"],
        detect: () => detectPowerSensors({ sysRoot: nothing, commandExists: () => false }),
        onNotice: (t) => notices.push(t),
      }),
    );
    expect(s.sensor).toBeNull();
    const text = notices.join("\n");
    for (const probe of ["rapl: ", "ina3221-hwmon: ", "tegrastats: ", "jtop: no jtop command", "nvidia-smi: no"])
      expect(text).toContain(probe);
  });

  it("takes nvidia-smi when it is the only sensor, and names nvidia-smi as missing when asked for", async () => {
    const d = detectPowerSensors({ sysRoot: nothing, commandExists: (c) => c === "nvidia-smi" });
    expect(d.sensors.map((x) => x.kind)).toEqual(["nvidia-smi"]);
    await expect(
      measureRun(
        options("nv-missing", "nvidia-smi", {
          detect: () => detectPowerSensors({ sysRoot: nothing, commandExists: () => false }),
        }),
      ),
    ).rejects.toThrow(/meter nvidia-smi is not on this machine \(probed .*nvidia-smi: no nvidia-smi command/);
  });
});
