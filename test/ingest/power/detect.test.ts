import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { detectPowerFormat, rankPowerFormats } from "../../../src/ingest/power/index.js";
import { readPowerHead } from "../../../src/io/power/read.js";
import { fixture } from "./helpers.js";

const EXPECTED: Record<string, string> = {
  "codecarbon-emissions.csv": "codecarbon",
  "fnirsi-fnb58.txt": "fnirsi",
  "jtop-orin.csv": "jtop-csv",
  "nvidia-smi-2gpu.csv": "nvidia-smi",
  "nvidia-smi.csv": "nvidia-smi",
  "pmic-rpi5-bare.log": "pmic",
  "pmic-rpi5.log": "pmic",
  "rapl-package.csv": "rapl",
  "rapl-package.log": "rapl",
  "tegrastats-nano.log": "tegrastats",
  "tegrastats-orin.log": "tegrastats",
  "tegrastats-thor-jp7.log": "tegrastats",
  "usb-meter-iso.csv": "usb-csv",
  "usb-meter-va-ms.csv": "usb-csv",
  "usb-meter-w.csv": "usb-csv",
};

describe("detectPowerFormat", () => {
  it("names the format of every fixture from its first kilobytes", async () => {
    const names = readdirSync(fixture("."))
      .filter((n) => !n.endsWith(".md"))
      .sort();
    expect(names).toEqual(Object.keys(EXPECTED).sort());
    for (const name of names)
      expect([name, detectPowerFormat(await readPowerHead(fixture(name)))]).toEqual([name, EXPECTED[name]]);
  });

  it("returns null for text that is no power log, and for an empty text", () => {
    expect(detectPowerFormat("llama_perf_context_print: prompt eval time = 4245.68 ms / 8 tokens\n")).toBeNull();
    expect(detectPowerFormat("")).toBeNull();
    expect(detectPowerFormat("a,b,c\n1,2,3\n")).toBeNull();
  });

  it("ranks every format with a reason, best first", () => {
    const ranked = rankPowerFormats("time_s,power_w\n0,1\n");
    expect(ranked).toHaveLength(8);
    expect(ranked[0]).toMatchObject({ format: "usb-csv" });
    expect(ranked[0]!.reason).toMatch(/power/);
    expect(ranked[1]!.score).toBe(0);
  });

  it("reads nvidia-smi as nvidia-smi although its header would also pass as a generic power CSV", () => {
    const head = "index, timestamp, power.draw [W]\n0, 2024/01/01 00:00:00.000, 10 W\n";
    const ranked = rankPowerFormats(head);
    expect(ranked.find((g) => g.format === "usb-csv")!.score).toBeGreaterThan(0);
    expect(detectPowerFormat(head)).toBe("nvidia-smi");
  });
});
