import { describe, expect, it } from "vitest";
import { simulate } from "./helpers.js";

const base = {
  device: "raspberry-pi-5",
  backend: "cpu",
  model: "tinyllama-1.1b",
  benchmark: "hellaswag",
  meter: "pmic",
} as const;

describe("simulator errors in domain words", () => {
  it("name the request field and its value, not a command-line flag", () => {
    let err: { message: string; field?: string; text?: string; code?: string } | undefined;
    try {
      simulate({ ...base, sampleHz: 100 });
    } catch (e) {
      err = e as typeof err;
    }
    expect(err).toMatchObject({ code: "E_USAGE", field: "sampleHz", text: "100" });
    expect(err!.message).toMatch(/pmic samples at up to 25 Hz/);
    expect(err!.message).not.toMatch(/--/);
  });

  it("say which truth source is unknown", () => {
    expect(() => simulate({ ...base, truth: "oracle" as never })).toThrow(
      expect.objectContaining({ field: "truth", text: "oracle" }),
    );
  });
});
