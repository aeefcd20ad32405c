/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The predictor page's script (bundled by esbuild into site/assets/predict.js): reads the form,
 * answers it with `predictForm` (the CLI's `predictQuery`) and shows every number as
 * `predict --json` prints it. A GGUF file's header is read from the file's first bytes only.
 */
import { isSlmError } from "../../errors.js";
import { parseGgufHeader, type GgufHeader } from "../../gguf/reader.js";
import { predictForm, siteWorld, type ModelInput, type PredictForm, type PredictSiteData } from "../predict-data.js";

declare global {
  var SLM_PREDICT_DATA: PredictSiteData | undefined;
}

/** Thrown by a prefix source past its end: read more of the file and parse again. */
class NeedMore extends Error {}

/** A GGUF file's header from its first bytes (4 MiB, doubled until the header fits). */
async function ggufHeaderOf(file: File): Promise<GgufHeader> {
  for (let n = Math.min(file.size, 4 << 20); ; n = Math.min(file.size, n * 2)) {
    const bytes = new Uint8Array(await file.slice(0, n).arrayBuffer());
    const source = {
      size: file.size,
      read: (buf: Uint8Array, length: number, position: number) => {
        const end = Math.min(file.size, position + length);
        if (end > bytes.length && n < file.size) throw new NeedMore();
        const part = bytes.subarray(position, end);
        buf.set(part, 0);
        return part.length;
      },
    };
    try {
      return parseGgufHeader(source, file.name);
    } catch (e) {
      if (!(e instanceof NeedMore)) throw e;
    }
  }
}

const form = document.getElementById("predict-form") as HTMLFormElement;
const field = <T extends HTMLElement>(name: string) => form.elements.namedItem(name) as unknown as T;

function fillPowerModes(data: PredictSiteData): void {
  const device = data.devices.devices.find((d) => d.id === field<HTMLSelectElement>("device").value);
  const select = field<HTMLSelectElement>("powerMode");
  select.replaceChildren(
    ...(device?.powerModes ?? []).map((m) => new Option(m.label, m.id, false, m.id === device?.defaultPowerMode)),
  );
  const backend = field<HTMLSelectElement>("backend");
  const gpu = backend.querySelector('option[value="gpu"]') as HTMLOptionElement;
  gpu.disabled = device?.gpu === null;
  if (gpu.disabled) backend.value = "cpu";
}

async function modelInput(): Promise<ModelInput> {
  const kind = (form.querySelector('input[name="modelKind"]:checked') as HTMLInputElement).value;
  const quant = field<HTMLSelectElement>("quant").value || null;
  if (kind === "gguf") {
    const file = field<HTMLInputElement>("gguf").files?.[0];
    if (file === undefined) throw new Error("choose a GGUF file");
    return { kind: "gguf", header: await ggufHeaderOf(file) };
  }
  if (kind === "spec") return { kind: "spec", text: field<HTMLTextAreaElement>("modelSpec").value, quant };
  return { kind: "catalog", id: field<HTMLSelectElement>("model").value, quant };
}

async function formValues(): Promise<PredictForm> {
  const value = (name: string) => field<HTMLInputElement>(name).value;
  const gridKind = value("gridKind");
  return {
    device: value("device"),
    backend: value("backend"),
    powerMode: value("powerMode") || null,
    runtime: value("runtime") || null,
    model: await modelInput(),
    promptTokens: Number(value("promptTokens")),
    genTokens: Number(value("genTokens")),
    grid:
      gridKind === "region"
        ? { kind: "region", code: value("region") }
        : gridKind === "intensity"
          ? { kind: "intensity", gCo2ePerKwh: Number(value("intensity")) }
          : { kind: "none" },
  };
}

/** The value at a dotted path of the JSON document ("interval.low.energy_wh"). */
function at(doc: unknown, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>(
      (o, k) => (o === null || typeof o !== "object" ? undefined : (o as Record<string, unknown>)[k]),
      doc,
    );
}

const plain = (v: unknown): string => (typeof v === "string" || typeof v === "number" ? String(v) : "");

const li = (text: string, cls = "") => {
  const e = document.createElement("li");
  e.textContent = text;
  if (cls) e.className = cls;
  return e;
};

function show(json: Record<string, unknown>): void {
  for (const el of document.querySelectorAll<HTMLElement>("#predict-output [data-field]")) {
    const v = at(json, el.dataset.field ?? "");
    el.textContent =
      typeof v === "number" || typeof v === "string" || typeof v === "boolean"
        ? String(v)
        : v == null
          ? "—"
          : JSON.stringify(v);
  }
  const inputs = json.inputs as Record<string, unknown>;
  (document.getElementById("predict-inputs") as HTMLElement).textContent =
    `${String(inputs.model)} (${String(inputs.quant)}, ${String(inputs.parameters)} parameters) on ` +
    `${String(inputs.device)} ${String(inputs.backend)} ${String(inputs.power_mode)} — ${String(inputs.calibration)}`;
  (document.getElementById("grid-where") as HTMLElement).textContent =
    json.grid_region === undefined
      ? ""
      : `(${plain(json.grid_region) || "given"}${json.grid_year ? `, ${plain(json.grid_year)}` : ""})`;
  showPriors(json);
  (document.getElementById("predict-json") as HTMLElement).textContent = JSON.stringify(json, null, 2);
}

interface Rate {
  tokens_per_s: number;
  low: number;
  high: number;
  priors: { group: string; level: string; factor: number; n: number }[];
}

function showPriors(json: Record<string, unknown>): void {
  const rm = json.runtime_model as null | { decode: Rate | null; prefill: Rate | null; notes: string[] };
  const priors = document.getElementById("predict-priors") as HTMLElement;
  priors.replaceChildren();
  const notes = document.getElementById("predict-notes") as HTMLElement;
  notes.replaceChildren();
  if (rm === null) {
    priors.textContent = "The paper calibration predicted (no corpus priors).";
  } else {
    for (const [phase, r] of [
      ["decode", rm.decode],
      ["prefill", rm.prefill],
    ] as const) {
      if (r === null) continue;
      const t = document.createElement("table");
      t.dataset.phase = phase;
      t.innerHTML = "<thead><tr><th>" + phase + " prior</th><th>level</th><th>factor</th><th>n</th></tr></thead>";
      const body = document.createElement("tbody");
      for (const p of r.priors) {
        const tr = body.insertRow();
        for (const [i, c] of [p.group, p.level, String(p.factor), String(p.n)].entries()) {
          const td = tr.insertCell();
          td.textContent = c;
          if (i < 2) td.className = "l";
        }
      }
      t.append(body);
      priors.append(t);
    }
    for (const n of rm.notes) notes.append(li(n));
  }
  for (const t of json.transfers as { parameter: string; from: string; reason: string }[])
    notes.append(li(`transferred: ${t.parameter} from ${t.from} — ${t.reason}`));
  for (const w of json.warnings as string[]) notes.append(li(`warning: ${w}`, "warn"));
}

function showError(e: unknown): void {
  const el = document.getElementById("predict-error") as HTMLElement;
  el.textContent = isSlmError(e)
    ? `${e.message}${e.hint ? `\n${e.hint}` : ""}`
    : e instanceof Error
      ? e.message
      : String(e);
  el.hidden = false;
  (document.getElementById("predict-output") as HTMLElement).hidden = true;
}

function start(): void {
  const data = globalThis.SLM_PREDICT_DATA;
  if (data === undefined) {
    showError(new Error("assets/predict-data.js did not load"));
    return;
  }
  const world = siteWorld(data);
  const run = async () => {
    const status = document.body;
    status.dataset.state = "running";
    try {
      const answer = predictForm(data, world, await formValues());
      (document.getElementById("predict-error") as HTMLElement).hidden = true;
      (document.getElementById("predict-output") as HTMLElement).hidden = false;
      show(answer.json);
    } catch (e) {
      showError(e);
    } finally {
      status.dataset.state = "done";
    }
  };
  field<HTMLSelectElement>("device").addEventListener("change", () => fillPowerModes(data));
  (document.getElementById("predict-button") as HTMLButtonElement).addEventListener("click", () => void run());
  fillPowerModes(data);
  void run();
}

start();
