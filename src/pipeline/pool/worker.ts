import { parentPort } from "node:worker_threads";
import { errorData } from "./errors.js";
import { runTask, type TaskKind } from "./tasks.js";

/** A task-pool worker thread (see pool.ts): runs one task at a time, posts back its result or error. */
const port = parentPort;
if (port !== null) {
  port.on("message", (msg: { id: number; kind: TaskKind; input: never }) => {
    try {
      port.postMessage({ id: msg.id, ok: true, result: runTask(msg.kind, msg.input) });
    } catch (e) {
      port.postMessage({ id: msg.id, ok: false, error: errorData(e) });
    }
  });
}
