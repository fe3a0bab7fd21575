import type { FastifyBaseLogger } from 'fastify'

/**
 * Emails that tell someone something happened (a link was opened, a message came). They are
 * sent after the change they tell of has committed and off the request's path: a slow or
 * failing mail server never delays or breaks what the visitor or sender did.
 */
export type Notices = {
  /** Starts `send` now without waiting for it; a failure is logged, never thrown. */
  post(send: () => Promise<void>, log: Pick<FastifyBaseLogger, 'error'>, what: string): void
  /** Resolves once every notice posted so far has been sent or has failed (tests, shutdown). */
  settled(): Promise<void>
}

export function createNotices(): Notices {
  const pending = new Set<Promise<void>>()
  return {
    post(send, log, what) {
      const sending = (async () => {
        try {
          await send()
        } catch (error) {
          log.error({ err: error }, `could not send ${what}`)
        }
      })()
      pending.add(sending)
      void sending.finally(() => pending.delete(sending))
    },
    async settled() {
      while (pending.size > 0) await Promise.all(pending)
    },
  }
}
