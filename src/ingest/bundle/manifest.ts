/** The bundle manifest's schema and reader live in io/manifest.ts; this keeps the ingest imports working. */
export {
  BUNDLE_SCHEMA,
  MANIFEST_NAME,
  decodeManifest,
  loadManifest,
  manifestSchema,
  validateManifest,
  type BundleManifest,
  type LoadedManifest,
} from "../../io/manifest.js";
