import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createConfig, lintFromString } from '@redocly/openapi-core'
import openapiTS, { astToString } from 'openapi-typescript'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from './test-support/harness.js'

describe('the OpenAPI document', () => {
  let server: TestServer
  let document: string
  beforeAll(async () => {
    server = await startTestServer('sqlite')
    document = (await server.app.inject({ method: 'GET', url: '/api/docs/json' })).body
  })
  afterAll(async () => {
    await server.close()
  })

  it('passes Redocly’s recommended rules with no error and no warning', async () => {
    const problems = await lintFromString({
      source: document,
      absoluteRef: 'openapi.json',
      config: await createConfig({ extends: ['recommended'] }),
    })
    const shown = problems.map(
      (p) => `${p.severity} ${p.ruleId}: ${p.message} @ ${p.location[0]?.pointer ?? ''}`,
    )
    expect(shown).toEqual([])
  })

  it('documents the open route’s passphrase_needed answer with what derives the proof', () => {
    type Response = {
      description: string
      content: Record<string, { schema: { properties: Record<string, unknown> } }>
    }
    const paths = (JSON.parse(document) as { paths: Record<string, Record<string, unknown>> }).paths
    const open = paths['/api/public/links/{id}/open']?.post as {
      responses: Record<string, Response>
    }
    const refused = open.responses['403']
    expect(refused?.description).toMatch(/`passphrase_needed`, with `passphrase`/)
    expect(refused?.description).toMatch(/`wrong_passphrase`, with `triesLeft`/)
    const error = refused?.content['application/json']?.schema.properties.error as {
      properties: Record<string, unknown>
    }
    expect(Object.keys(error.properties)).toEqual(['code', 'message', 'triesLeft', 'passphrase'])
  })

  it('generates a TypeScript client description that type-checks', async () => {
    const source = astToString(await openapiTS(document))
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealpost-openapi-'))
    try {
      const file = path.join(dir, 'api.ts')
      // A use of the generated types: the inbox answer and a path parameter by name.
      const use = `
type Inbox = paths['/api/messages/inbox']['get']['responses'][200]['content']['application/json']
export const first = (page: Inbox) => page.items[0]?.id
export type MessageId = paths['/api/messages/{id}']['get']['parameters']['path']['id']
export const op: keyof operations = 'getMessagesInbox'
`
      fs.writeFileSync(file, `${source}\n${use}`)
      const program = ts.createProgram([file], { strict: true, noEmit: true, skipLibCheck: true })
      const diagnostics = ts
        .getPreEmitDiagnostics(program)
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
      expect(diagnostics).toEqual([])
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
