/**
 * An in-memory DuckDB database for the length of one job: opened, handed to `fn`, always closed.
 * DuckDB's own error messages (`Parser Error: …`, `Catalog Error: …`) are kept word for word.
 */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";

export type { DuckDBConnection };

export interface DuckDbOptions {
  /**
   * Worker threads DuckDB may use (default: its own choice, every core). The Parquet writer uses 1:
   * with more, DuckDB's partitioned COPY orders rows differently from run to run (tested with 1.5.6).
   */
  threads?: number;
}

/** Runs `fn` with a connection to a fresh in-memory database, closing both afterwards. */
export async function withDuckDb<T>(fn: (c: DuckDBConnection) => Promise<T>, opts: DuckDbOptions = {}): Promise<T> {
  const config: Record<string, string> = opts.threads === undefined ? {} : { threads: String(opts.threads) };
  const instance = await DuckDBInstance.create(":memory:", config);
  try {
    const connection = await instance.connect();
    try {
      return await fn(connection);
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/** The message DuckDB gave (its first lines name the error's class and the SQL it points at). */
export const duckDbMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e)).trim();
