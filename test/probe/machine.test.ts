import { describe, expect, it } from "vitest";
import { describeMachine } from "../../src/probe/machine.js";

const os = {
  hostname: "box",
  platform: "linux",
  arch: "x64",
  cpuModels: [" AMD EPYC ", "AMD EPYC"],
  totalMemoryBytes: 8 * 2 ** 30,
};

describe("describeMachine (what /proc and /sys say, interpreted)", () => {
  it("reads flags, the clock and the last-level cache", () => {
    const m = describeMachine(
      {
        cpuinfo: "processor\t: 0\ncpu MHz\t\t: 2596.122\nflags\t\t: fpu avx avx2 fma hypervisor avx512_vnni\n",
        cpuMaxFreqKhz: "3500000\n",
        caches: [
          { level: "1", type: "Data", size: "32K" },
          { level: "1", type: "Instruction", size: "32K" },
          { level: "2", type: "Unified", size: "1024K" },
          { level: "3", type: "Unified", size: "32M" },
        ],
      },
      os,
    );
    expect(m.cpuModel).toBe("AMD EPYC");
    expect(m.logicalCpus).toBe(2);
    expect(m.features).toEqual(["avx", "avx2", "fma", "avx512_vnni"]);
    expect(m.virtualized).toBe(true);
    expect([m.clockGHz, m.clockSource]).toEqual([3.5, "cpufreq max"]);
    expect([m.llcBytes, m.llcLevel]).toEqual([32 * 2 ** 20, 3]);
  });

  it("falls back to the current clock, and to nulls where nothing is exposed", () => {
    const vm = describeMachine({ cpuinfo: "cpu MHz : 2000.0\n", cpuMaxFreqKhz: null, caches: [] }, os);
    expect([vm.clockGHz, vm.clockSource, vm.llcBytes]).toEqual([2, "cpuinfo current", null]);
    const bare = describeMachine({ cpuinfo: null, cpuMaxFreqKhz: null, caches: [] }, os);
    expect([bare.clockGHz, bare.clockSource, bare.features, bare.virtualized]).toEqual([null, null, [], false]);
  });
});
