import { inputError } from "../../errors.js";
import { PowerBatch } from "../power/batch.js";
import { isColumnar } from "../power/read.js";
import type { PowerSample } from "../types.js";

/** Anything the energy functions accept: an array, a sync or async iterable, a `PowerLog`. */
export type SampleSource = AsyncIterable<PowerSample> | Iterable<PowerSample>;

const GROUP = 4096;

/**
 * The source's samples in column batches: a `PowerLog`'s own chunks, else groups of 4096 samples
 * copied into columns. Samples without a time are refused with their line.
 */
export async function* sampleColumns(source: SampleSource): AsyncGenerator<PowerBatch> {
  if (isColumnar(source)) {
    yield* source.columns();
    return;
  }
  if (Array.isArray(source)) {
    for (let i = 0; i < source.length; i += GROUP) yield PowerBatch.from((source as PowerSample[]).slice(i, i + GROUP));
    return;
  }
  let group: PowerSample[] = [];
  if (Symbol.iterator in (source as object)) {
    for (const s of source as Iterable<PowerSample>) {
      group.push(s);
      if (group.length === GROUP) {
        yield PowerBatch.from(group);
        group = [];
      }
    }
  } else {
    for await (const s of source as AsyncIterable<PowerSample>) {
      group.push(s);
      if (group.length === GROUP) {
        yield PowerBatch.from(group);
        group = [];
      }
    }
  }
  if (group.length > 0) yield PowerBatch.from(group);
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

export function outOfOrder(line: number, tS: number, prevS: number): never {
  throw inputError(`power samples out of time order (t=${tS} after t=${prevS})`, {
    line,
    hint: "readPowerLog quarantines readings whose time does not move forward; sort hand-made samples by time",
  });
}
