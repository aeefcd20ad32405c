import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isSlmError } from "../../src/errors.js";
import { descendantPids, isAlive } from "../../src/io/host/processes.js";
import { browserCommand, labArguments, labEnv, labUrl } from "../../src/notebooks/lab.js";
import { checkLabEnvironment, startLab } from "../../src/pipeline/notebooks/lab.js";
import { ROOT, runCli } from "../helpers.js";

const listen = (port = 0): Promise<Server> =>
  new Promise((resolveP, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(port, "127.0.0.1", () => resolveP(s));
  });
const portOf = (s: Server): number => (s.address() as { port: number }).port;
const close = (s: Server): Promise<void> => new Promise((r) => s.close(() => r()));
async function freePort(): Promise<number> {
  const s = await listen();
  const port = portOf(s);
  await close(s);
  return port;
}

const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("lab: the Jupyter server's command line and environment", () => {
  it("listens on 127.0.0.1 only, on the given port and no other, serving notebooks/", () => {
    const args = labArguments({ notebookDir: "/p/notebooks", port: 8897, asRoot: false });
    expect(args).toContain("--ip=127.0.0.1");
    expect(args).toContain("--port=8897");
    expect(args).toContain("--port-retries=0");
    expect(args).toContain("--notebook-dir=/p/notebooks");
    expect(args).toContain("--no-browser");
  });

  it("adds --allow-root only when running as root", () => {
    expect(labArguments({ notebookDir: "/n", port: 1, asRoot: false })).not.toContain("--allow-root");
    expect(labArguments({ notebookDir: "/n", port: 1, asRoot: true })).toContain("--allow-root");
  });

  it("points every Jupyter folder into the project's .jupyter/, never $HOME, and passes the token by env", () => {
    const env = labEnv("/p", "abc", { PATH: "/usr/bin", HOME: "/home/u" });
    for (const k of ["JUPYTER_PATH", "JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR"])
      expect(env[k], k).toMatch(/^\/p\/\.jupyter\//);
    expect(env.JUPYTER_TOKEN).toBe("abc");
    expect(env.PATH).toBe("/p/node_modules/.bin:/usr/bin");
    expect(labUrl(8897, "abc")).toBe("http://127.0.0.1:8897/tree?token=abc");
  });

  it("opens a browser only where there is a display and a browser to open", () => {
    const url = "http://127.0.0.1:1/tree?token=t";
    const none = (): boolean => false;
    const all = (): boolean => true;
    expect(browserCommand(url, "linux", {}, all)).toEqual({ none: expect.stringMatching(/no display/) as string });
    expect(browserCommand(url, "linux", { DISPLAY: ":0" }, none)).toEqual({
      none: expect.stringMatching(/no browser found/) as string,
    });
    expect(browserCommand(url, "linux", { DISPLAY: ":0" }, all)).toEqual({ argv: ["xdg-open", url] });
    expect(browserCommand(url, "linux", { WAYLAND_DISPLAY: "w", BROWSER: "firefox" }, all)).toEqual({
      argv: ["firefox", url],
    });
    expect(browserCommand(url, "darwin", {}, none)).toEqual({ argv: ["open", url] });
  });
});

describe("lab: what it refuses, and what to do", () => {
  it("a port that is not a port is a usage error", async () => {
    for (const p of ["0", "70000", "http"]) {
      const r = await runCli(["lab", "--no-browser", "--port", p]);
      expect(r.code, p).toBe(2);
      expect(r.stderr).toContain("--port must be an integer ≥ 1 and ≤ 65535");
    }
  });

  it("a port already in use: exit 1, naming the port and the option", async () => {
    const taken = await listen();
    try {
      const r = await runCli(["lab", "--no-browser", "--port", String(portOf(taken))]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`port ${portOf(taken)} on 127.0.0.1 is already in use`);
      expect(r.stderr).toContain("slm-energy lab --port N");
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      await close(taken);
    }
  });

  it("Jupyter Notebook missing: says how to install it", async () => {
    const e: unknown = await startLab({ root: ROOT, port: await freePort(), jupyter: "/nonexistent/jupyter-notebook" })
      .then(() => null)
      .catch((x: unknown) => x);
    expect(isSlmError(e) && e.code).toBe("E_ENV");
    expect(isSlmError(e) && e.format()).toMatch(
      /Jupyter Notebook is not installed[\s\S]*apt-get install jupyter-notebook/,
    );
  });

  it("the tslab kernelspec missing: says to run setup", async () => {
    const root = mkdtempSync(join(tmpdir(), "slm-lab-"));
    scratch.push(root);
    const e: unknown = await checkLabEnvironment({ root, port: await freePort(), jupyter: process.execPath }).catch(
      (x: unknown) => x,
    );
    expect(isSlmError(e) && e.format()).toMatch(/tslab kernelspec is missing[\s\S]*scripts\/setup\.sh/);
  });
});

describe("lab: the real server", () => {
  it("prints the URL with its token, serves the tslab kernelspec, and Ctrl-C leaves nothing running", async () => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [join(ROOT, "dist/cli/main.js"), "lab", "--no-browser", "--port", `${port}`],
      {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    const urlRe = new RegExp(`http://127\\.0\\.0\\.1:${port}/\\S*\\?token=([0-9a-f]+)`);
    for (let i = 0; i < 1200 && !urlRe.test(stdout) && child.exitCode === null; i++)
      await new Promise((r) => setTimeout(r, 100));
    const token = urlRe.exec(stdout)?.[1];
    expect(token, `stdout: ${stdout}\nstderr: ${stderr}`).toBeDefined();

    const api = `http://127.0.0.1:${port}/api`;
    const specs = (await (await fetch(`${api}/kernelspecs?token=${token}`)).json()) as {
      default: string;
      kernelspecs: Record<string, { spec: { argv: string[]; display_name: string } }>;
    };
    expect(specs.kernelspecs.tslab?.spec.display_name).toBe("TypeScript");
    expect(specs.kernelspecs.tslab?.spec.argv[0]).toBe("tslab");
    expect(specs.default).toBe("tslab");
    // A running kernel, so that stopping has children to take down with the server.
    const started = await fetch(`${api}/kernels`, {
      method: "POST",
      headers: { Authorization: `token ${token}` },
      body: JSON.stringify({ name: "tslab" }),
    });
    expect(started.status).toBe(201);
    let tree: number[] = [];
    for (let i = 0; i < 300 && tree.length < 3; i++) {
      tree = [child.pid!, ...descendantPids(child.pid!)];
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(tree.length).toBeGreaterThanOrEqual(3); // lab, the server, the kernel

    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(tree.filter(isAlive)).toEqual([]);
    expect(stderr).toContain("the notebook server and its kernels have stopped");
    await close(await listen(port)); // the port is free again
  }, 180_000);
});
