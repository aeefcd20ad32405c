import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detectPowerSensors } from "../../src/io/sensors/detect.js";
import { measureRun, STAMPS_FILE, type MeasureRunOptions } from "../../src/pipeline/measure/run.js";
import { ingestBundle } from "../../src/pipeline/ingest/bundle.js";
import { createTextWindows, windowsInStartOrder } from "../../src/measure/windows.js";
import { measuredRuntime } from "../../src/measure/measure.js";
import type { CollectorRecordV1 } from "../../src/ingest/types.js";
import { ROOT } from "../helpers.js";

// Real outputs (test/fixtures/measure/SOURCES.md, test/fixtures/real/SOURCES.md) replayed by fake
// executables on PATH with real pauses, under a fake tegrastats (VDD_IN 7000 mW, every 50 ms).
const REAL_LLAMA_CLI = join(ROOT, "test/fixtures/measure/llama-cli-b4833-m4-pythia-q4_0.log");
const REAL_OLLAMA = join(ROOT, "test/fixtures/real/ollama-verbose-gpt-oss-jetson.txt");
const REAL_OLLAMA_TWO = join(ROOT, "test/fixtures/real/ollama-verbose-0.6.2-nano-readme.md");
const SERVER = join(ROOT, "test/fixtures/inference/llama-server.log"); // hand-written, real format
const TEGRA_LINE = readFileSync(join(ROOT, "test/fixtures/power/tegrastats-orin.log"), "utf8").split("\n")[0]!;
const POWER_W = 7;

const dir = mkdtempSync(join(tmpdir(), "slm-measure-windows-"));
const bin = join(dir, "bin");
const savedPath = process.env.PATH;
const nothing = join(dir, "nothing");

const script = (name: string, body: string): void => {
  writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
  chmodSync(join(bin, name), 0o755);
};
/** `sed -n A,Bp FILE` to stderr (or stdout). */
const lines = (file: string, a: number, b: number, to: "out" | "err" = "err"): string =>
  `sed -n '${a},${b}p' '${file}'${to === "err" ? " >&2" : ""}`;

beforeAll(() => {
  mkdirSync(bin);
  script("tegrastats", `while true; do echo '${TEGRA_LINE}'; sleep 0.05; done`);
  // llama-cli: the real log's own stamps give the pauses (1.47 s in all).
  script("llama-cli", `exec node '${join(ROOT, "test/measure/replay-stamped.mjs")}' '${REAL_LLAMA_CLI}'`);
  // ollama run --verbose: prompt, load + prompt eval (0.90 s), the answer as it is generated
  // (2.60 s), then the figures, on stderr as ollama prints them.
  script(
    "ollama",
    [lines(REAL_OLLAMA, 1, 2, "out"), "sleep 0.9", lines(REAL_OLLAMA, 3, 10, "out"), "sleep 2.61"].join("\n") +
      "\n" +
      [lines(REAL_OLLAMA, 11, 18), lines(REAL_OLLAMA, 19, 19, "out")].join("\n"),
  );
  // llama-server: two requests of 0.65 s and 0.62 s, each block printed when its request ends.
  script(
    "llama-server",
    [lines(SERVER, 1, 5), "sleep 0.66", lines(SERVER, 6, 12), "sleep 0.63", lines(SERVER, 13, 20)].join("\n"),
  );
  process.env.PATH = `${bin}:${savedPath}`;
});
afterAll(() => {
  process.env.PATH = savedPath;
  rmSync(dir, { recursive: true, force: true });
});

function options(out: string, command: string, args: string[] = []): MeasureRunOptions {
  return {
    command,
    args,
    outDir: join(dir, out),
    meter: "auto",
    intervalMs: 50,
    idleS: 0.2,
    board: null,
    model: null,
    benchmark: null,
    label: null,
    catalogIds: ["jetson-orin-nano"],
    root: nothing,
    detect: () => detectPowerSensors({ sysRoot: nothing, commandExists: (c) => existsSync(join(bin, c)) }),
  };
}

