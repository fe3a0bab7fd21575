import { startServerProcess } from '@sealpost/test-support'
import { describe, expect, it } from 'vitest'

describe('the start log', () => {
  it('names the address actually bound and the public URL links are made with', async () => {
    // Bound to loopback, reached by users as another name: the log must not blur the two.
    const server = await startServerProcess({
      builds: ['packages/core', 'apps/server'],
      logLevel: 'info',
      hostname: 'sealpost.test',
    })
    try {
      const port = new URL(server.url).port
      expect(server.log()).toContain(
        `Sealpost is listening on http://127.0.0.1:${port}; public URL http://sealpost.test:${port} (`,
      )
    } finally {
      await server.stop()
    }
  })
})
