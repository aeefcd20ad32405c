import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isSlmError, type SlmError } from "../../src/errors.js";
import { fieldPath, parseJson, parseJsonDocument } from "../../src/io/json.js";

const catch_ = (f: () => unknown): SlmError => {
  try {
    f();
  } catch (e) {
    if (isSlmError(e)) return e;
    throw e;
  }
  throw new Error("expected an error");
};

const Device = z.object({ id: z.string().min(1), modes: z.array(z.object({ bandwidthGBps: z.number().positive() })) });

describe("JSON documents with lines", () => {
  it("names the line of a syntax error and refuses comments and trailing commas", () => {
    expect(catch_(() => parseJsonDocument('{\n  "a": 1,\n}', "f.json")).line).toBe(3);
    expect(catch_(() => parseJsonDocument('{\n // no\n "a": 1}', "f.json")).line).toBe(2);
    expect(catch_(() => parseJsonDocument("", "f.json")).message).toMatch(/invalid JSON/);
  });

  it("reports every bad field at once, each with its line and path", () => {
    const text = '{\n  "id": "",\n  "modes": [\n    {"bandwidthGBps": 3},\n    {"bandwidthGBps": -1}\n  ]\n}\n';
    const e = catch_(() => parseJson(Device, text, "d.json"));
    expect(e.code).toBe("E_INPUT");
    expect(e.file).toBe("d.json");
    expect([e.field, e.line]).toEqual(["id", 2]);
    expect(e.issues.map((i) => [i.field, i.line])).toEqual([["modes[1].bandwidthGBps", 5]]);
    expect(e.format()).toMatch(/also line 5, field "modes\[1\]\.bandwidthGBps"/);
  });

  it("says a missing key is required, at its parent's line", () => {
    const e = catch_(() => parseJson(Device, '{\n "modes": []\n}', "d.json"));
    expect(e.message).toBe("a value is required");
    expect(e.field).toBe("id");
    expect(e.line).toBe(1);
  });

  it("formats field paths like the rest of the project's messages", () => {
    expect(fieldPath(["devices", 1, "powerModes", 0, "memoryBandwidthGBps"])).toBe(
      "devices[1].powerModes[0].memoryBandwidthGBps",
    );
  });
});
