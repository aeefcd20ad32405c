/**
 * Writing what the probe and the sweep measured: probe.json, a device spec in the catalog's format,
 * and a sweep's DIR/sweep.json, DIR/sweep.csv and DIR/probe.json. Atomic, two-space JSON.
 */
import { join } from "node:path";
import type { DeviceSpec } from "../../catalog/devices.js";
import { writeFileAtomic } from "../../io/atomic-write.js";
import { formatSweepCsv, probeToWire, sweepDocumentToWire, type SweepDocument } from "../../io/probe/files.js";
import type { ProbeResult } from "../../probe/probe.js";

const json = (value: unknown): string => JSON.stringify(value, null, 2) + "\n";

export function writeProbeFile(path: string, probe: ProbeResult): void {
  writeFileAtomic(path, json(probeToWire(probe)));
}

/** A device spec as a catalog entry file (`{ schemaVersion: 1, device }`). */
export function writeDeviceSpecFile(path: string, device: DeviceSpec): void {
  writeFileAtomic(path, json({ schemaVersion: 1, device }));
}

/** DIR/sweep.json, DIR/sweep.csv, and DIR/probe.json when the sweep probed. */
export function writeSweepOutputs(dir: string, doc: SweepDocument): void {
  writeFileAtomic(join(dir, "sweep.json"), json(sweepDocumentToWire(doc)));
  if (doc.probe) writeProbeFile(join(dir, "probe.json"), doc.probe);
  writeFileAtomic(join(dir, "sweep.csv"), formatSweepCsv(doc.points));
}
