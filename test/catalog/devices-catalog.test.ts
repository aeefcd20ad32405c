import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { citationProblems, fieldAt, requiredCitationPaths, UNSOURCED } from "../../src/catalog/citations.js";
import { hardwareClassOf } from "../../src/catalog/classes.js";
import { findDevice } from "../../src/catalog/devices.js";
import { boardPeaks, cpuFp32Gflops } from "../../src/catalog/peaks.js";
import { loadDeviceCatalog, parseDeviceSpecFile, type DeviceSpec } from "../../src/io/catalog/devices.js";
import { hardwareOf } from "../../src/model/hardware.js";
import { SlmError } from "../../src/errors.js";

const root = join(import.meta.dirname, "..", "..");
const devices = loadDeviceCatalog(root);
const dev = (id: string) => findDevice(devices, id);

describe("device catalog citations", () => {
  it.each(devices.devices.map((d) => [d.id, d] as const))(
    "%s cites every required field, or says why it is null",
    (_id, d) => {
      expect(citationProblems(d)).toEqual([]);
    },
  );

  it("asks for GPU architecture and peaks only where a GPU exists, and per power mode for clocks and bandwidth", () => {
    const pi = requiredCitationPaths(dev("raspberry-pi-5"));
    expect(pi).toContain("powerModes.default.memoryBandwidthGBps");
    expect(pi.some((p) => p.startsWith("gpu."))).toBe(false);
    const orin = requiredCitationPaths(dev("jetson-orin-nano"));
    for (const m of ["7W", "15W", "25W", "MAXN_SUPER"]) expect(orin).toContain(`powerModes.${m}.cpuMaxClockGHz`);
    expect(orin).toContain("gpu.peaks.fp16Tflops");
  });

  it("finds a mode's field by mode id, and reports a missing citation and an unexplained null", () => {
    const d = structuredClone(dev("jetson-nano"));
    expect(fieldAt(d, "powerModes.5W.cpuMaxClockGHz")).toBe(0.918);
    delete d.citations["memory.type"];
    d.citations["gpu.peaks.int8Tops"] = "NVIDIA datasheet";
    d.citations["memory.colour"] = "x";
    expect(citationProblems(d).map((p) => p.path)).toEqual(["memory.type", "gpu.peaks.int8Tops"]);
    d.citations["nosuch.field"] = "x";
    expect(citationProblems(d).map((p) => p.path)).toContain("nosuch.field");
    expect(d.citations["powerModes.MAXN.maxPowerW"]?.startsWith(UNSOURCED)).toBe(true);
  });
});

