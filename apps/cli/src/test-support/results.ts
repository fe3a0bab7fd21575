import { expect } from 'vitest'
import type { CliResult } from './cli.js'

/** The status, with stdout and stderr in the failure message so a broken run explains itself. */
export function expectStatus(result: CliResult, status: number): void {
  expect(result.status, `stdout: ${result.stdout}\nstderr: ${result.stderr}`).toBe(status)
}

/** stdout of a successful `--json` run. */
export function parseJson(result: CliResult): unknown {
  expectStatus(result, 0)
  return JSON.parse(result.stdout) as unknown
}
