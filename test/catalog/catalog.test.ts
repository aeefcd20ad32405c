import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  bitsPerWeight,
  findDevice,
  findModel,
  findPowerMode,
  findTensorType,
  kvBytesPerToken,
  parameterCountFromArchitecture,
  PARAMETER_COUNT_TOLERANCE,
} from "../../src/catalog/index.js";
import {
  loadDeviceCatalog,
  loadModelCatalog,
  loadQuantCatalog,
  parseDeviceCatalog,
  parseDeviceSpecFile,
  parseModelCatalog,
  parseModelSpecFile,
} from "../../src/io/catalog/index.js";
import { DEVICE_IDS, MODEL_IDS } from "../../src/domain/ids.js";
import { SlmError } from "../../src/errors.js";
import { readCorpus } from "../../src/io/corpus.js";

const root = join(import.meta.dirname, "..", "..");
const devices = loadDeviceCatalog(root);
const models = loadModelCatalog(root);
const quants = loadQuantCatalog(root);
/** The study's models: the catalog entries with a paper profile (the others serve the community corpus). */
const paperModels = models.models.filter((m) => m.paperProfile !== null);

function thrown(fn: () => unknown): SlmError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SlmError) return e;
    throw e;
  }
  throw new Error("expected an error");
}

describe("model catalog", () => {
  it("holds exactly the study's four models under their canonical ids, as the entries with a paper profile", () => {
    expect(paperModels.map((m) => m.id).sort()).toEqual([...MODEL_IDS].sort());
  });

  it("cites where every entry's architecture comes from", () => {
    for (const m of models.models) expect(m.architectureSource?.length, m.id).toBeGreaterThan(20);
  });

  it.each([
    ["tinyllama-1.1b", 22],
    ["llama-3.2-1b", 32],
    ["gemma-2-2b", 104],
    ["phi-3-mini", 384],
  ])("KV cache of %s is %i KiB per token in F16", (id, kib) => {
    expect(kvBytesPerToken(findModel(models, id).architecture)).toBe(kib * 1024);
  });

  it.each([
    ["tinyllama-1.1b", 1.1, 1.1],
    ["llama-3.2-1b", 1.24, 1.236],
    ["gemma-2-2b", 2.0, 2.614],
    ["phi-3-mini", 3.8, 3.821],
  ])("%s keeps the paper's nominal %d B and the real %d B", (id, nominalB, realB) => {
    const m = findModel(models, id);
    expect(m.parameters.nominalB).toBe(nominalB);
    expect(m.parameters.count / 1e9).toBeCloseTo(realB, 3);
  });

  it("recomputes every stated parameter count from the architecture within 1%", () => {
    for (const m of models.models) {
      const computed = parameterCountFromArchitecture(m.architecture);
      expect(Math.abs(computed - m.parameters.count) / m.parameters.count).toBeLessThan(PARAMETER_COUNT_TOLERANCE);
    }
  });

  it("states the paper's training tokens (3T, 9T, 2T, 3.3T)", () => {
    expect(paperModels.map((m) => [m.id, m.trainingTokensT])).toEqual([
      ["tinyllama-1.1b", 3],
      ["llama-3.2-1b", 9],
      ["gemma-2-2b", 2],
      ["phi-3-mini", 3.3],
    ]);
  });

  it("keeps the paper profile's quantization as an explicit assumption (Ollama default tags)", () => {
    const q = Object.fromEntries(paperModels.map((m) => [m.id, m.paperProfile?.quant]));
    expect(q).toEqual({ "tinyllama-1.1b": "Q4_0", "llama-3.2-1b": "Q8_0", "gemma-2-2b": "Q4_0", "phi-3-mini": "Q4_0" });
    for (const m of paperModels) expect(m.paperProfile?.assumption.length).toBeGreaterThan(20);
  });

  it("ties the embeddings of Llama 3.2 and Gemma 2 only among the study's models", () => {
    expect(paperModels.filter((m) => m.architecture.tiedEmbeddings).map((m) => m.id)).toEqual([
      "llama-3.2-1b",
      "gemma-2-2b",
    ]);
  });

  it("rejects a parameter count that disagrees with the architecture, naming file, line and field", () => {
    const text = readFileSync(models.file, "utf8").replace("1100048384", "1300000000");
    const e = thrown(() => parseModelCatalog(text, "models.json"));
    expect(e.code).toBe("E_INPUT");
    expect(e.field).toBe("models[0].parameters.count");
    expect(e.line).toBe(text.split("\n").findIndex((l) => l.includes("1300000000")) + 1);
    expect(e.format()).toMatch(/models\.json:\d+: field "models\[0\]\.parameters\.count"/);
  });

  it("ships an example spec of a model outside the study (Llama 3.2 3B) that the loader accepts", () => {
    const file = join(root, "data", "catalog", "examples", "llama-3.2-3b.json");
    const m = parseModelSpecFile(readFileSync(file, "utf8"), file);
    expect(parameterCountFromArchitecture(m.architecture)).toBe(m.parameters.count);
    expect(kvBytesPerToken(m.architecture)).toBe(112 * 1024);
  });

  it("rejects heads that are not a multiple of the KV heads", () => {
    const text = readFileSync(models.file, "utf8").replace('"kvHeads": 4,', '"kvHeads": 5,');
    expect(thrown(() => parseModelCatalog(text, "m.json")).field).toBe("models[0].architecture.kvHeads");
  });
});

