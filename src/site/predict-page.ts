/**
 * The predictor page: a form over the embedded catalogs and an output table the bundle
 * (browser/predict.ts) fills with what `predict --json` computes for the same inputs.
 */
import type { PredictSiteData } from "./predict-data.js";
import { ASSETS, esc, page } from "./html.js";

const option = (value: string, label: string, selected = false) =>
  `<option value="${esc(value)}"${selected ? " selected" : ""}>${esc(label)}</option>`;

/** The numbers the page shows, each with its `predict --json` path (the test reads them by these). */
export const SHOWN_FIELDS = [
  ["latency", "latency_s", "s"],
  ["prefill", "prefill_s", "s"],
  ["decode", "decode_s", "s"],
  ["decode rate", "decode_tokens_per_s", "tokens/s"],
  ["prefill rate", "prefill_tokens_per_s", "tokens/s"],
  ["power", "power_w", "W"],
  ["energy", "energy_wh", "Wh"],
  ["energy per token", "energy_j_per_token", "J/token"],
  ["active energy", "active_energy_wh", "Wh"],
  ["EDP", "edp_js", "J·s"],
] as const;

export function predictPage(data: PredictSiteData): string {
  const devices = data.devices.devices.map((d) => option(d.id, d.label, d.id === "raspberry-pi-5")).join("");
  const models = data.models.models.map((m) => option(m.id, m.label)).join("");
  const quants = [option("", "the model's paper profile"), ...data.quants.fileTypes.map((f) => option(f.name, f.name))];
  const regions = data.grid.regions.map((r) => option(r.code, `${r.code} — ${r.name} (${r.intensityGCo2ePerKwh})`));
  const rows = SHOWN_FIELDS.map(
    ([label, field, unit]) =>
      `<tr><td class="l">${esc(label)}</td><td data-field="${field}"></td>` +
      `<td data-field="interval.low.${field}"></td><td data-field="interval.high.${field}"></td>` +
      `<td class="l">${esc(unit)}</td></tr>`,
  ).join("\n");
  const runtimes = ["llama.cpp", "ollama", "mlc"].map((r) => option(r, r)).join("");
  const gridKinds =
    option("none", "no CO2e") + option("region", "region", true) + option("intensity", "intensity (gCO2e/kWh)");
  const body = `<p>One inference on a board: the calibrated analytical model for the paper's boards, the
runtime-aware model (fitted on the community corpus) for every other board or when a runtime is chosen.
This page runs the same TypeScript code as <code>slm-energy predict --json</code>, in your browser;
nothing is sent anywhere.</p>
<form class="predict" id="predict-form" onsubmit="return false">
<label>Board <select name="device">${devices}</select></label>
<label>Backend <select name="backend">${option("cpu", "cpu")}${option("gpu", "gpu")}</select></label>
<label>Power mode <select name="powerMode"></select></label>
<label>Runtime <select name="runtime">${option("", "default (paper calibration where it applies)")}${runtimes}</select>
</label>
<fieldset><legend>Model</legend>
<label><span><input type="radio" name="modelKind" value="catalog" checked> catalog</span>
<select name="model">${models}</select></label>
<label><span><input type="radio" name="modelKind" value="spec"> spec (a models.json entry)</span>
<textarea name="modelSpec" rows="3" placeholder='{"id": "my-model", …}'></textarea></label>
<label><span><input type="radio" name="modelKind" value="gguf"> GGUF file (only its header is read)</span>
<input type="file" name="gguf" accept=".gguf"></label>
</fieldset>
<label>Quantization <select name="quant">${quants.join("")}</select></label>
<label>Prompt tokens <input type="number" name="promptTokens" min="0" step="1" value="128"></label>
<label>Generated tokens <input type="number" name="genTokens" min="0" step="1" value="128"></label>
<label>Grid <select name="gridKind">${gridKinds}</select></label>
<label>Region <select name="region">${regions.join("")}</select></label>
<label>Intensity, gCO2e/kWh <input type="number" name="intensity" min="0" step="any" value="400"></label>
<label>&nbsp;<button type="button" id="predict-button">Predict</button></label>
</form>
<p class="error" id="predict-error" hidden></p>
<div id="predict-output" hidden>
<p id="predict-inputs"></p>
<table id="predict-table">
<thead><tr><th class="l">quantity</th><th>predicted</th><th>90 % low</th><th>90 % high</th><th class="l">unit</th></tr>
</thead>
<tbody>
${rows}
<tr><td class="l">CO2e</td><td data-field="co2e_g"></td><td></td><td></td>
<td class="l">g CO2e, at <span data-field="grid_intensity_g_per_kwh"></span> gCO2e/kWh
<span id="grid-where"></span></td></tr>
<tr><td class="l">memory</td><td data-field="memory.required_gib"></td><td></td>
<td data-field="memory.available_gib"></td><td class="l">GiB needed / available</td></tr>
</tbody>
</table>
<h2>Priors and transfers</h2>
<div id="predict-priors"></div>
<ul id="predict-notes"></ul>
<details><summary>The whole <code>predict --json</code> document</summary><pre id="predict-json"></pre></details>
</div>`;
  return page({ file: "predict.html", title: "Predictor", body, scripts: [ASSETS.predictData, ASSETS.predictApp] });
}
