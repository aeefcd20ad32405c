/**
 * The sampling study as text: its table (CSV, Markdown) and the README's conclusion. Pure; the
 * pipeline (pipeline/sampling-study.ts) writes them.
 */
import { formatCsv } from "../io/csv.js";
import { METER_IDS } from "./meters/types.js";
import { studyRates, STUDY_LENGTHS_S, type SamplingStudy } from "./study.js";

export const SAMPLING_COLUMNS = [
  "meter",
  "sample_hz",
  "inference_s",
  "inferences",
  "median_abs_err_pct",
  "p95_abs_err_pct",
  "max_abs_err_pct",
  "bias_pct",
  "run_total_err_pct",
  "bound_median_pct",
] as const;

export function samplingStudyCsv(s: SamplingStudy): string {
  return formatCsv(
    SAMPLING_COLUMNS,
    s.cells.map((c) => ({
      meter: c.meter,
      sample_hz: c.sampleHz,
      inference_s: c.inferenceS,
      inferences: c.inferences,
      median_abs_err_pct: c.medianAbsErrPct,
      p95_abs_err_pct: c.p95AbsErrPct,
      max_abs_err_pct: c.maxAbsErrPct,
      bias_pct: c.biasPct,
      run_total_err_pct: c.runTotalErrPct,
      bound_median_pct: c.boundPct,
    })),
  );
}

const fmtPct = (x: number): string => (x >= 10 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(2));

/** The rules of thumb, then per meter a rate × length grid of the 95th-percentile error. */
export function samplingStudyMarkdown(s: SamplingStudy): string {
  const out: string[] = [
    "# Sampling study: energy error vs sampling rate and inference length",
    "",
    "SIMULATED (`slm-energy sampling-study`): how far a measured per-inference energy is from the truth, per meter.",
    "",
    ...s.assumptions.map((a) => `- ${a}`),
    "",
    "## Rules of thumb (95th percentile of |error| of single inferences)",
    "",
  ];
  for (const r of s.rules.filter((r) => r.sampleHz === 1 && r.thresholdPct === 5)) out.push(`- ${r.sentence}`);
  out.push(
    "",
    "| meter | rate (Hz) | > 1 % below (s) | > 5 % below (s) | > 10 % below (s) |",
    "| --- | ---: | ---: | ---: | ---: |",
  );
  for (const m of METER_IDS) {
    for (const hz of studyRates(m)) {
      const cell = (th: number) => {
        const r = s.rules.find((x) => x.meter === m && x.sampleHz === hz && x.thresholdPct === th);
        if (!r) return "";
        return r.shorterThanS === null
          ? `> ${STUDY_LENGTHS_S[STUDY_LENGTHS_S.length - 1]}`
          : r.shorterThanS === 0
            ? "—"
            : String(r.shorterThanS);
      };
      if (s.rules.some((x) => x.meter === m && x.sampleHz === hz))
        out.push(`| ${m} | ${hz} | ${cell(1)} | ${cell(5)} | ${cell(10)} |`);
    }
  }
  out.push(
    "",
    '"> 5 % below 2": inferences shorter than 2 s are off by more than 5 %; "—": even the shortest studied ' +
      "are within it.",
    "",
  );
  for (const m of METER_IDS) {
    const cells = s.cells.filter((c) => c.meter === m);
    if (cells.length === 0) continue;
    const lengths = [...new Set(cells.map((c) => c.inferenceS))].sort((a, b) => a - b);
    out.push(
      `## ${m}: 95th-percentile |error| (%) by rate and inference length (bias in the run total in brackets)`,
      "",
    );
    out.push(
      `| rate (Hz) | ${lengths.map((l) => `${l} s`).join(" | ")} |`,
      `| ---: | ${lengths.map(() => "---:").join(" | ")} |`,
    );
    for (const hz of [...new Set(cells.map((c) => c.sampleHz))].sort((a, b) => a - b)) {
      const row = lengths.map((l) => {
        const c = cells.find((x) => x.sampleHz === hz && x.inferenceS === l);
        return c
          ? `${fmtPct(c.p95AbsErrPct)} (${c.runTotalErrPct >= 0 ? "+" : "−"}${fmtPct(Math.abs(c.runTotalErrPct))})`
          : "";
      });
      out.push(`| ${hz} | ${row.join(" | ")} |`);
    }
    out.push("");
  }
  return out.join("\n");
}

/**
 * The README's sampling-study conclusion, generated from the study: the 1 Hz rule of thumb per
 * meter, what a 50 ms inference looks like at 1 Hz, and the rate each meter needs for 1 s
 * inferences to be within 5 %.
 */
export function samplingFindingsMarkdown(s: SamplingStudy): string {
  const lines: string[] = [];
  const at1 = s.rules.filter((r) => r.sampleHz === 1 && r.thresholdPct === 5);
  lines.push(
    `- **At 1 Hz** (95th percentile of single-inference error): ${at1.map((r) => r.sentence.replace(/ \(95th percentile\)$/, "")).join("; ")}.`,
  );
  const shortest = Math.min(...s.cells.map((c) => c.inferenceS));
  const short = s.cells.filter((c) => c.sampleHz === 1 && c.inferenceS === shortest);
  if (short.length) {
    const worst = short.reduce((a, b) => (b.p95AbsErrPct > a.p95AbsErrPct ? b : a));
    lines.push(
      `- **A ${shortest * 1000} ms inference at 1 Hz** is off by up to ${worst.p95AbsErrPct.toFixed(0)} % ` +
        `(${worst.meter}, 95th percentile; mean bias ${worst.biasPct.toFixed(0)} %). ` +
        "The bias does not average out over a run: divide a whole run's energy by its inferences instead of " +
        "summing per-inference windows.",
    );
  }
  const need: string[] = [];
  for (const m of METER_IDS) {
    const ok = s.rules
      .filter((r) => r.meter === m && r.thresholdPct === 5 && r.shorterThanS !== null && r.shorterThanS <= 1)
      .sort((a, b) => a.sampleHz - b.sampleHz)[0];
    need.push(ok ? `${m} ${ok.sampleHz} Hz` : `${m} not within the rates studied`);
  }
  lines.push(`- **Rate needed for 1 s inferences within 5 %**: ${need.join(", ")}.`);
  lines.push(
    "- Simulated (board idling at 3 W, 9 W while running); full table in " +
      "[`figures/tables/sampling-study.md`](figures/tables/sampling-study.md), figure " +
      "`figures/sampling-study.svg`.",
  );
  return lines.join("\n") + "\n";
}
