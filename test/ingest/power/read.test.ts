import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { totalEnergy } from "../../../src/ingest/energy/index.js";
import { parsePowerText } from "../../../src/ingest/power/index.js";
import { readPowerLog } from "../../../src/io/power/read.js";
import type { PowerSample } from "../../../src/ingest/types.js";
import { SlmError } from "../../../src/errors.js";
import { fixture, readFixture } from "./helpers.js";

const tmp = mkdtempSync(join(tmpdir(), "slm-power-"));
const write = (name: string, content: string | Buffer) => {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
};
async function collect(path: string, options = {}) {
  const out: PowerSample[] = [];
  for await (const s of readPowerLog(path, options)) out.push(s);
  return out;
}
async function error(p: Promise<unknown>): Promise<SlmError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SlmError) return e;
    throw e;
  }
  throw new Error("expected an SlmError");
}

describe("readPowerLog", () => {
  it("gives the same samples whatever the read size (lines cut across chunks)", async () => {
    for (const name of ["tegrastats-orin.log", "pmic-rpi5.log", "usb-meter-w.csv", "fnirsi-fnb58.txt"]) {
      const whole = await collect(fixture(name));
      for (const chunkBytes of [64, 97, 1000]) expect(await collect(fixture(name), { chunkBytes })).toEqual(whole);
    }
  });

  it("lets a consumer stop early (the file is closed, no read left dangling)", async () => {
    const log = readPowerLog(fixture("fnirsi-fnb58.txt"), { chunkBytes: 64 });
    let n = 0;
    for await (const _ of log) if (++n === 3) break;
    expect(n).toBe(3);
    expect(log.summary).toBeNull();
  });

  it("never modifies the raw file", async () => {
    const path = fixture("tegrastats-nano.log");
    const before = readFileSync(path);
    const mtime = statSync(path).mtimeMs;
    await readFixture("tegrastats-nano.log");
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(statSync(path).mtimeMs).toBe(mtime);
  });

  it("removes a UTF-8 BOM and skips blank lines", async () => {
    const p = write("bom.csv", "\uFEFFtime_s,power_w\r\n\r\n0,2\r\n   \r\n1,2\r\n");
    const log = readPowerLog(p);
    const s = await collect(p);
    expect(s.map((x) => [x.tS, x.line])).toEqual([
      [0, 3],
      [1, 5],
    ]);
    for await (const _ of log);
    expect(log.summary).toMatchObject({ format: "usb-csv", samples: 2, quarantined: 0, lines: 5, timed: true });
  });

  it("reads logs with lone CR line ends (old serial terminals)", async () => {
    const p = write("cr.csv", "time_s,power_w\r0,2\r1,2\r2,4\r");
    const s = await collect(p, { chunkBytes: 64 });
    expect(s.map((x) => [x.tS, x.powerW, x.line])).toEqual([
      [0, 2, 2],
      [1, 2, 3],
      [2, 4, 4],
    ]);
    expect(parsePowerText("time_s,power_w\r0,2\r1,2\r").samples).toHaveLength(2);
  });

  it("keeps quarantined entries on the log when no callback is given", async () => {
    const log = readPowerLog(fixture("usb-meter-w.csv"));
    for await (const _ of log);
    expect(log.quarantined.map((q) => q.line)).toEqual([10, 16]);
    expect(log.quarantined[0]!.file).toBe(fixture("usb-meter-w.csv"));
  });

  it("lets the batched path and the per-sample path agree", async () => {
    const a = await totalEnergy(readPowerLog(fixture("fnirsi-fnb58.txt"), { chunkBytes: 200 }));
    const b = await totalEnergy(await collect(fixture("fnirsi-fnb58.txt")));
    expect(a).toEqual(b);
  });

  it("stops on an empty file, a missing file, UTF-16 and binary data with a hint", async () => {
    expect((await error(collect(write("empty.log", "")))).message).toMatch(/empty/);
    expect((await error(collect(write("blank.log", "\n\n  \n")))).message).toMatch(/empty/);
    expect((await error(collect(join(tmp, "nope.log")))).code).toBe("E_NOT_FOUND");
    const u16 = await error(collect(write("u16.csv", Buffer.from("\uFEFFtime_s,power_w\n", "utf16le"))));
    expect(u16.message).toMatch(/UTF-16/);
    expect(u16.hint).toMatch(/UTF-8/);
    expect((await error(collect(write("bin.dat", Buffer.from([1, 0, 2, 0, 3]))))).message).toMatch(/binary/);
  });

  it("stops when the format cannot be told, listing the closest candidates", async () => {
    const e = await error(collect(write("what.txt", "hello world\nthis is not a power log\n")));
    expect(e.message).toMatch(/cannot tell/);
    expect(e.line).toBe(1);
    expect([e.field, e.hint]).toEqual(["format", expect.stringMatching(/Name the format \(tegrastats/)]);
  });

  it("stops when a forced format finds no readings (a file that is not what the caller says)", async () => {
    const e = await error(collect(fixture("tegrastats-nano.log"), { format: "pmic" }));
    expect(e.message).toMatch(
      /no pmic readings in this file \(13 line\(s\) rejected; the first, line 1: not a pmic_read_adc line/,
    );
    expect(e.file).toBe(fixture("tegrastats-nano.log"));
    expect([e.field, e.hint]).toEqual(["format", expect.stringMatching(/or name its format$/)]);
  });

  it("quarantines the lines of another format mixed into a log", () => {
    const pmicLine = "  VDD_CORE_A current(7)=1.54489000A";
    const r = parsePowerText(`RAM 1/2MB POM_5V_IN 1000/1000\n${pmicLine}\nRAM 1/2MB POM_5V_IN 1000/1000\n`, {
      format: "tegrastats",
    });
    expect(r.samples).toHaveLength(2);
    expect(r.quarantined.map((q) => q.text)).toEqual([pmicLine]);
  });

  it("quarantines negative and non-finite power, and readings whose time stamps are missing in a timed log", () => {
    const r = parsePowerText("time_s,power_w\n0,1\n1,-0.5\n2,1e999\n3,1\n,1\n4,1\n");
    expect(r.samples.map((s) => s.tS)).toEqual([0, 3, 4]);
    expect(r.quarantined.map((q) => q.reason)).toEqual([
      "negative power -0.5 W",
      'power "1e999" is not finite',
      'unreadable time ""',
    ]);
    expect(r.quarantined.map((q) => q.text)).toEqual(["1,-0.5", "2,1e999", ",1"]); // the raw lines
  });

  it("quarantines with the raw line on the streaming fast path too", async () => {
    const rows = Array.from({ length: 200 }, (_, i) => `${i},${i === 150 ? "-2.5" : i === 170 ? "N/A" : "3"}`);
    const p = write("fast.csv", ["time_s,power_w", ...rows, "170,3", "171,3"].join("\n"));
    const quarantined: { line: number; text: string; reason: string }[] = [];
    const s = await collect(p, {
      chunkBytes: 64,
      onQuarantine: (q: { line: number; text: string; reason: string }) => quarantined.push(q),
    });
    expect(s).toHaveLength(198);
    expect(quarantined).toEqual([
      expect.objectContaining({ line: 152, text: "150,-2.5", reason: "negative power -2.5 W" }),
      expect.objectContaining({ line: 172, text: "170,N/A", reason: "power is N/A" }),
      expect.objectContaining({
        line: 202,
        text: "170,3",
        reason: expect.stringMatching(/time stamp goes back by 29 s/),
      }),
      expect.objectContaining({
        line: 203,
        text: "171,3",
        reason: expect.stringMatching(/time stamp goes back by 28 s/),
      }),
    ]);
  });

  it("refuses a non-positive interval", () => {
    expect(() => parsePowerText("RAM 1/2MB POM_5V_IN 1000/1000\n", { intervalMs: 0 })).toThrowError(/interval/);
  });
});

describe("a power log whose first line is longer than the detection head (issue 13, defect 19)", () => {
  it("is named as unrecognised at line 1, not called empty", async () => {
    const path = write("long-first.csv", `${"x".repeat(40 * 1024)}\ntime_s,power_w\n0,1\n`);
    const err = await collect(path).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SlmError);
    expect((err as SlmError).message).toBe("cannot tell which power log format this is");
    expect((err as SlmError).line).toBe(1);
  });
});
