import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { detectPowerSensors } from "../../src/io/sensors/detect.js";
import { measureRun, type MeasureRunOptions } from "../../src/pipeline/measure/run.js";
import { ingestBundle } from "../../src/pipeline/ingest/bundle.js";
import { inspectFile } from "../../src/pipeline/ingest/inspect.js";
import { ollamaBaseUrl, ollamaWindows } from "../../src/measure/ollama.js";
import { parsePromptsJsonl } from "../../src/collect/prompts.js";
import { ROOT } from "../helpers.js";

// A fake Ollama on loopback answers /api/generate with a real response's fields — the qwen3.5:4b
// answer in test/fixtures/real/ollama-generate-qwen35-2026.json (hank2333/word, see SOURCES.md) —
// its durations scaled down 10× so the test is short, and it takes that long to answer (load,
// then prefill, then decode). A fake tegrastats at a constant 7 W is the sensor. After ingest,
// each request's prefill and decode energies must be 7 W × the durations the answer reported.
const dir = mkdtempSync(join(tmpdir(), "slm-measure-ollama-"));
const bin = join(dir, "bin");
const savedPath = process.env.PATH;
const nothing = join(dir, "nothing");
const REAL = JSON.parse(
  readFileSync(join(ROOT, "test/fixtures/real/ollama-generate-qwen35-2026.json"), "utf8"),
) as Record<string, unknown>;
const SCALE = 10;
const ns = (k: string): number => Math.round((REAL[k] as number) / SCALE);
const LOAD_NS = ns("load_duration");
const PREFILL_NS = ns("prompt_eval_duration");
const DECODE_NS = ns("eval_duration");
const TEGRA_LINE = readFileSync(join(ROOT, "test/fixtures/power/tegrastats-orin.log"), "utf8").split("\n")[0]!; // VDD_IN 7000 mW

let server: Server;
let port = 0;
const requests: Record<string, unknown>[] = [];

beforeAll(async () => {
  mkdirSync(bin);
  writeFileSync(join(bin, "tegrastats"), `#!/bin/sh\nwhile true; do echo '${TEGRA_LINE}'; sleep 0.05; done\n`);
  chmodSync(join(bin, "tegrastats"), 0o755);
  process.env.PATH = `${bin}:${savedPath}`;
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const q = JSON.parse(body) as Record<string, unknown>;
      requests.push({ ...q, path: req.url, method: req.method });
      if (q.model !== "qwen3.5:4b") {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: `model '${String(q.model)}' not found` }));
        return;
      }
      const total = LOAD_NS + PREFILL_NS + DECODE_NS;
      setTimeout(() => {
        res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
        res.end(
          JSON.stringify({
            ...REAL,
            model: q.model,
            created_at: new Date().toISOString(),
            total_duration: total + 1_000_000,
            load_duration: LOAD_NS,
            prompt_eval_duration: PREFILL_NS,
            eval_duration: DECODE_NS,
          }),
        );
      }, total / 1e6);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  process.env.PATH = savedPath;
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const PROMPTS = '{"id": "sky", "prompt": "Why is the sky blue?"}\n\n{"id": "q2", "prompt": "Name three rivers."}\n';

function options(out: string, model: string, extra: Partial<MeasureRunOptions> = {}): MeasureRunOptions {
  return {
    command: "ollama",
    args: [],
    outDir: join(dir, out),
    meter: "auto",
    intervalMs: 50,
    idleS: 0.2,
    board: null,
    model,
    benchmark: null,
    label: null,
    grid: null,
    catalogIds: ["jetson-orin-nano"],
    root: nothing,
    detect: () => detectPowerSensors({ sysRoot: nothing, commandExists: (c) => existsSync(join(bin, c)) }),
    ollama: {
      model,
      url: ollamaBaseUrl(`http://127.0.0.1:${port}`),
      prompts: parsePromptsJsonl(PROMPTS, "prompts.jsonl"),
      promptsFile: "prompts.jsonl",
    },
    ...extra,
  };
}

