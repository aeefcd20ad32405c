import { mkdirSync, mkdtempSync, readFileSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isSlmError } from "../../src/errors.js";
import { loadManifest, MAX_MANIFEST_BYTES } from "../../src/io/manifest.js";
import { ingestBundle } from "../../src/pipeline/ingest/bundle.js";
import { runCli } from "../helpers.js";
import { copyBundle, editManifest, ORIN } from "../ingest/bundle/helpers.js";

/** The error `fn` throws (it must throw an SlmError). */
async function failure(fn: () => unknown): Promise<Error & { code: string; exitCode: number; file?: string }> {
  try {
    await fn();
  } catch (e) {
    if (isSlmError(e)) return e as never;
    throw e;
  }
  throw new Error("expected an error");
}

describe("issue 13 #11: manifest.json follows the bundle's symlink rule", () => {
  it("refuses a manifest.json that links out of the bundle, without echoing the outside file", async () => {
    const b = copyBundle(ORIN);
    const outside = join(mkdtempSync(join(tmpdir(), "slm-secret-")), "secret.txt");
    writeFileSync(outside, "TOP-SECRET first line\nmore\n");
    renameSync(join(b, "manifest.json"), join(b, "real-manifest.json"));
    symlinkSync(outside, join(b, "manifest.json"));
    const e = await failure(() => loadManifest(b));
    expect(e.code).toBe("E_UNSAFE_PATH");
    expect(e.message).toMatch(/symbolic link leads outside the bundle/);
    const r = await runCli(["ingest", b, "--out", mkdtempSync(join(tmpdir(), "slm-o-"))]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain("TOP-SECRET");
  });

  it("a manifest.json linking to a file inside the bundle is read", () => {
    const b = copyBundle(ORIN);
    renameSync(join(b, "manifest.json"), join(b, "real-manifest.json"));
    symlinkSync("real-manifest.json", join(b, "manifest.json"));
    expect(loadManifest(b).manifest.device).toBe("jetson-orin-nano");
  });
});

describe("issue 13 #22: a manifest that is a folder or huge is an input error", () => {
  it("a folder named manifest.json: exit 2, not 1", async () => {
    const b = join(mkdtempSync(join(tmpdir(), "slm-b-")), "b");
    mkdirSync(join(b, "manifest.json"), { recursive: true });
    const r = await runCli(["ingest", b, "--out", mkdtempSync(join(tmpdir(), "slm-o-"))]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/manifest\.json.*not a regular file/);
  });

  it("a manifest over 1 MiB is refused before it is read", async () => {
    const b = copyBundle(ORIN);
    editManifest(b, (m) => void (m.notes = "x".repeat(MAX_MANIFEST_BYTES)));
    const e = await failure(() => loadManifest(b));
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/over the 1048576-byte limit/);
  });

  it("a missing bundle folder says there is no manifest (exit 2)", async () => {
    const e = await failure(() => loadManifest(join(tmpdir(), "no-such-bundle-folder-xyz")));
    expect(e.code).toBe("E_NOT_FOUND");
  });
});

describe("issue 13 #12: one raw file named twice is refused by real path", () => {
  it.each([
    ["the same name twice", ["tegrastats.log", "tegrastats.log"]],
    ["a.csv and ./a.csv", ["tegrastats.log", "./tegrastats.log"]],
    ["a link inside the bundle", ["tegrastats.log", "alias.log"]],
  ])("%s", async (_what, power) => {
    const b = copyBundle(ORIN);
    symlinkSync("tegrastats.log", join(b, "alias.log"));
    editManifest(b, (m) => void ((m.files as Record<string, unknown>).power = power));
    const e = await failure(() => ingestBundle(b));
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe('the same file as files.power[0] ("tegrastats.log")');
    expect(e).toMatchObject({ field: "files.power[1]", text: power[1], file: join(b, "manifest.json") });
  });

  it("issue 13 #27: files.idle naming the power log is refused", async () => {
    const b = copyBundle(ORIN);
    editManifest(b, (m) => void ((m.files as Record<string, unknown>).idle = "./tegrastats.log"));
    const e = await failure(() => ingestBundle(b));
    expect(e).toMatchObject({ field: "files.idle", message: 'the same file as files.power[0] ("tegrastats.log")' });
  });
});

describe('issue 13 #27: run ids are safe slugs (no "..")', () => {
  it.each(["..", ".", ".hidden"])("run_id %j is refused", async (id) => {
    const b = copyBundle(ORIN);
    editManifest(b, (m) => void (m.run_id = id));
    const e = await failure(() => loadManifest(b));
    expect(e.exitCode).toBe(2);
    expect(readFileSync(join(b, "manifest.json"), "utf8")).toContain(`"run_id": "${id}"`);
    expect(JSON.stringify(e)).toMatch(/run_id/);
  });

  it("ordinary run ids still pass", () => {
    const b = copyBundle(ORIN);
    editManifest(b, (m) => void (m.run_id = "orin_v1.2-b+c"));
    expect(loadManifest(b).runId).toBe("orin_v1.2-b+c");
  });
});
