/**
 * The interactive notebook server as a stage: check what it needs, start Debian's Jupyter Notebook
 * with the project-local tslab kernelspec on 127.0.0.1, wait until it answers, and stop it with
 * everything it started.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { delimiter, join } from "node:path";
import { SlmError } from "../../errors.js";
import { descendantPids, isAlive } from "../../io/host/processes.js";
import {
  browserCommand,
  JUPYTER_NOTEBOOK_BIN,
  LAB_HOST,
  labApiUrl,
  labArguments,
  labEnv,
  labUrl,
} from "../../notebooks/lab.js";
import { PATHS } from "../paths.js";
import { checkKernelEnvironment } from "./runner.js";

export interface LabOptions {
  root: string;
  port: number;
  /** The server binary; default Debian's /usr/bin/jupyter-notebook. */
  jupyter?: string;
  /** Whether this process runs as root (Jupyter then needs --allow-root); default: asked of the OS. */
  asRoot?: boolean;
  /** Seconds to wait for the server to answer (default 120: a loaded 2-core machine is slow). */
  startupTimeoutS?: number;
  /** The server's own log (Jupyter writes it to stderr), as it arrives. */
  onLog?: (text: string) => void;
  /** Aborted while the server starts (Ctrl-C): it is stopped again and startLab resolves null. */
  signal?: AbortSignal;
}

export interface LabServer {
  /** The notebook list, with the token: what a browser opens. */
  url: string;
  token: string;
  port: number;
  pid: number;
  /** Resolves when the server has exited (stopped, or on its own) with its exit code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Stop the server and every process it started (kernels included); resolves when all are gone. */
  stop(): Promise<void>;
}

const SETUP_HINT = "run `bash scripts/setup.sh` (installs it), or `apt-get install jupyter-notebook`";
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Refuse a port something else already listens on, before Jupyter says so in its own words. */
function assertPortFree(port: number): Promise<void> {
  return new Promise((resolveP, reject) => {
    const probe = createServer();
    probe.once("error", (e: NodeJS.ErrnoException) => {
      const hint = "give another one: slm-energy lab --port N";
      if (e.code === "EADDRINUSE")
        reject(new SlmError("E_ENV", `port ${port} on ${LAB_HOST} is already in use`, { field: "port", hint }));
      else if (e.code === "EACCES")
        reject(new SlmError("E_ENV", `not allowed to listen on port ${port}`, { field: "port", hint }));
      else reject(e);
    });
    probe.listen(port, LAB_HOST, () => probe.close(() => resolveP()));
  });
}

/** Everything `lab` needs before it starts anything. */
export async function checkLabEnvironment(o: Pick<LabOptions, "root" | "port" | "jupyter">): Promise<void> {
  const jupyter = o.jupyter ?? JUPYTER_NOTEBOOK_BIN;
  if (!existsSync(jupyter))
    throw new SlmError("E_ENV", `Jupyter Notebook is not installed (${jupyter} not found)`, { hint: SETUP_HINT });
  checkKernelEnvironment(o.root);
  await assertPortFree(o.port);
}

/** Kill `pids` (and, for the server, its process group); errors for processes already gone are expected. */
function killAll(pids: readonly number[], signal: NodeJS.Signals, group: number | null): void {
  if (group !== null) {
    try {
      process.kill(-group, signal);
    } catch {
      // the group is gone
    }
  }
  for (const p of pids) {
    try {
      process.kill(p, signal);
    } catch {
      // already gone
    }
  }
}

/** Wait until every pid is gone, up to `timeoutMs`; whether they all went. */
async function waitGone(pids: readonly number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isAlive)) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

