/** GGUF files: the bytes of synthetic llama models, a header decoder, bytes per token. */
export {
  GgufValueType,
  GgmlType,
  GGML_BLOCK,
  WRITABLE_QUANTS,
  GGUF_FILE_TYPE,
  ggmlTypeName,
  ggmlTensorBytes,
} from "./types.js";
export type { GgmlTypeName, WritableQuant } from "./types.js";
export { toHalfBits, fromHalfBits, roundToHalf } from "./half.js";
export { quantizeQ8_0, quantizeQ4_0, dequantizeQ8_0, dequantizeQ4_0, encodeF16, encodeF32 } from "./quantize.js";
export { encodeGgufHeader, layoutTensors } from "./header.js";
export type { GgufArray, GgufScalar, GgufMetadataEntry, GgufTensorInfo } from "./header.js";
export { validateSpec, planTensors, specParameterCount, headDimOf } from "./spec.js";
export type { SyntheticModelSpec, PlannedTensor } from "./spec.js";
export { syntheticVocab } from "./vocab.js";
export type { SyntheticVocab } from "./vocab.js";
export { catalogArchitecture, scaledSpec } from "./architectures.js";
export { syntheticMetadata, syntheticLayout, syntheticTensorChunks } from "./synthetic.js";
export type { SyntheticLayout, SyntheticChunk } from "./synthetic.js";
export { parseGgufHeader, bufferSource, metaValue, metaNumber } from "./reader.js";
export type { ByteSource, GgufHeader, GgufTensor, GgufMetadataValue } from "./reader.js";
// The file ends live in io/gguf/ (only io/, pipeline/ and cli/ touch the disk). Re-exported here
// for now so the modules of other folders that import them from this barrel keep working;
// import them from io/gguf/ in new code.
export { writeSyntheticGguf } from "../io/gguf/writer.js";
export type { WriteProgress, WrittenGguf } from "../io/gguf/writer.js";
export { readGgufHeader } from "../io/gguf/reader.js";
export { tokenTraffic } from "./traffic.js";
export type { TokenTraffic } from "./traffic.js";
