import { ApiError, type EmailLinkResponse } from '@sealpost/core'
import type { Context } from './context.js'
import { CommandError, explainError, terminalSafe } from './output.js'

export type Deliveries = EmailLinkResponse['results']

/**
 * Has the server email a link (a shared link or a request for a secret). Should the server
 * refuse as a whole (4xx: nothing was sent), `undo` takes back what nobody received and the
 * error says so; when the answer is lost, the emails may have gone out, so it stays.
 */
export async function emailOrUndo(
  context: Context,
  send: () => Promise<Deliveries>,
  what: { undo: () => Promise<unknown>; undone: string; kept: string },
): Promise<Deliveries> {
  try {
    return await send()
  } catch (error) {
    const { message, code } = explainError(error, context.server)
    const isRefused = error instanceof ApiError && error.status >= 400 && error.status < 500
    if (isRefused && (await succeeds(what.undo))) {
      throw new CommandError(`no email was sent: ${message}; ${what.undone}`, code)
    }
    throw new CommandError(`the emails may not have been sent: ${message}; ${what.kept}`, code)
  }
}

async function succeeds(action: () => Promise<unknown>): Promise<boolean> {
  try {
    await action()
    return true
  } catch {
    return false
  }
}

/** "sent to a@x" and "FAILED b@y: reason", one line per address. */
export function describeDeliveries(results: Deliveries): string {
  return results
    .map((result) =>
      result.ok
        ? `sent to ${terminalSafe(result.to)}`
        : `FAILED ${terminalSafe(result.to)}: ${terminalSafe(result.error ?? 'delivery failed')}`,
    )
    .join('\n')
}
