/**
 * What ingestion notices but does not reject, as a coded union: the code says what happened and
 * carries its numbers; `message` is the sentence shown to the user. Codes travel intact from the
 * stage that notices them to the CLI (which groups identical warnings), `ingest --json` and
 * `ingest-summary.json`; the `warnings` column of inferences.csv holds the messages.
 */
interface Located {
  file: string;
  line: number | null;
  message: string;
}

/** A warning about a file or a run (the manifest's, a parser's, or the run's as a whole). */
export type IngestWarning = Located &
  (
    | { code: "parse" }
    | { code: "manifest" }
    | { code: "placement-ignored" }
    | { code: "overlapping-windows"; overlaps: number }
    | { code: "no-idle" }
    | { code: "no-power" }
    | { code: "idle-ignored" }
    | { code: "negative-net-energy"; netEnergyJ: number }
    | { code: "missing-energy"; missing: number; inferences: number }
    | { code: "no-accuracy-metric"; task: string; metric: string }
  );

export type IngestWarningCode = IngestWarning["code"];

/** What a format's parser reports: always code `parse`, added by the sink. */
export type ParseWarning = Located;

/** What the window integrator notices about one window (see energy/integrate.ts). */
export type IntegrationWarning =
  | {
      code: "gap";
      message: string;
      /** the longest interval inside the window and where it starts (window clock) */ gapS: number;
      atS: number;
    }
  | {
      code: "short-window";
      message: string;
      /** expected (RMS) and maximal relative error of the energy (see error-estimate.ts) */
      expectedRelError: number;
      maxRelError: number;
    }
  | { code: "partial-coverage" | "no-coverage" | "empty-window"; message: string };

export type IntegrationWarningCode = IntegrationWarning["code"];

/** A warning about one inference's energy or window. */
export type RowWarning =
  | (IntegrationWarning & { channel?: string })
  | { code: "no-wall-clock"; message: string }
  | { code: "low-coverage"; coverage: number; message: string }
  | { code: "placed"; message: string }
  | { code: "repetitions-assumed"; message: string };

export type RowWarningCode = RowWarning["code"];

/** The text of a row warning, named by its power file when the bundle has several channels. */
export function rowWarningText(w: RowWarning): string {
  return "channel" in w && w.channel !== undefined ? `${w.channel}: ${w.message}` : w.message;
}

/** A run-level warning about the bundle's manifest file. */
export function runWarning<W extends Omit<IngestWarning, "file" | "line">>(manifestFile: string, w: W): IngestWarning {
  return { file: manifestFile, line: null, ...w } as IngestWarning;
}
