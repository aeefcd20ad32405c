import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runAudit } from "../audit/audit.js";
import type { AuditResult } from "../audit/types.js";
import { inputError } from "../errors.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import { loadPaper } from "../io/paper.js";
import type { PaperData } from "../paper/types.js";
import { auditFindingsMarkdown, auditReportMarkdown } from "../report/audit-report.js";
import { stableJson } from "../report/format.js";
import { auditJson, replaceReadmeSections } from "../report/readme.js";
import { tableToCsv, tableToLatex, tableToMarkdown } from "../report/render.js";
import { regenerateTables } from "../report/tables.js";
import { PATHS } from "./paths.js";
import { outputFolder, type Written } from "./written.js";

/**
 * Regenerate the paper's tables (CSV, Markdown, LaTeX) and the audit (Markdown report and JSON)
 * under `outDir` (default `figures/tables/`). Idempotent: unchanged files are not rewritten.
 */
export function writeTablesAndAudit(
  root: string,
  outDir = join(root, PATHS.tablesDir),
  paper?: PaperData,
  audit?: AuditResult,
): Written[] {
  const p = paper ?? loadPaper(root);
  const a = audit ?? runAudit(p);
  const out = outputFolder(root, outDir);
  for (const t of regenerateTables(p, a)) {
    out.put(`${t.name}.csv`, tableToCsv(t));
    out.put(`${t.name}.md`, tableToMarkdown(t));
    out.put(`${t.name}.tex`, tableToLatex(t));
  }
  out.put("audit.md", auditReportMarkdown(a));
  out.put("audit.json", stableJson(auditJson(a)));
  return out.written;
}

/** Replace the README's generated sections (by name) with the given Markdown, atomically. */
export function updateReadmeSections(root: string, sections: Record<string, string>): Written {
  const path = join(root, PATHS.readme);
  if (!existsSync(path)) throw inputError("README.md not found", { file: path, hint: "run from the project root" });
  const text = replaceReadmeSections(readFileSync(path, "utf8"), sections, path);
  return { path: PATHS.readme, changed: writeFileAtomic(path, text) };
}

/** Replace the README's generated audit section with the current findings. */
export function updateReadmeAudit(root: string, audit: AuditResult): Written {
  return updateReadmeSections(root, { audit: auditFindingsMarkdown(audit) });
}
