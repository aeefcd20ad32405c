import { loadPaper } from "../../src/io/paper.js";
import { parsePrinted } from "../../src/paper/printed-number.js";
import type { PaperData } from "../../src/paper/types.js";

let cached: PaperData | undefined;
/** The bundled transcription of the paper (read once per test file). */
export function paper(): PaperData {
  cached ??= loadPaper(process.cwd());
  return cached;
}

/** A copy of the paper with one consolidated cell reprinted: a counterfactual to flip a claim. */
export function reprinted(
  p: PaperData,
  where: { device: string; backend: string; model: string; benchmark: string; metric: string },
  printed: string,
): PaperData {
  let hit = 0;
  const cells = p.cells.map((c) => {
    if (
      c.table === "consolidated" &&
      c.device === where.device &&
      c.backend === where.backend &&
      c.model === where.model &&
      c.benchmark === where.benchmark &&
      c.metric === where.metric
    ) {
      hit++;
      return { ...c, printed, value: parsePrinted(printed).value };
    }
    return c;
  });
  if (hit !== 1) throw new Error(`expected one cell to reprint, matched ${hit}`);
  return { ...p, cells };
}
