import { resolveGridIntensity, type GridIntensity } from "../catalog/grid-intensity.js";
import { loadGridCatalog } from "../io/catalog/grid-intensity.js";
import { co2eG } from "../metrics/co2e.js";
import { optNumber, optString, withOptionHint, type Command, type CommandContext } from "./command.js";

/** The options every command with a CO2e figure takes. */
export const GRID_OPTIONS: Command["options"] = {
  "grid-intensity": { type: "string" },
  region: { type: "string" },
};

/** Their lines in a command's --help, the descriptions starting at `column`. */
export function gridUsage(column: number): string {
  const line = (option: string, text: string) => `  ${option.padEnd(column - 2)}${text}`;
  return [
    line("--grid-intensity G", "grid carbon intensity for CO2e figures, gCO2e/kWh"),
    line("--region CODE", "or a region code of data/catalog/grid-intensity.json (DEU, US-CA…)"),
  ].join("\n");
}

/** The intensity `--grid-intensity` / `--region` ask for, with its citation; null when neither is given. */
export function gridIntensityOption(ctx: CommandContext): GridIntensity | null {
  const request = {
    intensityGCo2ePerKwh: optNumber(ctx, "grid-intensity", { min: 0 }),
    region: optString(ctx, "region"),
  };
  try {
    return resolveGridIntensity(request, () => loadGridCatalog(ctx.root));
  } catch (e) {
    throw withOptionHint(e, { region: "--region CODE, or --grid-intensity G (gCO2e/kWh)" });
  }
}

/** The JSON fields of a CO2e figure (one definition, shared with `predict` and the site). */
export { co2eJson } from "../model/predict-query.js";

/** "0.0123 gCO2e" (three significant digits), or "—" when there is none. */
export const gramsText = (co2eGrams: number | null | undefined): string =>
  co2eGrams === null || co2eGrams === undefined ? "—" : `${co2eGrams.toPrecision(3)} gCO2e`;

/** The CO2e of `energyWh` at `g`, as gramsText; "—" without energy. */
export function co2eText(energyWh: number | null, g: GridIntensity): string {
  return gramsText(energyWh === null ? null : co2eG(energyWh, g.intensityGCo2ePerKwh));
}
