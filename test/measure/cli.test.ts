import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { checkBoard, chooseMeter, commandArgs, llamaBenchWindows } from "../../src/measure/measure.js";
import { ingestBundle } from "../../src/pipeline/ingest/bundle.js";
import { ROOT } from "../helpers.js";
import { writeSyntheticGguf } from "../../src/gguf/index.js";

const dir = mkdtempSync(join(tmpdir(), "slm-measure-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

const NO_SENSORS = {
  sensors: [],
  checks: [
    { kind: "rapl" as const, available: false, reason: "no RAPL zones" },
    { kind: "ina3221-hwmon" as const, available: false, reason: "no ina3221" },
  ],
};

describe("measure: choices", () => {
  it("maps meters to the collector's sensors and names what was probed when one is absent", () => {
    expect(chooseMeter("auto", NO_SENSORS)).toBeNull();
    expect(() => chooseMeter("ina3221", NO_SENSORS)).toThrow(
      "meter ina3221 is not on this machine (probed rapl: no RAPL zones; ina3221-hwmon: no ina3221)",
    );
    expect(() => chooseMeter("jtop", NO_SENSORS)).toThrow(/meter jtop is not on this machine/);
    expect(() => chooseMeter("nvidia-smi", NO_SENSORS)).toThrow(/meter nvidia-smi is not on this machine/);
    const opened = (p: string) => {
      throw new Error(`opened ${p}`);
    };
    expect(() => chooseMeter("usb-meter:/dev/ttyUSB0", NO_SENSORS, opened)).toThrow("opened /dev/ttyUSB0");
    expect(() => chooseMeter("usb-meter", NO_SENSORS, opened)).toThrow(/usb-meter needs the file its logger writes/);
    expect(() => chooseMeter("geiger", NO_SENSORS)).toThrow(/unknown meter "geiger"/);
  });

  it("detects the board from the device-tree model, and warns when --board says otherwise", () => {
    const ids = ["raspberry-pi-5", "jetson-nano", "jetson-orin-nano", "jetson-orin-nano-super"];
    expect(checkBoard(null, "Raspberry Pi 5 Model B Rev 1.0", ids)).toMatchObject({
      detected: "raspberry-pi-5",
      device: "raspberry-pi-5",
      warning: null,
    });
    expect(checkBoard(null, "NVIDIA Jetson Nano Developer Kit", ids).detected).toBe("jetson-nano");
    expect(checkBoard(null, "Some Unknown Board", ids)).toMatchObject({ detected: null, device: "local" });
    const wrong = checkBoard("raspberry-pi-5", null, ids);
    expect(wrong.device).toBe("raspberry-pi-5");
    expect(wrong.warning).toMatch(/--board raspberry-pi-5 but this host is not a catalog board/);
  });

  it("asks llama-bench for JSONL unless an output format is given", () => {
    expect(commandArgs("./build/bin/llama-bench", ["-m", "m.gguf"])).toEqual(["-m", "m.gguf", "-o", "jsonl"]);
    expect(commandArgs("llama-bench", ["-o", "csv"])).toEqual(["-o", "csv"]);
    expect(commandArgs("llama-cli", ["-m", "m.gguf"])).toEqual(["-m", "m.gguf"]);
  });

  it("places a llama-bench JSONL test's repetitions back to back, ending when its line arrived", () => {
    const line = readFileSync(join(ROOT, "test/fixtures/inference/llama-bench.jsonl"), "utf8").split("\n")[0]!;
    const w = llamaBenchWindows(line, 1000, 0)!;
    expect(w.map((r) => r.item_id)).toEqual(["pp512#1", "pp512#2", "pp512#3"]);
    expect(w[2]!.end_s).toBe(1000);
    expect(w[0]!.start_s).toBeCloseTo(1000 - (9412345678 + 9501234567 + 9482277830) / 1e9, 6);
    expect(w[0]!.prefill_ms).toBeCloseTo(9412.345678, 3);
    expect(llamaBenchWindows("| model | size |", 1000, 0)).toBeNull();
  });
});

describe("measure: the command line", () => {
  it("refuses bad usage with exit 2 and a hint", async () => {
    const noOut = await cli(["measure", "--", "true"]);
    expect(noOut.code).toBe(2);
    expect(noOut.err).toMatch(/--out DIR is required/);
    const noCmd = await cli(["measure", "--out", join(dir, "x")]);
    expect(noCmd.code).toBe(2);
    expect(noCmd.err).toMatch(/no command to measure[\s\S]*hint: give it after --/);
    const missing = await cli(["measure", "--out", join(dir, "y"), "--", "no-such-command-xyz"]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/command not found on PATH: no-such-command-xyz/);
    const badIdle = await cli(["measure", "--idle-s", "-1", "--out", join(dir, "z"), "--", "true"]);
    expect(badIdle.code).toBe(2);
  });

  it.skipIf(!existsSync(join(ROOT, "dist", "cli", "main.js")))(
    "under a real SIGINT stops the command and leaves a bundle that ingests",
    async () => {
      const out = join(dir, "sigint");
      const child = spawn(
        process.execPath,
        [
          join(ROOT, "dist/cli/main.js"),
          "measure",
          "--meter",
          "auto",
          "--idle-s",
          "0",
          "--out",
          out,
          "--",
          "sh",
          "-c",
          "echo started; exec sleep 30",
        ],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      const exited = new Promise<number | null>((res) => child.on("exit", (code) => res(code)));
      // Wait for the command to be running (node start-up alone takes seconds on a loaded machine).
      for (let i = 0; i < 500 && !stdout.includes("started"); i++) await new Promise((r) => setTimeout(r, 50));
      child.kill("SIGINT");
      const code = await exited;
      expect(code).toBe(130);
      expect(stderr).toMatch(/interrupted: stopping the command/);
      const run = JSON.parse(readFileSync(join(out, "run.json"), "utf8")) as Record<string, unknown>;
      expect(run.status).toBe("interrupted");
      expect(readFileSync(join(out, "command.log"), "utf8")).toBe("started\n");
      const r = await ingestBundle(out);
      expect(r.inferences).toHaveLength(1);
    },
    60_000,
  );
});

describe("measure: arguments after --", () => {
  // Regression: `measure -- CMD -h` printed measure's help instead of passing -h to CMD.
  it("passes -h and --help after -- to the command", async () => {
    const r = await cli([
      "measure",
      "--idle-s",
      "0",
      "--out",
      join(dir, "help"),
      "--",
      "sh",
      "-c",
      "echo got $0",
      "-h",
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toBe("got -h\n");
    expect(readFileSync(join(dir, "help", "command.log"), "utf8")).toBe("got -h\n");
  });
});

describe("measure: no sensor, a GGUF and a catalog board", () => {
  it("writes the calibrated model's prediction per llama-bench workload, labelled PREDICTED", async () => {
    const model = join(dir, "p.gguf");
    await writeSyntheticGguf(
      { name: "pred", layers: 2, hidden: 128, ffn: 256, heads: 4, kvHeads: 2, vocab: 800, quant: "Q8_0" },
      model,
    );
    const bench = join(dir, "llama-bench");
    const line = (p: number, g: number): string =>
      JSON.stringify({ n_prompt: p, n_gen: g, avg_ns: 50_000_000, samples_ns: [50_000_000, 50_000_000] });
    writeFileSync(bench, `#!/bin/sh\nsleep 0.1\necho '${line(64, 0)}'\nsleep 0.1\necho '${line(0, 16)}'\n`);
    chmodSync(bench, 0o755);
    const out = join(dir, "predicted");
    const r = await cli([
      "measure",
      "--meter",
      "auto",
      "--idle-s",
      "0",
      "--board",
      "raspberry-pi-5",
      "--model",
      model,
      "--out",
      out,
      "--",
      bench,
    ]);
    expect(r.code).toBe(0);
    const run = JSON.parse(readFileSync(join(out, "run.json"), "utf8")) as {
      energy_predicted: Record<string, unknown>[];
    };
    expect(run.energy_predicted).toHaveLength(2);
    expect(run.energy_predicted[0]).toMatchObject({
      label: "PREDICTED by the calibrated model (slm-energy predict), not measured",
      workload: { prompt_tokens: 64, gen_tokens: 0 },
      inferences: 2,
    });
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { notes: string };
    expect(manifest.notes).toMatch(/energy PREDICTED by the calibrated model/);
  });
});
