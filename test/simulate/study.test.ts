import { describe, expect, it } from "vitest";
import { samplingStudyCsv, samplingStudyMarkdown } from "../../src/simulate/study-report.js";
import { ruleOfThumb, runSamplingStudy, studyCell, studyRates, type SamplingCell } from "../../src/simulate/study.js";

describe("the sampling study", () => {
  it("1 Hz tegrastats gets a 50 ms inference badly wrong, a 20 s one within 2 %", () => {
    const short = studyCell("tegrastats", 1, 0.05);
    const long = studyCell("tegrastats", 1, 20);
    expect(short.p95AbsErrPct).toBeGreaterThan(30);
    expect(short.biasPct).toBeLessThan(-10);
    expect(long.p95AbsErrPct).toBeLessThan(2);
  });

  it("error falls with faster sampling, for the same inferences", () => {
    const errs = [1, 5, 20, 100].map((hz) => studyCell("tegrastats", hz, 0.5).p95AbsErrPct);
    for (let i = 1; i < errs.length; i++) expect(errs[i]!).toBeLessThan(errs[i - 1]!);
  });

  it("never exceeds the bound the sensor model states", () => {
    const s = runSamplingStudy({ meters: ["pmic", "nvidia-smi", "rapl"], lengthsS: [0.1, 1, 5] });
    expect(s.cells).toHaveLength(
      3 * (studyRates("pmic").length + studyRates("nvidia-smi").length + studyRates("rapl").length),
    );
    for (const c of s.cells) expect(c.maxAbsErrPct).toBeLessThanOrEqual(c.boundPct);
  });

  it("is deterministic", () => {
    expect(studyCell("fnirsi", 100, 0.2)).toEqual(studyCell("fnirsi", 100, 0.2));
  });

  it("states the rule of thumb from the shortest length after which every longer one is within the threshold", () => {
    const cell = (inferenceS: number, p95AbsErrPct: number): SamplingCell => ({
      meter: "jtop",
      sampleHz: 1,
      inferenceS,
      inferences: 10,
      medianAbsErrPct: 0,
      p95AbsErrPct,
      maxAbsErrPct: 0,
      biasPct: 0,
      runTotalErrPct: 0,
      boundPct: 100,
    });
    const cells = [cell(0.1, 40), cell(1, 4), cell(2, 6), cell(5, 3), cell(10, 1)];
    expect(ruleOfThumb(cells, "jtop", 1, 5).shorterThanS).toBe(5);
    expect(ruleOfThumb(cells, "jtop", 1, 5).sentence).toBe(
      "jtop at 1 Hz: inferences shorter than 5 s are off by more than 5 % (95th percentile)",
    );
    expect(ruleOfThumb(cells, "jtop", 1, 50).shorterThanS).toBe(0);
    expect(ruleOfThumb(cells, "jtop", 1, 0.5).shorterThanS).toBeNull();
  });

  it("writes one CSV row per cell and a Markdown table with the rules", () => {
    const s = runSamplingStudy({ meters: ["usb-csv"], lengthsS: [0.2, 2] });
    const csv = samplingStudyCsv(s).trim().split("\n");
    expect(csv[0]).toBe(
      "meter,sample_hz,inference_s,inferences,median_abs_err_pct,p95_abs_err_pct,max_abs_err_pct,bias_pct,run_total_err_pct,bound_median_pct",
    );
    expect(csv).toHaveLength(1 + s.cells.length);
    const md = samplingStudyMarkdown(s);
    expect(md).toMatch(/usb-csv at 1 Hz: /);
    expect(md).toMatch(/^SIMULATED/m);
  });
});
