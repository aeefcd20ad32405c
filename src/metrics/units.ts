/** Unit conversions. Each says what it converts in its name. */
export const SECONDS_PER_HOUR = 3600;

/** Watt-hours to joules (× 3600). */
export const whToJ = (energyWh: number): number => energyWh * SECONDS_PER_HOUR;
/** Joules to watt-hours (÷ 3600). */
export const jToWh = (energyJ: number): number => energyJ / SECONDS_PER_HOUR;
/** Milliseconds to seconds. */
export const msToS = (ms: number): number => ms / 1000;
/** Nanoseconds to seconds. */
export const nsToS = (ns: number): number => ns / 1e9;