describe("device catalog peaks", () => {
  it("has every mode's bandwidth equal data rate × bus width / 8 within 3 % where both are given", () => {
    for (const d of devices.devices) {
      if (d.memory.busWidthBits === null) continue;
      for (const m of d.powerModes) {
        const derived = (m.memoryDataRateMTs * d.memory.busWidthBits) / 8 / 1000;
        expect(Math.abs(derived / m.memoryBandwidthGBps - 1), `${d.id} ${m.id}`).toBeLessThan(0.03);
      }
    }
  });

  it("sums a hybrid CPU's FP32 peak over its core types (Core Ultra 7 155H: 6 P + 8 E + 2 LP-E)", () => {
    const p = boardPeaks(dev("x86-core-ultra-7-155h"), "cpu");
    expect(p.fp32Gflops).toBeCloseTo(6 * 4.8 * 32 + 8 * 3.8 * 16 + 2 * 2.5 * 16, 6);
    expect(p.matmulKind).toBe("fp32");
    expect(p.notes.join(" ")).toMatch(/hybrid/);
  });

  it("keeps the cores a mode takes offline out of the sum (TX2 Max-Q: the 4 A57 only, at 1.2 GHz)", () => {
    const tx2 = dev("jetson-tx2");
    expect(
      cpuFp32Gflops(
        tx2,
        tx2.powerModes.find((m) => m.id === "MAXQ")!,
      ),
    ).toBeCloseTo(4 * 1.2 * 8, 9);
  });

  it("scales printed GPU peaks to the mode's clock and uses tensor-core FP16 for matmul on Ampere", () => {
    const orin = dev("jetson-orin-nano");
    const s = boardPeaks(orin, "gpu", "MAXN_SUPER");
    expect(s.matmulKind).toBe("fp16-tensor");
    expect(s.matmulGflops).toBeCloseTo((10_000 * 1020) / 625, 6);
    expect(s.fp32Gflops).toBeCloseTo(1024 * 2 * 1.02, 9);
    expect(boardPeaks(orin, "gpu", "15W").matmulGflops).toBeCloseTo(10_000, 6);
    expect(s.bandwidthGBps).toBe(102);
  });

  it("counts only the CUDA cores a mode powers (AGX Orin 15 W gates 5 of 8 TPCs: 768 of 2048 cores)", () => {
    const agx = dev("jetson-agx-orin");
    const p = boardPeaks(agx, "gpu", "15W");
    expect(p.fp32Gflops).toBeCloseTo(768 * 2 * 0.408, 9);
    expect(p.matmulGflops).toBeCloseTo(((42_500 * 408) / 1300) * (768 / 2048), 6);
    expect(boardPeaks(agx, "gpu", "MAXN").fp32Gflops).toBeCloseTo(2048 * 2 * 1.3, 9);
  });

  it("gives the Nano's Maxwell GPU its printed FP16 rate (no tensor cores) and its CPU the FP32 peak", () => {
    expect(boardPeaks(dev("jetson-nano"), "gpu")).toMatchObject({ matmulKind: "fp16", matmulGflops: 472 });
    expect(boardPeaks(dev("jetson-nano"), "cpu")).toMatchObject({ matmulKind: "fp32", fp32Gflops: 4 * 1.43 * 8 });
  });

  it("expresses an Apple GPU by its printed FP32 rate, without CUDA cores, and hardwareOf uses it", () => {
    const m2 = dev("apple-m2-ultra");
    expect(m2.gpu?.cudaCores).toBeNull();
    expect(boardPeaks(m2, "gpu")).toMatchObject({ fp32Gflops: 27_200, matmulKind: "fp32", bandwidthGBps: 800 });
    expect(hardwareOf(m2, "gpu").peakComputeGflops).toBe(27_200);
  });

  it("rates the M3 Max and M4 GPUs by their cited FP32 figures (huggingface.js hardware table)", () => {
    expect(boardPeaks(dev("apple-m3-max"), "gpu")).toMatchObject({ fp32Gflops: 14_200, matmulKind: "fp32" });
    expect(boardPeaks(dev("apple-m4"), "gpu")).toMatchObject({ fp32Gflops: 4_600, bandwidthGBps: 120 });
  });

  /** The M4 entry as it stood before a source for its GPU rate was found: a GPU, no printed rate. */
  function unratedM4(): DeviceSpec {
    const m4 = dev("apple-m4");
    if (m4.gpu?.peaks == null) throw new Error("apple-m4 has a GPU entry with peaks");
    return { ...m4, gpu: { ...m4.gpu, peaks: { ...m4.gpu.peaks, fp32Tflops: null, fp16Tflops: null } } };
  }

  it("refuses GPU peaks where no source prints a GPU rate (Apple M4 without its rate), naming the field", () => {
    let e: unknown;
    try {
      boardPeaks(unratedM4(), "gpu");
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(SlmError);
    expect((e as SlmError).field).toBe("gpu");
  });

  it("says an unrated GPU has no printed compute rate, not that the board has no GPU (Apple M4 without its rate)", () => {
    expect(() => hardwareOf(unratedM4(), "gpu")).toThrow(/has a GPU but no compute rate/);
    expect(() => hardwareOf(dev("raspberry-pi-5"), "gpu")).toThrow(/has no GPU usable/);
  });

  it("leaves hardwareOf's peaks of the paper's boards as they were (cores × clock × FLOPs/cycle)", () => {
    expect(hardwareOf(dev("raspberry-pi-5"), "cpu").peakComputeGflops).toBeCloseTo(4 * 2.4 * 16, 9);
    expect(hardwareOf(dev("jetson-orin-nano"), "gpu", "MAXN_SUPER").peakComputeGflops).toBeCloseTo(2088.96, 9);
    expect(hardwareOf(dev("jetson-nano"), "cpu").peakComputeGflops).toBeCloseTo(45.76, 9);
  });

  it("gives every board a bandwidth and positive peaks for each backend it has", () => {
    for (const d of devices.devices) {
      for (const m of d.powerModes) {
        const p = boardPeaks(d, "cpu", m.id);
        expect(p.bandwidthGBps, d.id).toBeGreaterThan(0);
        expect(p.matmulGflops, d.id).toBeGreaterThanOrEqual(p.fp32Gflops);
      }
    }
  });
});

describe("hardware classes", () => {
  it.each([
    ["raspberry-pi-5", "cpu", "cpu:cortex-a76", "cpu:arm"],
    ["jetson-nano", "cpu", "cpu:cortex-a57", "cpu:arm"],
    ["jetson-nano", "gpu", "gpu:maxwell", "gpu:nvidia"],
    ["jetson-orin-nano", "gpu", "gpu:ampere", "gpu:nvidia"],
    ["jetson-tx2", "gpu", "gpu:pascal", "gpu:nvidia"],
    ["apple-m2-ultra", "gpu", "gpu:apple-m2", "gpu:apple"],
    ["apple-m1", "cpu", "cpu:apple-firestorm", "cpu:apple"],
    ["x86-core-i7-13700t", "cpu", "cpu:x86-raptor-cove", "cpu:x86"],
    ["x86-intel-n100", "cpu", "cpu:x86-gracemont", "cpu:x86"],
  ] as const)("%s %s is %s in %s", (id, backend, cls, family) => {
    expect(hardwareClassOf(dev(id), backend)).toMatchObject({ id: cls, family });
  });
});

describe("device spec files", () => {
  it("lists every missing field of a spec file in one error", () => {
    const text = JSON.stringify(
      { device: { id: "half-board", label: "Half", cpu: { core: "Cortex-A55" }, powerModes: [{ id: "x" }] } },
      null,
      2,
    );
    let e: SlmError | undefined;
    try {
      parseDeviceSpecFile(text, "half.json");
    } catch (x) {
      e = x as SlmError;
    }
    const fields = [e!, ...e!.issues].map((i) => i.field);
    for (const f of [
      "device.memory",
      "device.cpu.cores",
      "device.cpu.fp32FlopsPerCyclePerCore",
      "device.cpu.int8DotProduct",
      "device.defaultPowerMode",
      "device.powerModes[0].label",
      "device.powerModes[0].cpuMaxClockGHz",
      "device.powerModes[0].memoryBandwidthGBps",
      "device.powerModes[0].specPowerW",
    ]) {
      expect(fields).toContain(f);
    }
  });

  it("reads the example device spec of a board outside the catalog, citations included", () => {
    const file = join(root, "data", "catalog", "examples", "rock-5b.json");
    const d = parseDeviceSpecFile(readFileSync(file, "utf8"), file);
    expect(devices.devices.some((x) => x.id === d.id)).toBe(false);
    expect(citationProblems(d)).toEqual([]);
  });
});
