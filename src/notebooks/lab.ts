/**
 * The interactive notebook server `slm-energy lab` starts: Debian's Jupyter Notebook (6.4 on
 * Debian 12) on the loopback address, with the project-local tslab kernelspec and notebooks/ as its
 * root. Pure: the command line, the environment and the URL; `pipeline/notebooks/lab.ts` runs it.
 */
import { notebookEnv } from "./nbformat.js";

/** Debian's Jupyter Notebook server (package jupyter-notebook). */
export const JUPYTER_NOTEBOOK_BIN = "/usr/bin/jupyter-notebook";
/** The port `lab` listens on unless told otherwise (Jupyter's own default). */
export const DEFAULT_LAB_PORT = 8888;
/** The address the server listens on: this machine only. */
export const LAB_HOST = "127.0.0.1";

export interface LabSettings {
  /** The server's root folder: the notebooks (absolute). */
  notebookDir: string;
  port: number;
  /** Running as root: Jupyter refuses to start without --allow-root. */
  asRoot: boolean;
}

/**
 * The server's arguments. The browser is never Jupyter's to open (`lab` opens it, only where one
 * is available), another port is never tried silently (`--port-retries=0`), and new notebooks get
 * the TypeScript kernel. The token comes through the environment (JUPYTER_TOKEN), not argv, so
 * `ps` does not show it.
 */
export function labArguments(s: LabSettings): string[] {
  return [
    `--ip=${LAB_HOST}`,
    `--port=${s.port}`,
    "--port-retries=0",
    "--no-browser",
    `--notebook-dir=${s.notebookDir}`,
    "--MappingKernelManager.default_kernel_name=tslab",
    ...(s.asRoot ? ["--allow-root"] : []),
  ];
}

/**
 * The server's environment: the notebooks' own (project-local kernelspec, runtime and config
 * folders, tslab on PATH), plus the token. Nothing is read from or written to $HOME's Jupyter folders.
 */
export function labEnv(root: string, token: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...notebookEnv(root, base), JUPYTER_TOKEN: token };
}

/** The address a browser opens: the notebook list, logged in by the token. */
export function labUrl(port: number, token: string): string {
  return `http://${LAB_HOST}:${port}/tree?token=${token}`;
}

/** A REST endpoint of the server, authenticated by the token (`/api/kernelspecs`). */
export function labApiUrl(port: number, token: string, path: string): string {
  return `http://${LAB_HOST}:${port}${path}?token=${token}`;
}

/**
 * How to open `url` in this machine's browser, or why there is none: macOS `open`; elsewhere
 * $BROWSER or xdg-open, and only with a display to show it on (a server over ssh has none).
 */
export function browserCommand(
  url: string,
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  commandExists: (cmd: string) => boolean,
): { argv: string[] } | { none: string } {
  if (platform === "darwin") return { argv: ["open", url] };
  if (platform === "win32") return { argv: ["cmd", "/c", "start", "", url] };
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return { none: "no display here (DISPLAY and WAYLAND_DISPLAY are unset)" };
  const chosen = env.BROWSER?.split(":").find((b) => b !== "" && commandExists(b.split(" ")[0]!));
  if (chosen) return { argv: [...chosen.split(" "), url] };
  if (commandExists("xdg-open")) return { argv: ["xdg-open", url] };
  return { none: "no browser found ($BROWSER is unset and xdg-open is not installed)" };
}
