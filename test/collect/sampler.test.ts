import { describe, expect, it } from "vitest";
import { pmicBlock, powerCsvLine, raplLogHeader, raplLogLine, stampedLines } from "../../src/collect/sampler.js";
import { chooseSensor, RateTally, sensorNotice } from "../../src/collect/collect.js";
import type { PowerSensor, SensorDetection } from "../../src/collect/sensors.js";

describe("sampler log lines (pure)", () => {
  it("stamps every complete line of streamed output and keeps the unfinished rest for the next chunk", () => {
    const split = stampedLines();
    expect(split("RAM 1/2MB POM_5V_IN 900/9", 10)).toEqual([]);
    expect(split("00\n\nRAM 2/2MB", 11.5)).toEqual(["11.500 RAM 1/2MB POM_5V_IN 900/900\n"]);
    expect(split(" POM_5V_IN 1000/1000\n", 12)).toEqual(["12.000 RAM 2/2MB POM_5V_IN 1000/1000\n"]);
  });

  it("writes RAPL and power CSV lines, and a PMIC block only when it holds readings", () => {
    expect(raplLogHeader("package-0", "/x/energy_uj", "262143")).toBe(
      "# RAPL zone package-0: /x/energy_uj\n# max_energy_range_uj=262143\ntime_s,energy_uj\n",
    );
    expect(raplLogHeader("psys", "/y", null)).toBe("# RAPL zone psys: /y\ntime_s,energy_uj\n");
    expect(raplLogLine(1.5, "42")).toBe("1.500000,42\n");
    expect(powerCsvLine(2, 6)).toBe("2.000000,6.0000\n");
    expect(pmicBlock("VDD_CORE_A current(0)=1.0A", 3)).toBe("3.000\nVDD_CORE_A current(0)=1.0A\n");
    expect(pmicBlock("error", 3)).toBeNull();
  });
});

describe("the run's content (pure)", () => {
  const sensor: PowerSensor = {
    kind: "rapl",
    format: "rapl",
    scope: "CPU package(s) (RAPL), not the wall",
    channels: [],
  };
  const detection: SensorDetection = {
    sensors: [sensor],
    checks: [
      { kind: "rapl", available: true, reason: "RAPL package-0 readable" },
      { kind: "pmic", available: false, reason: "no vcgencmd command" },
    ],
  };

  it("chooses a sensor, and says in domain words (no flags) when the one asked for is not usable", () => {
    expect(chooseSensor("auto", detection)).toBe(sensor);
    expect(chooseSensor("none", detection)).toBeNull();
    expect(() => chooseSensor("pmic", detection)).toThrow(/^sensor pmic is not usable here: no vcgencmd command$/);
    expect(() => chooseSensor("wattmeter" as never, detection)).toThrow(/unknown sensor "wattmeter"/);
    expect(sensorNotice("none", null, detection)).toMatch(/not sampled \(sensor: none\)/);
    expect(sensorNotice("none", null, detection)).not.toMatch(/--/);
  });

  it("tallies rates per inference; inferences without decode steps leave the decode mean alone", () => {
    const tally = new RateTally();
    const t = { startS: 0, endS: 1, promptTokens: 100, genTokens: 10, prefillMs: 500, decodeMs: 1000 };
    tally.add(t);
    tally.add({ ...t, promptTokens: 50, genTokens: 0, decodeMs: 0 });
    expect(tally.recorded).toBe(2);
    expect(tally.meanPrefillTokensPerS()).toBe(150);
    expect(tally.meanDecodeTokensPerS()).toBe(10);
    expect(tally.meanPromptTokens()).toBe(75);
    expect(tally.meanGenTokens()).toBe(5);
    expect(new RateTally().meanDecodeTokensPerS()).toBeNull();
  });
});
