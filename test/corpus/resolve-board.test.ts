import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { resolveCorpusBoard } from "../../src/corpus/resolve-board.js";
import { loadDeviceCatalog } from "../../src/io/catalog/devices.js";
import { readCorpus, type CorpusRow } from "../../src/io/corpus.js";
import { hardwareOf } from "../../src/model/hardware.js";
import { SlmError } from "../../src/errors.js";

const root = join(import.meta.dirname, "..", "..");
const devices = loadDeviceCatalog(root);
const corpus = readCorpus(join(root, "data", "community", "corpus.csv"));
const row = (over: Partial<CorpusRow>): CorpusRow => ({ ...corpus[0]!, ...over });

function thrown(fn: () => unknown): SlmError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SlmError) return e;
    throw e;
  }
  throw new Error("expected an error");
}

describe("resolveCorpusBoard", () => {
  it("resolves every corpus row's board, power mode and backend in the catalog", () => {
    for (const r of corpus) {
      const b = resolveCorpusBoard(r, devices);
      expect(b.device.id).toBe(r.board);
      expect(b.device.powerModes.map((m) => m.id)).toContain(b.powerMode);
      expect(b.backend).toBe(r.backend === "cpu" ? "cpu" : "gpu");
    }
  });

  it("gives every corpus row a platform the model can build (the M3 Max and M4 GPUs now rated too)", () => {
    const unrated = new Set<string>();
    for (const r of corpus) {
      const b = resolveCorpusBoard(r, devices);
      try {
        hardwareOf(b.device, b.backend, b.powerMode);
      } catch {
        unrated.add(`${b.device.id}/${b.backend}`);
      }
    }
    expect([...unrated].sort()).toEqual([]);
  });

  it("keeps a printed mode (any spelling) and says a blank one is the board's default", () => {
    const printed = resolveCorpusBoard(
      row({ board: "jetson-orin-nx", powerMode: "MAXN SUPER", backend: "cuda" }),
      devices,
    );
    expect(printed).toMatchObject({ powerMode: "MAXN_SUPER", powerModeSource: "printed", backend: "gpu" });
    const blank = resolveCorpusBoard(row({ board: "jetson-tx2", powerMode: null, backend: "cuda" }), devices);
    expect(blank).toMatchObject({ powerMode: "MAXN", powerModeSource: "board default" });
    expect(blank.powerModeNote).toMatch(/default mode MAXN/);
    const agx = resolveCorpusBoard(row({ board: "jetson-agx-orin", powerMode: null, backend: "cuda" }), devices);
    expect(agx).toMatchObject({ powerMode: "MAXN", powerModeSource: "board default" });
    expect(agx.powerModeNote).toMatch(/ASSUMED/);
  });

  it("resolves a blank mode on the original Orin Nano to its 15 W mode, saying why", () => {
    const b = resolveCorpusBoard(row({ board: "jetson-orin-nano", powerMode: null, backend: "cuda" }), devices);
    expect(b).toMatchObject({ powerMode: "15W", powerModeSource: "board default" });
    expect(b.powerModeNote).toMatch(/original developer kit/);
  });

  it("maps metal to the gpu backend", () => {
    expect(resolveCorpusBoard(row({ board: "apple-m2-ultra", backend: "metal" }), devices).backend).toBe("gpu");
  });

  it("names the corpus line and field of an unknown board, mode or GPU backend", () => {
    const at = { file: "corpus.csv", line: 42 };
    const board = thrown(() => resolveCorpusBoard(row({ board: "no-such-board" }), devices, at));
    expect(board).toMatchObject({ code: "E_INPUT", file: "corpus.csv", line: 42, field: "board" });
    const mode = thrown(() => resolveCorpusBoard(row({ board: "jetson-nano", powerMode: "TURBO" }), devices, at));
    expect(mode).toMatchObject({ line: 42, field: "power_mode" });
    expect(mode.hint).toMatch(/MAXN, 5W/);
    const gpu = thrown(() => resolveCorpusBoard(row({ board: "raspberry-pi-5", backend: "vulkan" }), devices, at));
    expect(gpu).toMatchObject({ line: 42, field: "backend" });
  });
});