const records = (bundle: string): CollectorRecordV1[] =>
  readFileSync(join(bundle, "inference.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as CollectorRecordV1);

describe("measure: per-inference windows from what the command prints", () => {
  it("a real llama-cli run: one window, prefill and decode placed back from when the block was printed", async () => {
    const s = await measureRun(options("cli", "llama-cli", ["-m", "pythia.gguf"]));
    expect(s.status).toBe("complete");
    const [w, ...more] = records(s.dir);
    expect(more).toHaveLength(0);
    expect(w).toMatchObject({ item_id: "llama.cpp#1", prompt_tokens: 7, gen_tokens: 63 });
    expect(w!.prefill_ms).toBe(49.08);
    expect(w!.decode_ms).toBe(631.09);
    expect(w!.end_s - w!.start_s).toBeCloseTo(0.68017, 5);
    // The block is stamped 1.4655 s into the run; the window ends when it arrived.
    expect(w!.end_s - s.startS!).toBeGreaterThan(1.46);
    expect(w!.end_s).toBeLessThanOrEqual(s.endS!);
    // command.log is what the command printed, byte for byte; the stamps say which bytes came from
    // which stream: the stamped lines went to stderr, the rest (generated text) to stdout.
    const log = readFileSync(join(s.dir, "command.log"));
    const stamps = readFileSync(join(s.dir, STAMPS_FILE), "utf8").trim().split("\n");
    expect(stamps[0]).toBe("offset_bytes\tbytes\tstream\tarrived_s");
    const streams = { stdout: "", stderr: "" };
    for (const row of stamps.slice(1)) {
      const [offset, bytes, stream] = row.split("\t") as [string, string, "stdout" | "stderr"];
      streams[stream] += log.subarray(Number(offset), Number(offset) + Number(bytes)).toString("utf8");
    }
    const real = readFileSync(REAL_LLAMA_CLI, "utf8").split("\n").slice(0, -1);
    const stamped = (l: string): boolean => /^\d+\.\d{2}\.\d{3}\.\d{3} /.test(l);
    expect(streams.stderr).toBe(real.filter(stamped).join("\n") + "\n");
    expect(streams.stdout).toBe(real.filter((l) => !stamped(l)).join("\n") + "\n");
    expect(log.length).toBe(Buffer.byteLength(readFileSync(REAL_LLAMA_CLI, "utf8")));
    const run = JSON.parse(readFileSync(join(s.dir, "run.json"), "utf8")) as Record<string, unknown>;
    expect(run.window_source).toBe("llama.cpp");

    const r = await ingestBundle(s.dir);
    expect(r.inferences).toHaveLength(1);
    const row = r.inferences[0]!;
    expect(row.energyPrefillJ).toBeCloseTo(POWER_W * 0.04908, 2);
    expect(row.energyDecodeJ).toBeCloseTo(POWER_W * 0.63109, 2);
    expect(row.jPerGenToken).toBeCloseTo((POWER_W * 0.63109) / 63, 3);
  });

  it("a real `ollama run --verbose` answer: its figures on stderr become one window", async () => {
    const s = await measureRun(options("ollama", "ollama", ["run", "--verbose", "gpt-oss:20b"]));
    const [w, ...more] = records(s.dir);
    expect(more).toHaveLength(0);
    expect(w).toMatchObject({ item_id: "ollama-verbose#1", prompt_tokens: 76, gen_tokens: 88 });
    expect(w!.prefill_ms).toBeCloseTo(673.487645, 3);
    expect(w!.decode_ms).toBeCloseTo(2603.822053, 3);
    expect(w!.start_s).toBeGreaterThanOrEqual(s.startS!); // the pauses cover its durations
    const row = (await ingestBundle(s.dir)).inferences[0]!;
    expect(row.energyPrefillJ).toBeCloseTo(POWER_W * 0.673487645, 1);
    expect(row.energyDecodeJ).toBeCloseTo(POWER_W * 2.603822053, 1);
  }, 15_000);

  it("llama-server: one window per request, each ending when its block was printed", async () => {
    const s = await measureRun(options("server", "llama-server", ["-m", "x.gguf"]));
    const ws = records(s.dir);
    expect(ws.map((w) => [w.item_id, w.prompt_tokens, w.gen_tokens, w.prefill_ms, w.decode_ms])).toEqual([
      ["llama.cpp#1", 61, 1, 612.4, 41.87],
      ["llama.cpp#2", 58, 1, 580.93, 42.05],
    ]);
    expect(ws[1]!.end_s - ws[0]!.end_s).toBeGreaterThan(0.6); // the second request ended 0.63 s later
    expect(ws[1]!.start_s).toBeGreaterThanOrEqual(ws[0]!.end_s - 0.05);
    const r = await ingestBundle(s.dir);
    expect(r.inferences.map((x) => x.energyPrefillJ)).toEqual([
      expect.closeTo(POWER_W * 0.6124, 1),
      expect.closeTo(POWER_W * 0.58093, 1),
    ]);
    expect(r.run.prefillEnergyJ).toBeCloseTo(POWER_W * (0.6124 + 0.58093), 1);
  });
});

describe("text windows (pure)", () => {
  const feed = (file: string, stream: "stdout" | "stderr", at: (line: number) => number) => {
    const tw = createTextWindows();
    const out: CollectorRecordV1[] = [];
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((l, i) => out.push(...tw.push(stream, l, at(i + 1))));
    out.push(...tw.end());
    return { out, tw };
  };

  it("two real --verbose blocks, with the prose between them: each ends at its last figure's stamp", () => {
    const { out, tw } = feed(REAL_OLLAMA_TWO, "stdout", (n) => 1000 + n);
    expect(out).toHaveLength(2);
    const text = readFileSync(REAL_OLLAMA_TWO, "utf8").split("\n");
    const lastRate = text.map((l, i) => (/^eval rate:/.test(l.trim()) ? i + 1 : 0)).filter((n) => n > 0);
    expect(out.map((w) => w.end_s)).toEqual(lastRate.map((n) => 1000 + n));
    expect(out[0]!.end_s - out[0]!.start_s).toBeCloseTo(4.208096886 + 82.814029296, 5);
    expect(out[0]).toMatchObject({ prompt_tokens: 36, gen_tokens: 449, index: 0 });
    expect(out[1]!.index).toBe(1);
    expect(tw.formats).toEqual(["ollama-verbose"]);
  });

  it("a llama.cpp block without its total line closes at the end, stamped by its last timing line", () => {
    const tw = createTextWindows();
    expect(tw.push("stderr", "llama_print_timings: prompt eval time =  100.00 ms /  4 tokens", 10)).toEqual([]);
    expect(tw.push("stderr", "llama_print_timings:        eval time =  400.00 ms / 9 runs", 11)).toEqual([]);
    tw.push("stdout", "later text", 20);
    const [w] = tw.end();
    expect(w).toMatchObject({ start_s: 10.5, end_s: 11, prefill_ms: 100, decode_ms: 400, gen_tokens: 9 });
  });

  it("a garbled timing line is noted, not a window; windows completed out of start order are sorted", () => {
    const tw = createTextWindows();
    tw.push("stderr", "llama_perf_context_print: prompt eval time = garbled", 5);
    expect(tw.notes).toEqual([expect.objectContaining({ stream: "stderr", line: 1, kind: "quarantined" })]);
    const a = { start_s: 4, index: 0 } as CollectorRecordV1;
    const b = { start_s: 2, index: 1 } as CollectorRecordV1;
    expect(windowsInStartOrder([a, b]).map((r) => [r.start_s, r.index])).toEqual([
      [2, 0],
      [4, 1],
    ]);
  });

  it("a launcher's name gives way to the runtime the windows were read from", () => {
    expect(measuredRuntime("npx", ["llama.cpp"])).toBe("llama.cpp");
    expect(measuredRuntime("sh", ["ollama-verbose"])).toBe("ollama");
    expect(measuredRuntime("llama-cli", ["llama.cpp"])).toBe("llama-cli");
    expect(measuredRuntime("npx", [])).toBe("npx");
  });
});