describe("device catalog", () => {
  it("holds the study's three boards first, then every other board of the community corpus", () => {
    expect(devices.devices.map((d) => d.id).slice(0, 3)).toEqual([...DEVICE_IDS]);
    // Both files: the modelled corpus and the published rows whose model no source describes yet.
    const corpus = ["corpus.csv", "unplaced.csv"].flatMap((f) => readCorpus(join(root, "data", "community", f)));
    const boards = new Set([...DEVICE_IDS, ...corpus.map((r) => r.board)]);
    expect(new Set(devices.devices.map((d) => d.id))).toEqual(boards);
  });

  it("carries every power mode with its own memory bandwidth", () => {
    const bw = (id: string) =>
      Object.fromEntries(findDevice(devices, id).powerModes.map((m) => [m.id, m.memoryBandwidthGBps]));
    expect(bw("raspberry-pi-5")).toEqual({ default: 17 });
    expect(bw("jetson-nano")).toEqual({ MAXN: 25.6, "5W": 25.6 });
    expect(bw("jetson-orin-nano")).toEqual({ "7W": 68, "15W": 68, "25W": 102, MAXN_SUPER: 102 });
  });

  it("tags the paper's mixed hardware-table figures with the mode they belong to", () => {
    const nano = findDevice(devices, "jetson-nano");
    const gpuClock = nano.paperHardwareTable?.figures.find((f) => f.field === "gpuMaxClockMHz");
    expect(gpuClock).toMatchObject({ value: 640, powerMode: "5W" });
    const orin = findDevice(devices, "jetson-orin-nano");
    expect(orin.paperHardwareTable?.figures.find((f) => f.field === "memoryBandwidthGBps")).toMatchObject({
      value: 102,
      powerMode: "MAXN_SUPER",
    });
  });

  it("has each tagged paper figure agree with the mode it is tagged with", () => {
    for (const d of devices.devices) {
      for (const fig of d.paperHardwareTable?.figures ?? []) {
        const mode = findPowerMode(d, fig.powerMode) as unknown as Record<string, unknown>;
        if (fig.field in mode && mode[fig.field] !== null)
          expect(mode[fig.field], `${d.id} ${fig.field}`).toBe(fig.value);
        if (fig.field === "gpuCores") expect(d.gpu?.cudaCores ?? 0).toBe(fig.value);
        if (fig.field === "memorySizeGB") expect(d.memory.sizeGB).toBe(fig.value);
      }
    }
  });

  it("assumes the paper ran the Orin Nano in MAXN SUPER and the Nano in MaxN", () => {
    expect(findDevice(devices, "jetson-orin-nano").paperPowerMode?.powerMode).toBe("MAXN_SUPER");
    expect(findDevice(devices, "jetson-nano").paperPowerMode?.powerMode).toBe("MAXN");
  });

  it("names file, line and field for a negative bandwidth", () => {
    const text = readFileSync(devices.file, "utf8").replace(
      '"memoryBandwidthGBps": 25.6,',
      '"memoryBandwidthGBps": -1,',
    );
    const e = thrown(() => parseDeviceCatalog(text, "devices.json"));
    expect(e.field).toBe("devices[1].powerModes[0].memoryBandwidthGBps");
    expect(e.line).toBe(text.split("\n").findIndex((l) => l.includes('"memoryBandwidthGBps": -1')) + 1);
    expect(e.exitCode).toBe(2);
  });

  it("reports every bad field of the file at once, each with its line", () => {
    const lines = readFileSync(devices.file, "utf8").split("\n");
    /** The first line holding `from` after the line holding `anchor`, edited; its 1-based number. */
    const edit = (anchor: string, from: string, to: string): number => {
      const start = lines.findIndex((l) => l.includes(anchor));
      const i = lines.findIndex((l, k) => k >= start && l.includes(from));
      lines[i] = lines[i]!.replace(from, to);
      return i + 1;
    };
    const a = edit('"id": "raspberry-pi-5"', '"Raspberry Pi 5"', '""');
    const b = edit('"id": "jetson-nano"', '"cores": 4', '"cores": 0');
    const c = edit('"id": "jetson-nano"', '"memoryBandwidthGBps": 25.6', '"memoryBandwidthGBps": "fast"');
    const d = edit('"id": "jetson-orin-nano"', '"cores": 6', '"cores": 6.5');
    const e = thrown(() => parseDeviceCatalog(lines.join("\n"), "devices.json"));
    const all = [e, ...e.issues].map((i) => [i.line, i.field, i.message]);
    expect(all).toEqual([
      [a, "devices[0].label", "expected a non-empty string (and 3 more problem(s) below)"],
      [b, "devices[1].cpu.cores", "expected a number ≥ 1"],
      [c, "devices[1].powerModes[0].memoryBandwidthGBps", "expected a finite number"],
      [d, "devices[2].cpu.cores", "expected an integer"],
    ]);
    expect(e.format()).toContain(`also line ${d}, field "devices[2].cpu.cores": expected an integer`);
  });

  it("checks the power modes against the device: duplicate ids and unknown default modes are reported together", () => {
    const text = readFileSync(devices.file, "utf8")
      .replace('"id": "5W",', '"id": "MAXN",')
      .replace('"defaultPowerMode": "MAXN_SUPER"', '"defaultPowerMode": "SUPER"');
    const e = thrown(() => parseDeviceCatalog(text, "devices.json"));
    expect([e, ...e.issues].map((i) => i.field)).toEqual([
      "devices[1].powerModes[1].id",
      "devices[1].paperHardwareTable.figures[5].powerMode",
      "devices[2].defaultPowerMode",
    ]);
    expect(e.message).toMatch(/^duplicate power mode "MAXN"/);
    expect(e.issues.map((i) => i.message)).toEqual([
      "expected one of MAXN",
      "expected one of 7W, 15W, 25W, MAXN_SUPER",
    ]);
  });

  it('reads a --device-spec file wrapped as {"device": {...}} with the wrapper in the field path', () => {
    const entry = JSON.parse(readFileSync(devices.file, "utf8")).devices[0];
    const spec = parseDeviceSpecFile(JSON.stringify({ device: entry }), "spec.json");
    expect(spec).toEqual(findDevice(devices, "raspberry-pi-5"));
    const e = thrown(() => parseDeviceSpecFile(JSON.stringify({ device: { ...entry, id: "My Board" } }), "s.json"));
    expect([e.field, e.hint]).toEqual(["device.id", "use a lowercase slug such as my-board"]);
  });

  it("refuses more cores online than the CPU has", () => {
    const text = readFileSync(devices.file, "utf8").replace('"cpuCoresOnline": 4,', '"cpuCoresOnline": 8,');
    expect(thrown(() => parseDeviceCatalog(text, "d.json")).message).toMatch(/more cores online/);
  });

  it("reports invalid JSON with its line", () => {
    const e = thrown(() => parseDeviceSpecFile('{\n  "id": "x",\n  "label": oops\n}', "spec.json"));
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/invalid JSON/);
  });

  it("refuses a key given twice in one object, with its line", () => {
    const e = thrown(() => parseDeviceSpecFile('{\n  "id": "x",\n  "id": "y"\n}', "spec.json"));
    expect([e.line, e.message]).toEqual([3, 'invalid JSON: duplicate key "id"']);
  });

  it("refuses an unknown device with the list of known ones", () => {
    expect(thrown(() => findDevice(devices, "pi-4")).hint).toMatch(/raspberry-pi-5/);
  });
});

describe("quantization catalog", () => {
  it.each([
    ["F16", 16],
    ["Q4_0", 4.5],
    ["Q4_1", 5],
    ["Q5_0", 5.5],
    ["Q8_0", 8.5],
    ["Q2_K", 2.625],
    ["Q3_K", 3.4375],
    ["Q4_K", 4.5],
    ["Q5_K", 5.5],
    ["Q6_K", 6.5625],
  ])("%s stores %d bits per weight", (name, bpw) => {
    expect(bitsPerWeight(findTensorType(quants, name))).toBe(bpw);
  });
});
