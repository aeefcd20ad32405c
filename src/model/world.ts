import { findDevice, type DeviceCatalog } from "../catalog/devices.js";
import { findModel, type ModelCatalog, type ModelSpec, type TokenizerFamily } from "../catalog/models.js";
import type { QuantCatalog } from "../catalog/quantization.js";
import { findFileType, type QuantFamily } from "../catalog/quantization.js";
import { hardwareOf, type Hardware } from "./hardware.js";
import { modelPhysics, type ModelPhysics } from "./physics.js";
import { inventoryFromArchitecture } from "./tensors.js";
import type { Observation } from "./observations.js";
import { platformOf } from "./observations.js";

/**
 * Everything fixed that the fit needs for each observation: the hardware of its platform, the
 * physics of its model at its quantization, and its tokenizer family.
 */
export interface World {
  hardware: Map<string, Hardware>;
  physics: Map<string, ModelPhysics>;
  tokenizer: Map<string, TokenizerFamily>;
  quantFamily: Map<string, QuantFamily>;
  /** Real parameter count per model id. */
  parameters: Map<string, number>;
}

export const modelKey = (model: string, quant: string): string => `${model}@${quant}`;

export function buildWorld(
  obs: readonly Observation[],
  devices: DeviceCatalog,
  models: ModelCatalog,
  quants: QuantCatalog,
  extraModels: ModelSpec[] = [],
): World {
  const w: World = {
    hardware: new Map(),
    physics: new Map(),
    tokenizer: new Map(),
    quantFamily: new Map(),
    parameters: new Map(),
  };
  for (const o of obs) {
    const pid = platformOf(o);
    if (!w.hardware.has(pid)) w.hardware.set(pid, hardwareOf(findDevice(devices, o.device), o.backend, o.powerMode));
    const key = modelKey(o.model, o.quant);
    if (!w.physics.has(key)) {
      const spec = extraModels.find((m) => m.id === o.model) ?? findModel(models, o.model);
      w.physics.set(
        key,
        modelPhysics(inventoryFromArchitecture(spec.architecture, o.quant, quants), spec.architecture),
      );
      w.tokenizer.set(o.model, spec.tokenizer.family);
      w.parameters.set(o.model, spec.parameters.count);
    }
    w.quantFamily.set(o.quant, findFileType(quants, o.quant).family);
  }
  return w;
}
