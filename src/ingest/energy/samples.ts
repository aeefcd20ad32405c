import { inputError } from "../../errors.js";
import type { PowerSample } from "../types.js";
import { isBatched } from "../power/read.js";

/** Anything the energy functions accept: an array, a sync or async iterable, a `PowerLog`. */
export type SampleSource = AsyncIterable<PowerSample> | Iterable<PowerSample>;

const BATCH = 4096;

/** The source's samples a batch at a time (whole chunks from a `PowerLog`, else groups of 4096). */
export async function* sampleBatches(source: SampleSource): AsyncGenerator<readonly PowerSample[]> {
  if (isBatched(source)) {
    yield* source.batches();
    return;
  }
  if (Array.isArray(source)) {
    yield source as PowerSample[];
    return;
  }
  let batch: PowerSample[] = [];
  if (Symbol.iterator in (source as object)) {
    for (const s of source as Iterable<PowerSample>) {
      batch.push(s);
      if (batch.length === BATCH) {
        yield batch;
        batch = [];
      }
    }
  } else {
    for await (const s of source as AsyncIterable<PowerSample>) {
      batch.push(s);
      if (batch.length === BATCH) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}

/** Samples handed to the energy functions must have times (the reader assigns them). */
export function timeOf(s: PowerSample): number {
  if (s.tS === null) {
    throw inputError("a power sample has no time", {
      line: s.line,
      hint: "read the log with readPowerLog, which spaces readings of time-less logs by intervalMs",
    });
  }
  return s.tS;
}

export function outOfOrder(s: PowerSample, tS: number, prevS: number): never {
  throw inputError(`power samples out of time order (t=${tS} after t=${prevS})`, {
    line: s.line,
    hint: "readPowerLog quarantines readings whose time does not move forward; sort hand-made samples by time",
  });
}
