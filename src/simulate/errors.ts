import { SlmError } from "../errors.js";

/** The fields of a simulation request (SimulateRequest's keys), as errors name them. */
export type RequestField =
  | "device"
  | "backend"
  | "powerMode"
  | "model"
  | "quantization"
  | "benchmark"
  | "inferences"
  | "meter"
  | "runtime"
  | "sampleHz"
  | "seed"
  | "damage"
  | "truth";

/**
 * A request the simulator cannot honour, in domain words: `field` names the request field and
 * `value` what it held (the CLI turns them into its flag, e.g. `--sample-hz 100: …`).
 */
export function requestError(
  field: RequestField,
  value: string | number | null | undefined,
  message: string,
  hint?: string,
): SlmError {
  return new SlmError("E_USAGE", message, {
    field,
    ...(value === undefined ? {} : { text: String(value) }),
    ...(hint === undefined ? {} : { hint }),
  });
}
