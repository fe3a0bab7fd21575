import { UsageError } from './output.js'

type Schema<T> = {
  safeParse: (
    value: unknown,
  ) => { success: true; data: T } | { success: false; error: { issues: { message: string }[] } }
}

/**
 * Checks a command-line value with the same schema the server uses, so mistakes are
 * reported before any password is read or request sent.
 */
export function parseOption<T>(schema: Schema<T>, value: unknown, flag: string): T {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const reason = result.error.issues[0]?.message ?? 'invalid value'
  throw new UsageError(`${flag}: ${reason}`, 'invalid_input')
}

/** Collects a repeatable option: `--attach a --attach b` → ['a', 'b']. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value]
}
