import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers.js";

const tmp = () => join(mkdtempSync(join(tmpdir(), "slm-sim-cli-")), "bundle");
const base = [
  "simulate",
  "--device",
  "raspberry-pi-5",
  "--backend",
  "cpu",
  "--model",
  "tinyllama-1.1b",
  "--benchmark",
  "winogrande",
];

describe("slm-energy simulate", () => {
  it("writes a bundle with its truth and says what it wrote", async () => {
    const out = tmp();
    const r = await runCli([...base, "--meter", "pmic", "--inferences", "3", "--seed", "7", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /simulated raspberry-pi-5\/cpu tinyllama-1\.1b winogrande: 3 record\(s\), pmic at 1 Hz, llama\.cpp log, seed 7/,
    );
    for (const f of ["manifest.json", "pmic.log", "llama-server.log", "truth.json"])
      expect(existsSync(join(out, f))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")).simulated).toBe(true);
  });

  it("--json prints the summary; --damage lists what it damaged", async () => {
    const r = await runCli([
      ...base,
      "--meter",
      "usb-csv",
      "--runtime",
      "collector",
      "--inferences",
      "4",
      "--damage",
      "garbage,truncate",
      "--json",
      "--out",
      tmp(),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.simulated).toBe(true);
    expect(j.damage.map((d: { kind: string }) => d.kind)).toEqual(["garbage", "garbage", "truncate"]);
  });

  it("refuses bad input with a usage error (exit 2) that says what to do", async () => {
    const cases: [string[], RegExp][] = [
      [[...base, "--meter", "geiger", "--out", tmp()], /unknown meter[\s\S]*tegrastats/],
      [[...base, "--meter", "pmic", "--sample-hz", "100", "--out", tmp()], /pmic samples at up to 25 Hz/],
      [[...base, "--meter", "pmic", "--power-mode", "turbo", "--out", tmp()], /power mode|turbo/i],
      [
        [
          "simulate",
          "--device",
          "raspberry-pi-5",
          "--backend",
          "gpu",
          "--model",
          "tinyllama-1.1b",
          "--benchmark",
          "mmlu",
          "--meter",
          "pmic",
          "--out",
          tmp(),
        ],
        /gpu/i,
      ],
      [
        [
          "simulate",
          "--device",
          "raspberry-pi-5",
          "--backend",
          "gpu",
          "--model",
          "tinyllama-1.1b",
          "--benchmark",
          "mmlu",
          "--meter",
          "pmic",
          "--truth",
          "paper",
          "--out",
          tmp(),
        ],
        /no latency\/energy[\s\S]*GPU backend/,
      ],
      [
        [
          "simulate",
          "--device",
          "jetson-orin-nano",
          "--backend",
          "gpu",
          "--power-mode",
          "15W",
          "--model",
          "tinyllama-1.1b",
          "--benchmark",
          "mmlu",
          "--meter",
          "jtop",
          "--truth",
          "paper",
          "--out",
          tmp(),
        ],
        /MAXN_SUPER only[\s\S]*truth from the model/,
      ],
      [[...base, "--meter", "pmic", "--truth", "oracle", "--out", tmp()], /--truth oracle/],
      [[...base, "--meter", "pmic", "--damage", "fire", "--out", tmp()], /unknown damage/],
      [[...base, "--meter", "pmic"], /--out is required/],
      [[...base, "--meter", "pmic", "--inferences", "2.5", "--out", tmp()], /--inferences must be an integer/],
    ];
    for (const [args, msg] of cases) {
      const r = await runCli(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr, args.join(" ")).toMatch(msg);
    }
  });

  it("never writes into a folder that holds something without --force", async () => {
    const out = tmp();
    expect((await runCli([...base, "--meter", "pmic", "--inferences", "2", "--out", out])).code).toBe(0);
    const again = await runCli([...base, "--meter", "pmic", "--inferences", "2", "--out", out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/not empty/);
    expect((await runCli([...base, "--meter", "pmic", "--inferences", "2", "--out", out, "--force"])).code).toBe(0);
  });
});

describe("slm-energy simulate --truth model", () => {
  it("predicts any power mode and quantization with the calibrated model, and says so in truth.json", async () => {
    const out = tmp();
    const r = await runCli([
      "simulate",
      "--device",
      "jetson-orin-nano",
      "--backend",
      "gpu",
      "--power-mode",
      "15W",
      "--model",
      "phi-3-mini",
      "--quant",
      "Q8_0",
      "--benchmark",
      "mmlu",
      "--meter",
      "jtop",
      "--inferences",
      "2",
      "--out",
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const t = JSON.parse(readFileSync(join(out, "truth.json"), "utf8"));
    expect(t.request.truth).toBe("model");
    expect(t.workload.powerMode).toBe("15W");
    expect(t.workload.quantization).toBe("Q8_0");
    expect(t.workload.source).toMatch(/^calibrated model models\/calibrated\/paper\.json/);
  });
});

describe("slm-energy sampling-study", () => {
  it("prints the rules of thumb and, with --json, the cells (without writing when asked not to)", async () => {
    const r = await runCli(["sampling-study", "--meters", "rapl", "--json", "--no-write"]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.cells.length).toBeGreaterThan(0);
    expect(j.rules.some((x: { sentence: string }) => /^rapl at 1 Hz: /.test(x.sentence))).toBe(true);
    const bad = await runCli(["sampling-study", "--meters", "geiger"]);
    expect(bad.code).toBe(2);
  });
});
