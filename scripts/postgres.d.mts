// Types for postgres.mjs, so TypeScript tests and configs can import it.

export type RunningPostgres = {
  /** postgres://sealpost@127.0.0.1:<port>/sealpost_test */
  url: string
  /** Stops the server (immediate mode) and deletes its data dir. */
  stop: () => Promise<void>
}

export function startPostgres(options?: {
  log?: (message: string) => void
}): Promise<RunningPostgres>

/** Creates a database on the server behind `url`, empty or a copy of `template`; returns its URL. */
export function createDatabase(
  url: string,
  name: string,
  options?: { template?: string },
): Promise<string>

/** The databases tests run on: both, unless SEALPOST_TEST_DIALECTS narrows them (not in CI). */
export function testDialects(env?: NodeJS.ProcessEnv): Array<'sqlite' | 'postgres'>
