import type { Command, CommandContext } from "../command.js";
import { optFlag, optInt } from "../command.js";
import { DEFAULT_LAB_PORT } from "../../notebooks/lab.js";
import { openBrowser, startLab, type LabServer } from "../../pipeline/notebooks/lab.js";

const usage = `Usage: slm-energy lab [--port N] [--no-browser]

Opens the notebooks interactively: starts Debian's Jupyter Notebook (package jupyter-notebook,
installed by scripts/setup.sh) on 127.0.0.1 with notebooks/ as its root and the project-local
TypeScript kernel (tslab, registered in .jupyter/ by scripts/setup.sh; Jupyter's config, data
and runtime folders are the project's .jupyter/, never those in your home folder). It prints the
URL with its login token and opens it in a browser when this machine has one.

Ctrl-C (or SIGTERM) stops the server and every kernel it started; the exit code is then 0.

Options:
  --port N       the port to listen on (default ${DEFAULT_LAB_PORT}); one already in use is an error
  --no-browser   only print the URL

\`npm run lab\` runs this after scripts/setup.sh. As root, Jupyter is given --allow-root.
Notebooks import the compiled dist/: after changing src/, run \`npm run build\` and restart the kernel.
Exit codes: 0 stopped by Ctrl-C or SIGTERM, 1 the server could not start or stopped on its own,
2 bad usage.`;

const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * The first Ctrl-C / SIGTERM / SIGHUP stops the server (or the start in progress); `signalled`
 * says whether one came. Installed before the server starts, so no signal leaves it running.
 */
function signalStop(ctx: CommandContext): {
  controller: AbortController;
  attach: (server: LabServer) => void;
  signalled: () => boolean;
  release: () => void;
} {
  const controller = new AbortController();
  let server: LabServer | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) return;
    ctx.stderr(`\n${signal}: stopping the notebook server and its kernels …\n`);
    controller.abort();
    if (server) void server.stop();
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  return {
    controller,
    attach: (s) => (server = s),
    signalled: () => controller.signal.aborted,
    release: () => STOP_SIGNALS.forEach((s) => process.off(s, onSignal)),
  };
}

function announce(ctx: CommandContext, server: LabServer): void {
  ctx.stdout(`Jupyter Notebook is serving notebooks/ with the TypeScript (tslab) kernel at\n\n    ${server.url}\n\n`);
  ctx.stdout(optFlag(ctx, "no-browser") ? "" : `${openBrowser(server.url)}\n`);
  ctx.stdout("Ctrl-C stops the server and its kernels.\n");
}

export const labCommand: Command = {
  name: "lab",
  summary: "open the notebooks in Jupyter (127.0.0.1, the project's TypeScript kernel); Ctrl-C stops it",
  usage,
  options: {
    port: { type: "string" },
    "no-browser": { type: "boolean" },
  },
  async run(ctx) {
    const port = optInt(ctx, "port", { min: 1, max: 65535 }) ?? DEFAULT_LAB_PORT;
    const stop = signalStop(ctx);
    try {
      ctx.stderr(`starting Jupyter Notebook on 127.0.0.1:${port} …\n`);
      const server = await startLab({
        root: ctx.root,
        port,
        onLog: (t) => ctx.stderr(t),
        signal: stop.controller.signal,
      });
      if (server === null) return 0;
      stop.attach(server);
      if (!stop.signalled()) announce(ctx, server);
      const { code, signal } = await server.exited;
      // Whatever ended it, nothing it started may outlive lab.
      await server.stop();
      if (stop.signalled()) {
        ctx.stderr("the notebook server and its kernels have stopped\n");
        return 0;
      }
      ctx.stderr(`the notebook server stopped on its own (${signal ?? `exit code ${code}`}); see its log above\n`);
      return 1;
    } finally {
      stop.release();
    }
  },
};
