/** Fake /sys trees for sensor tests: a RAPL package whose counter advances at a known power. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface FakeRapl {
  root: string;
  stop(): void;
}

/**
 * A RAPL zone `intel-rapl:0` (package-0) under `root`, its counter advancing at `powerW` from
 * `startUj` and wrapping at `maxUj`; rewritten every `tickMs`.
 */
export function fakeRapl(
  root: string,
  powerW: number,
  opts: { startUj?: number; maxUj?: number; tickMs?: number } = {},
): FakeRapl {
  const zone = join(root, "sys/class/powercap/intel-rapl:0");
  mkdirSync(zone, { recursive: true });
  const maxUj = opts.maxUj ?? 262143328850;
  const start = opts.startUj ?? 1_000_000;
  writeFileSync(join(zone, "name"), "package-0\n");
  writeFileSync(join(zone, "max_energy_range_uj"), `${maxUj}\n`);
  const t0 = performance.now();
  const write = () => {
    const uj = Math.floor(start + powerW * 1e6 * ((performance.now() - t0) / 1000)) % maxUj;
    writeFileSync(join(zone, "energy_uj"), `${uj}\n`);
  };
  write();
  const timer = setInterval(write, opts.tickMs ?? 2);
  return { root, stop: () => clearInterval(timer) };
}

export function fakeHwmon(root: string, label: string, mv: number, ma: number): void {
  const dir = join(root, "sys/class/hwmon/hwmon3");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "name"), "ina3221\n");
  writeFileSync(join(dir, "in1_label"), `${label}\n`);
  writeFileSync(join(dir, "in1_input"), `${mv}\n`);
  writeFileSync(join(dir, "curr1_input"), `${ma}\n`);
}
