/**
 * A file no format claims: the error names its first line with text and what the format sniffer
 * made of it (issue 13); vcgencmd's "Command not registered" says the board has no PMIC ADC.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../../src/cli/main.js";
import { SlmError } from "../../../src/errors.js";
import { closestFormats, detectKind } from "../../../src/ingest/inspect.js";
import { rankPowerFormats } from "../../../src/ingest/power/detect.js";
import { parsePowerText } from "../../../src/ingest/power/read.js";

function thrown(f: () => unknown): SlmError {
  try {
    f();
  } catch (e) {
    if (e instanceof SlmError) return e;
    throw e;
  }
  throw new Error("did not throw");
}

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, { stdout: (s) => void (out += s), stderr: (s) => void (err += s) });
  return { code, out, err };
}

const PI4 = 'vc_gencmd_read_response returned -1\nerror=1 error_msg="Command not registered"\n';

describe("an unrecognised file", () => {
  it("names its first non-blank line and the formats the sniffer scored highest, with their scores", () => {
    const e = thrown(() => detectKind("\n\n   \nlorem ipsum\ndolor\n", "junk.txt"));
    expect(e.message).toBe("cannot recognise this file");
    expect(e.line).toBe(4);
    expect(e.text).toBe("lorem ipsum");
    expect(e.exitCode).toBe(2);
    const top = rankPowerFormats("\n\n   \nlorem ipsum\ndolor\n").slice(0, 3);
    for (const g of top) expect(e.hint).toContain(`${g.format} ${g.score.toFixed(2)} (${g.reason})`);
  });

  it("says so when no format scored at all, still listing each sniffer's reason", () => {
    const text = closestFormats("a,b\n1,2\n");
    expect(text).toMatch(/^No format scored above 0 \(0 to 1, 0\.5 needed\): tegrastats 0\.00 \(no RAM/);
    expect(text).toMatch(/no inference or accuracy format's signature found$/);
  });

  it("exits 2 from the CLI with file:line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "slm-unrecognised-"));
    writeFileSync(join(dir, "x.txt"), "\nnot a log\n");
    const r = await cli("inspect", join(dir, "x.txt"));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/x\.txt:2: cannot recognise this file/);
    expect(r.err).toMatch(/scored/);
    expect(r.err).not.toMatch(/at .*\.(ts|js):\d+/); // no stack trace
  });

  it("a power log the power reader cannot place names its first line with text, not line 1", () => {
    const e = thrown(() => parsePowerText("\n\nlorem\n", { file: "p.log" }));
    expect(e.message).toBe("cannot tell which power log format this is");
    expect(e.line).toBe(3);
  });
});

describe("vcgencmd pmic_read_adc on a board without a PMIC ADC", () => {
  it("says the board has no PMIC ADC (Raspberry Pi 5 only) and what to measure with, at the message's line", () => {
    const e = thrown(() => detectKind(PI4, "pi4.log"));
    expect(e.message).toMatch(/Command not registered.*no PMIC ADC.*Raspberry Pi 5 only/);
    expect(e.line).toBe(2);
    expect(e.hint).toMatch(/USB power meter/);
    expect(e.exitCode).toBe(2);
  });

  it("says the same when the log is read as pmic, by detection or by name", () => {
    expect(thrown(() => parsePowerText(PI4, { file: "pi4.log" })).message).toMatch(/no PMIC ADC/);
    const e = thrown(() => parsePowerText(PI4, { file: "pi4.log", format: "pmic" }));
    expect(e.message).toMatch(/no PMIC ADC/);
    expect(e.file).toBe("pi4.log");
  });

  it("exits 2 from the CLI, no stack trace", async () => {
    const dir = mkdtempSync(join(tmpdir(), "slm-vcgencmd-"));
    writeFileSync(join(dir, "pmic.log"), PI4);
    const r = await cli("inspect", join(dir, "pmic.log"));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/pmic\.log:2: vcgencmd answered "Command not registered": this board has no PMIC ADC/);
  });
});
