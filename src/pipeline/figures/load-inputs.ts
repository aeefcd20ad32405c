import { runAudit } from "../../audit/audit.js";
import type { FigureInputs } from "../../figures/inputs.js";
import { loadGpuReferences } from "../../io/catalog/gpus.js";
import { inferenceCounts } from "../../paper/inferences.js";
import { loadPaper } from "../../io/paper.js";
import { loadModelScales } from "../../stats/study/model-scales.js";

/** Read everything the figures are drawn from: the paper's tables, its audit and the GPU table. */
export function loadFigureInputs(root: string): FigureInputs {
  const paper = loadPaper(root);
  return {
    cells: paper.cells,
    inferences: inferenceCounts(paper.cells),
    audit: runAudit(paper).cells,
    gpus: loadGpuReferences(root),
    modelScales: loadModelScales(root),
  };
}
