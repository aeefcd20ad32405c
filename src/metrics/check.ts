import { inputError } from "../errors.js";

/** Validation shared by the metric functions: finite, and non-negative or positive as stated. */
export function requirePositive(name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) {
    throw inputError(`${name} must be a positive finite number, got ${value}`, { field: name });
  }
}

export function requireNonNegative(name: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw inputError(`${name} must be a non-negative finite number, got ${value}`, { field: name });
  }
}

export function requireFinite(name: string, value: number): void {
  if (!Number.isFinite(value)) throw inputError(`${name} must be a finite number, got ${value}`, { field: name });
}