/** Poll the server's status endpoint until it answers 200, the server exits, or time runs out. */
async function waitReady(port: number, token: string, timeoutS: number, stopWaiting: () => boolean): Promise<boolean> {
  const deadline = Date.now() + timeoutS * 1000;
  while (Date.now() < deadline && !stopWaiting()) {
    try {
      const res = await fetch(labApiUrl(port, token, "/api/status"), { signal: AbortSignal.timeout(2000) });
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  return false;
}

/**
 * Start Jupyter Notebook on 127.0.0.1:`port` with notebooks/ as its root and the project-local tslab
 * kernelspec, in its own process group (a terminal's Ctrl-C reaches `lab`, which stops it in order).
 * Resolves once the server answers (null when `signal` aborted the start); an SlmError names what is
 * missing or why it did not start.
 */
export async function startLab(o: LabOptions): Promise<LabServer | null> {
  await checkLabEnvironment(o);
  const jupyter = o.jupyter ?? JUPYTER_NOTEBOOK_BIN;
  const token = randomBytes(24).toString("hex");
  const asRoot = o.asRoot ?? process.getuid?.() === 0;
  const args = labArguments({ notebookDir: join(o.root, PATHS.notebooksDir), port: o.port, asRoot });
  const child = spawn(jupyter, args, {
    cwd: o.root,
    env: labEnv(o.root, token),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const onData = (d: Buffer): void => {
    log = (log + d.toString()).slice(-20_000);
    o.onLog?.(d.toString());
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveP) => {
    child.on("error", (e) => {
      log += `\n${e.message}`;
      done = true;
      resolveP({ code: null, signal: null });
    });
    child.on("close", (code, signal) => {
      done = true;
      resolveP({ code, signal });
    });
  });
  if (child.pid === undefined) {
    await exited;
    throw new SlmError("E_ENV", `could not start ${jupyter}: ${log.trim()}`, { hint: SETUP_HINT });
  }
  const pid = child.pid;
  const stop = stopper(pid, exited, () => done);
  const ready = await waitReady(o.port, token, o.startupTimeoutS ?? 120, () => done || o.signal?.aborted === true);
  if (o.signal?.aborted) {
    await stop();
    return null;
  }
  if (!ready) {
    await stop();
    const tail = log.trim().split("\n").slice(-12).join("\n");
    throw new SlmError("E_ENV", `Jupyter Notebook did not start on ${LAB_HOST}:${o.port}`, {
      hint: `its log ends:\n${tail}`,
    });
  }
  return { url: labUrl(o.port, token), token, port: o.port, pid, exited, stop };
}

/**
 * How the server stops: SIGTERM to it (Jupyter then shuts its kernels down and exits), and after
 * 15 s, or for any process it started that is still there (kernels run in sessions of their own),
 * SIGKILL. Resolves when the server and everything below it are gone.
 */
function stopper(pid: number, exited: Promise<unknown>, done: () => boolean): () => Promise<void> {
  let stopping: Promise<void> | null = null;
  const run = async (): Promise<void> => {
    const tree = [pid, ...descendantPids(pid)];
    if (!done()) killAll([], "SIGTERM", pid);
    let timer: NodeJS.Timeout | undefined;
    const graceful = await Promise.race([
      exited.then(() => true),
      new Promise<false>((r) => (timer = setTimeout(() => r(false), 15_000))),
    ]);
    clearTimeout(timer);
    // Anything the server left behind (a kernel it did not get to), and the server itself if it hangs.
    const left = tree.filter(isAlive);
    if (!graceful || left.length > 0) killAll(left, "SIGKILL", graceful ? null : pid);
    await exited;
    await waitGone(tree, 5_000);
  };
  return () => (stopping ??= run());
}

function commandExists(cmd: string): boolean {
  if (cmd.includes("/")) return existsSync(cmd);
  return (process.env.PATH ?? "").split(delimiter).some((d) => d !== "" && existsSync(join(d, cmd)));
}

/** Open `url` in this machine's browser when there is one; what was done, in words. */
export function openBrowser(url: string): string {
  const how = browserCommand(url, process.platform, process.env, commandExists);
  if ("none" in how) return `not opening a browser: ${how.none}; open the URL above yourself`;
  const child = spawn(how.argv[0]!, how.argv.slice(1), { detached: true, stdio: "ignore" });
  child.on("error", () => undefined);
  child.unref();
  return `opening it in the browser (${how.argv[0]})`;
}
