import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../../test-support/harness.js'

type Operation = {
  tags?: string[]
  summary?: string
  security?: Array<Record<string, string[]>>
  responses: Record<
    string,
    { content?: Record<string, { schema: { properties?: Record<string, unknown> } }> }
  >
}

// Client generators read the served document: what it says of the upload routes is their API.
describe('the OpenAPI document of uploads', () => {
  let server: TestServer
  let paths: Record<string, Record<string, Operation>>
  beforeAll(async () => {
    server = await startTestServer('sqlite')
    const response = await server.app.inject({ method: 'GET', url: '/api/docs/json' })
    paths = response.json<{ paths: typeof paths }>().paths
  })
  afterAll(async () => {
    await server.close()
  })

  it('documents staging chunks: its tag, summary, credentials and 204 answer', () => {
    const put = paths['/api/uploads/{blobId}/chunks/{index}']?.put
    expect(put?.tags).toEqual(['uploads'])
    expect(put?.summary).toMatch(/^Stage sealed 64 KiB chunks of a file/)
    expect(put?.security).toEqual([{ session: [], csrf: [] }])
    expect(Object.keys(put?.responses ?? {})).toContain('204')
    expect(Object.keys(put?.responses ?? {})).not.toContain('200')
  })

  it('documents my storage usage: its tag, summary, session and answer’s fields', () => {
    const get = paths['/api/uploads/usage']?.get
    expect(get?.tags).toEqual(['uploads'])
    expect(get?.summary).toMatch(/^My storage/)
    expect(get?.security).toEqual([{ session: [] }])
    const answer = get?.responses['200']?.content?.['application/json']?.schema.properties
    expect(Object.keys(answer ?? {}).sort()).toEqual(['quotaBytes', 'stagedBytes', 'vaultBytes'])
  })
})
