import type { Command } from "../command.js";
import { paperCommand } from "./paper.js";
import { auditCommand } from "./audit.js";
import { reproduceCommand } from "./reproduce.js";
import { ggufCommand } from "./gguf.js";
import { collectCommand } from "./collect.js";
import { measureCommand } from "./measure.js";
import { probeCommand } from "./probe.js";
import { sweepCommand } from "./sweep.js";
import { evalCommand } from "./eval.js";
import { figuresCommand } from "./figures.js";
import { notebooksCommand } from "./notebooks.js";
import { labCommand } from "./lab.js";
import { ingestCommand } from "./ingest.js";
import { inspectCommand } from "./inspect.js";
import { simulateCommand } from "./simulate.js";
import { samplingStudyCommand } from "./sampling-study.js";
import { calibrateCommand } from "./calibrate.js";
import { validateCommand } from "./validate.js";
import { predictCommand } from "./predict.js";
import { recommendCommand } from "./recommend.js";
import { claimsCommand } from "./claims.js";
import { corpusCommand } from "./corpus.js";
import { queryCommand } from "./query.js";

/** Every CLI command, in the order `--help` lists them. Add a command: import it and list it here. */
export const COMMANDS: Command[] = [
  reproduceCommand,
  paperCommand,
  auditCommand,
  ggufCommand,
  collectCommand,
  measureCommand,
  probeCommand,
  sweepCommand,
  evalCommand,
  figuresCommand,
  notebooksCommand,
  labCommand,
  ingestCommand,
  queryCommand,
  inspectCommand,
  simulateCommand,
  samplingStudyCommand,
  calibrateCommand,
  validateCommand,
  predictCommand,
  corpusCommand,
  recommendCommand,
  claimsCommand,
];
