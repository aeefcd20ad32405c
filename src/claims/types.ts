import type { AuditResult } from "../audit/types.js";
import type { PaperData } from "../paper/types.js";
import type { AccuracyComparison } from "../stats/study/accuracy-comparisons.js";
import type { StudyObservation } from "../stats/study/observations.js";
import type { PlatformComparison } from "../stats/study/platform-comparisons.js";

export const CLAIM_VERDICTS = ["supported", "partly supported", "not supported"] as const;
export type ClaimVerdict = (typeof CLAIM_VERDICTS)[number];

/** One number behind a verdict, with its interval where one exists. */
export interface ClaimEvidence {
  label: string;
  value: number;
  lo?: number;
  hi?: number;
  unit: string;
  /** How the interval was obtained (Wilson, rounding, bootstrap …) or a remark. */
  note?: string;
}

/** A statement of the paper, checked against its own primary data. */
export interface ClaimResult {
  id: string;
  /** The paper's words. */
  statement: string;
  /** Where the paper says it: slide-text line and section. */
  source: { line: number; section: string };
  /** What was tested, in words. */
  test: string;
  verdict: ClaimVerdict;
  /** The finding in a few sentences, with the numbers. */
  finding: string;
  evidence: ClaimEvidence[];
  /** Published cells the claim's printed numbers rest on that the audit finds discrepant. */
  restsOnDiscrepant: string[];
}

/** Everything the checks read: the paper, its audit and the statistics derived from them. */
export interface ClaimInputs {
  paper: PaperData;
  audit: AuditResult;
  observations: StudyObservation[];
  accuracyComparisons: AccuracyComparison[];
  energyComparisons: PlatformComparison[];
  latencyComparisons: PlatformComparison[];
}

/** A claim check: a pure function of the inputs. */
export type ClaimCheck = (inputs: ClaimInputs) => ClaimResult;