describe("measure --ollama", () => {
  it("places each answer's prefill and decode from its durations; ingest gives 7 W × each phase", async () => {
    requests.length = 0;
    const s = await measureRun(options("ollama", "qwen3.5:4b"));
    expect(s.status).toBe("complete");
    expect(s.exitCode).toBe(0);
    expect(s.windows).toBe(2);
    expect(requests.map((r) => [r.method, r.path, r.model, r.stream, r.prompt])).toEqual([
      ["POST", "/api/generate", "qwen3.5:4b", false, "Why is the sky blue?"],
      ["POST", "/api/generate", "qwen3.5:4b", false, "Name three rivers."],
    ]);
    const r = await ingestBundle(s.dir);
    expect(r.manifest.runtime).toBe("ollama");
    expect(r.manifest.model).toBe("qwen3.5:4b");
    expect(r.inferences.map((x) => [x.itemId, x.promptTokens, x.genTokens])).toEqual([
      ["sky", REAL.prompt_eval_count, REAL.eval_count],
      ["q2", REAL.prompt_eval_count, REAL.eval_count],
    ]);
    for (const x of r.inferences) {
      expect(x.latencyS).toBeCloseTo((PREFILL_NS + DECODE_NS) / 1e9, 5);
      expect(x.energyPrefillJ).toBeCloseTo((7 * PREFILL_NS) / 1e9, 4);
      expect(x.energyDecodeJ).toBeCloseTo((7 * DECODE_NS) / 1e9, 4);
      expect(x.energyGrossJ).toBeCloseTo((7 * (PREFILL_NS + DECODE_NS)) / 1e9, 4);
    }
    // Each answer arrived after the load, prefill and decode it reports: the windows do not overlap.
    expect(r.inferences[1]!.startS! - r.inferences[0]!.endS!).toBeGreaterThan(LOAD_NS / 1e9 - 0.01);
    const run = JSON.parse(readFileSync(join(s.dir, "run.json"), "utf8")) as {
      ollama: { answered: number; requests: { load_window: { start_s: number; end_s: number } }[] };
      command: { argv: unknown };
    };
    expect(run.command.argv).toBeNull();
    expect(run.ollama.answered).toBe(2);
    const load = run.ollama.requests[0]!.load_window;
    expect(load.end_s - load.start_s).toBeCloseTo(LOAD_NS / 1e9, 5);
    expect(load.end_s).toBeCloseTo(r.inferences[0]!.startS!, 5);

    // The answers as received, which ingest's Ollama reader reads.
    const responses = await inspectFile(join(s.dir, "ollama-responses.jsonl"));
    const i = responses.inspection as { kind: string; format: string; records: { gen_tokens: number }[] };
    expect(i.format).toBe("ollama-json");
    expect(i.records.map((x) => x.gen_tokens)).toEqual([REAL.eval_count, REAL.eval_count]);
  });

  it("stops with Ollama's own error and the hint to pull a model it does not have", async () => {
    await expect(measureRun(options("ollama-404", "no-such-model"))).rejects.toThrow(
      /Ollama answered HTTP 404 to prompt line 1: model 'no-such-model' not found/,
    );
    const run = JSON.parse(readFileSync(join(dir, "ollama-404", "run.json"), "utf8")) as { status: string };
    expect(run.status).toBe("failed"); // the bundle is closed all the same
  });

  it("says so when no Ollama listens on the port", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const o = options("ollama-down", "qwen3.5:4b", { idleS: 0 });
    o.ollama = { ...o.ollama!, url: ollamaBaseUrl(`127.0.0.1:${freePort}`) };
    await expect(measureRun(o)).rejects.toThrow(/no Ollama answers at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });

  it("talks to 127.0.0.1 only", () => {
    expect(ollamaBaseUrl(null).origin).toBe("http://127.0.0.1:11434");
    expect(ollamaBaseUrl("http://127.0.0.1:8080").port).toBe("8080");
    expect(() => ollamaBaseUrl("http://192.168.1.20:11434")).toThrow(/this machine only \(127\.0\.0\.1\), not 192/);
    expect(() => ollamaBaseUrl("http://localhost:11434")).toThrow(/not localhost/);
    expect(() => ollamaBaseUrl("https://127.0.0.1:11434")).toThrow(/only http/);
    expect(() => ollamaBaseUrl("http://127.0.0.1:11434/api")).toThrow(/address only/);
  });

  it("places a real response: decode ends at arrival, prefill before it, the load before that", () => {
    const w = ollamaWindows(REAL, 1000, 0, { id: null, prompt: "x", line: 3 });
    expect(w.record).toMatchObject({ item_id: "line3", prompt_tokens: 28, gen_tokens: 44, end_s: 1000 });
    expect(w.record.start_s).toBeCloseTo(1000 - 4.0290068 - 0.5319035, 6);
    expect(w.record.prefill_ms).toBeCloseTo(531.9035, 3);
    expect(w.load!.end_s).toBeCloseTo(w.record.start_s, 6);
    expect(w.load!.end_s - w.load!.start_s).toBeCloseTo(0.2388648, 6);
    expect(() => ollamaWindows({ error: "boom" }, 1, 0, { id: null, prompt: "x", line: 7 })).toThrow(
      "Ollama's answer to prompt line 7: boom",
    );
    expect(() => ollamaWindows({ ...REAL, eval_duration: "4s" }, 1, 0, { id: null, prompt: "x", line: 2 })).toThrow(
      /field "eval_duration" is "4s"/,
    );
  });
});

describe("measure --ollama from the command line", () => {
  const cli = async (args: string[]) => {
    let out = "";
    let err = "";
    const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
    return { code, out, err };
  };

  it("refuses a bad prompt line naming it, a remote host, and a COMMAND beside --ollama", async () => {
    const file = join(dir, "bad.jsonl");
    writeFileSync(file, '{"prompt": "fine"}\n{"prompt": \n');
    const bad = await cli(["measure", "--ollama", "m", "--prompts", file, "--out", join(dir, "b1")]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/bad\.jsonl:2: not valid JSON/);
    expect(bad.err).not.toMatch(/\n\s+at /); // no stack trace
    writeFileSync(file, '{"prompt": "fine"}\n{"text": ""}\n');
    expect((await cli(["measure", "--ollama", "m", "--prompts", file, "--out", join(dir, "b2")])).err).toMatch(
      /bad\.jsonl:2: .*non-empty string/,
    );
    writeFileSync(file, '{"prompt": "fine"}\n');
    const remote = [
      "--ollama",
      "m",
      "--prompts",
      file,
      "--ollama-url",
      "http://10.0.0.5:11434",
      "--out",
      join(dir, "b3"),
    ];
    const r = await cli(["measure", ...remote]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/127\.0\.0\.1/);
    const both = await cli(["measure", "--ollama", "m", "--prompts", file, "--out", join(dir, "b4"), "--", "ls"]);
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/give no COMMAND/);
    expect((await cli(["measure", "--prompts", file, "--out", join(dir, "b5"), "--", "ls"])).err).toMatch(
      /go with --ollama MODEL/,
    );
    for (const b of ["b1", "b2", "b3", "b4", "b5"]) expect(existsSync(join(dir, b))).toBe(false);
  });
});
