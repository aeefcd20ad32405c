import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseCsv } from "../../src/io/csv.js";
import { cell, decodeCsvRows } from "../../src/io/csv-rows.js";
import { SlmError } from "../../src/errors.js";

function thrown(fn: () => unknown): SlmError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SlmError) return e;
    throw e;
  }
  throw new Error("expected an error");
}

const Row = z.object({
  id: cell.text(),
  kind: cell.oneOf(["a", "b"]),
  n: cell.number({ integer: true, min: 1 }),
  w: cell.optionalNumber({ min: 0 }),
  note: cell.optionalText(),
  ok: cell.boolean(),
});

describe("decodeCsvRows", () => {
  it("turns cells into typed values, keeping each record's line", () => {
    const table = parseCsv("id,kind,n,w,note,ok,extra\nx, a ,3,,,yes,1\n\ny,b,1,2.5,hi,FALSE,2\n", "t.csv");
    expect(decodeCsvRows(Row, table, "t.csv")).toEqual([
      { line: 2, row: { id: "x", kind: "a", n: 3, w: null, note: null, ok: true } },
      { line: 4, row: { id: "y", kind: "b", n: 1, w: 2.5, note: "hi", ok: false } },
    ]);
  });

  it("reports every bad cell of the file at once, with line, column and text", () => {
    const table = parseCsv("id,kind,n,w,note,ok\n,a,1,,,true\nx,c,0,-1,,maybe\ny,a,1.5,z,,1\n", "t.csv");
    const e = thrown(() => decodeCsvRows(Row, table, "t.csv"));
    expect([e, ...e.issues].map((i) => [i.line, i.field, i.text, i.message.replace(/ \(and .*/, "")])).toEqual([
      [2, "id", "", "a value is required"],
      [3, "kind", "c", "expected one of a, b"],
      [3, "n", "0", "expected a number ≥ 1"],
      [3, "w", "-1", "expected a number ≥ 0"],
      [3, "ok", "maybe", "expected true or false"],
      [4, "n", "1.5", "expected an integer"],
      [4, "w", "z", "expected a finite number"],
    ]);
    expect(e.file).toBe("t.csv");
    expect(e.code).toBe("E_INPUT");
  });

  it("names every missing column with a hint", () => {
    const e = thrown(() => decodeCsvRows(Row, parseCsv("id,kind,n,w\nx,a,1,2\n", "t.csv"), "t.csv"));
    expect([e, ...e.issues].map((i) => [i.field, i.hint])).toEqual([
      ["note", 'add a "note" column to the header'],
      ["ok", 'add a "ok" column to the header'],
    ]);
  });

  it("decodes through a transform into camelCase records", () => {
    const schema = z.object({ tdp_w: cell.number() }).transform((r) => ({ tdpW: r.tdp_w }));
    expect(decodeCsvRows(schema, parseCsv("tdp_w\n15\n", "t.csv"), "t.csv")).toEqual([{ line: 2, row: { tdpW: 15 } }]);
  });

  it("stops after maxIssues", () => {
    const text = "id,kind,n,w,note,ok\n" + "x,c,1,,,true\n".repeat(10);
    expect(thrown(() => decodeCsvRows(Row, parseCsv(text, "t.csv"), "t.csv", { maxIssues: 3 })).issues).toHaveLength(2);
  });
});
