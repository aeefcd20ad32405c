import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/io/csv.js";
import { loadPaper } from "../../src/io/paper.js";
import { findCell } from "../../src/paper/cells.js";
import { ROOT, SLIDES, haveSlides } from "../helpers.js";

/**
 * Every transcribed cell is checked against the printed line it came from: each CSV row carries
 * the printed text of its row, and the numbers in that text, in print order, must be exactly the
 * row's cells in column order. When the slide text is available (../shared), the printed text
 * must also be the slide's line verbatim.
 */
const TABLES: { file: string; firstValueColumn: number; labelTokens: number }[] = [
  { file: "consolidated.csv", firstValueColumn: 5, labelTokens: 2 },
  { file: "throughput.csv", firstValueColumn: 5, labelTokens: 2 },
  { file: "normalized.csv", firstValueColumn: 3, labelTokens: 1 },
];

describe("the transcription of the paper's tables", () => {
  for (const t of TABLES) {
    const text = readFileSync(join(ROOT, "data/paper", t.file), "utf8");
    const { header, records } = parseCsv(text, t.file);
    const valueColumns = header.slice(t.firstValueColumn, header.indexOf("printed_text"));

    it(`${t.file}: every cell is the printed number at its position in the printed row`, () => {
      expect(records.length).toBeGreaterThan(0);
      for (const r of records) {
        const printed = r.values.printed_text!.split("\t").filter((x) => x !== "");
        const numbers = printed.slice(printed.length - valueColumns.length);
        const labels = printed.slice(0, printed.length - valueColumns.length);
        expect(numbers, `${t.file}:${r.line}`).toEqual(valueColumns.map((c) => r.values[c]));
        // What precedes the numbers is the row's labels (model name, and the device on the
        // row where the print centres it), never a number that went missing.
        expect(labels.length, `${t.file}:${r.line}`).toBeGreaterThanOrEqual(t.labelTokens - 1);
        expect(labels.length, `${t.file}:${r.line}`).toBeLessThanOrEqual(t.labelTokens);
        for (const l of labels) expect(Number.isNaN(Number(l)), `${t.file}:${r.line} label ${l}`).toBe(true);
      }
    });

    it.skipIf(!haveSlides)(`${t.file}: the printed text is the slide text's line, verbatim`, () => {
      const slides = readFileSync(SLIDES, "utf8").split("\n");
      for (const r of records) {
        const line = slides[Number(r.values.source_line) - 1]!.replace(/\t+$/, "");
        expect(line, `${t.file}:${r.line}`).toBe(r.values.printed_text);
      }
    });
  }

  it.skipIf(!haveSlides)("hardware, models and highlights: the printed text is on the stated slide line", () => {
    const slides = readFileSync(SLIDES, "utf8").split("\n");
    for (const f of ["hardware.csv", "models.csv", "highlights.csv"]) {
      const { records } = parseCsv(readFileSync(join(ROOT, "data/paper", f), "utf8"), f);
      for (const r of records) {
        expect(slides[Number(r.values.source_line) - 1], `${f}:${r.line}`).toBe(r.values.printed_text);
        if (r.values.printed)
          expect(r.values.printed_text).toContain(r.values.printed.replace(/ \* 10\^\{?(\d+)\}?/, " * 10^"));
      }
    }
  });

  it("device groups follow the print: four rows per platform, in the paper's order", () => {
    const paper = loadPaper(ROOT);
    const rows = paper.cells.filter(
      (c) => c.table === "consolidated" && c.metric === "latency_s" && c.benchmark === "mmlu",
    );
    expect(rows.map((c) => `${c.device}/${c.backend}`)).toEqual([
      ...Array(4).fill("raspberry-pi-5/cpu"),
      ...Array(4).fill("jetson-nano/cpu"),
      ...Array(4).fill("jetson-orin-nano/cpu"),
      ...Array(4).fill("jetson-orin-nano/gpu"),
    ]);
  });

  it("holds 368 published cells: 192 consolidated, 144 throughput, 32 normalized", () => {
    const paper = loadPaper(ROOT);
    const count = (t: string): number => paper.cells.filter((c) => c.table === t).length;
    expect([count("consolidated"), count("throughput"), count("normalized")]).toEqual([192, 144, 32]);
    expect(paper.hardware).toHaveLength(3);
    expect(paper.models).toHaveLength(4);
  });

  it("pins the cells the paper's text quotes: Phi-3 mini on the Jetson Nano, MMLU", () => {
    const paper = loadPaper(ROOT);
    const key = { device: "jetson-nano", backend: "cpu", model: "phi-3-mini", benchmark: "mmlu" } as const;
    expect(findCell(paper.cells, { ...key, metric: "accuracy_pct" }).printed).toBe("64.8");
    expect(findCell(paper.cells, { ...key, metric: "energy_wh" }).printed).toBe("274.62");
    // "~33x faster than Jetson Nano CPU (19.2s)": Llama 3.2 MMLU latency on the Jetson Nano.
    expect(
      findCell(paper.cells, {
        device: "jetson-nano",
        backend: "cpu",
        model: "llama-3.2-1b",
        benchmark: "mmlu",
        metric: "latency_s",
      }).printed,
    ).toBe("19.20");
    // "0.00171 Wh" per inference: 1.71 Wh over MMLU on the Orin Nano GPU.
    expect(
      findCell(paper.cells, {
        device: "jetson-orin-nano",
        backend: "gpu",
        model: "llama-3.2-1b",
        benchmark: "mmlu",
        metric: "energy_wh",
      }).printed,
    ).toBe("1.71");
  });
});
