import Fastify from 'fastify'
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { serializerCompiler, shapeOnly } from './serializer.js'

const Person = z.object({
  id: z.uuid(),
  name: z.string().min(1),
  manager: z.object({ id: z.uuid() }).nullable(),
  seenAt: z.iso.datetime().nullable(),
  kind: z.discriminatedUnion('type', [
    z.object({ type: z.literal('member'), groups: z.array(z.string()) }),
    z.object({ type: z.literal('guest'), until: z.iso.datetime() }),
  ]),
})

async function appAnswering(schema: z.ZodType, value: unknown) {
  const app = Fastify().withTypeProvider<ZodTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.get('/it', { schema: { response: { 200: schema } } }, () => value as never)
  await app.ready()
  return app
}

const id = '5f0c6a3e-8a5b-4c4e-9d1e-2b7f3c9a1d20'

describe('the response serializer', () => {
  it('writes only what the schema names: a column the query also read does not leak', async () => {
    const app = await appAnswering(Person, {
      id,
      name: 'Ada',
      passwordHash: 'must not leave the server',
      manager: { id, email: 'nor this' },
      seenAt: null,
      kind: { type: 'member', groups: ['ops'], secret: 'nor this' },
    })
    const response = await app.inject('/it')
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({
      id,
      name: 'Ada',
      manager: { id },
      seenAt: null,
      kind: { type: 'member', groups: ['ops'] },
    })
  })

  it('keeps nulls and picks the branch of a union the value belongs to', async () => {
    const guest = {
      id,
      name: 'Bo',
      manager: null,
      seenAt: '2026-12-05T10:00:00.000Z',
      kind: { type: 'guest', until: '2026-12-31T00:00:00.000Z' },
    }
    const app = await appAnswering(Person, guest)
    expect((await app.inject('/it')).json()).toEqual(guest)
  })

  it('refuses an answer that lacks a required property instead of sending half of it', async () => {
    const app = await appAnswering(Person, { id, manager: null, seenAt: null })
    expect((await app.inject('/it')).statusCode).toBe(500)
  })

  it('leaves a schema JSON cannot express to zod, which encodes it', async () => {
    const app = await appAnswering(z.object({ at: z.date() }), {
      at: new Date('2026-12-05T10:00:00.000Z'),
    })
    expect((await app.inject('/it')).json()).toEqual({ at: '2026-12-05T10:00:00.000Z' })
  })
})

describe('shapeOnly', () => {
  it('drops the checks, keeps the shape and spells X | null as nullable', () => {
    const schema = z.toJSONSchema(z.object({ when: z.iso.datetime().nullable() }), {
      target: 'draft-07',
    })
    expect(shapeOnly(schema)).toEqual({
      type: 'object',
      properties: { when: { type: 'string', nullable: true } },
      required: ['when'],
    })
  })

  it('keeps a property that is named like a check', () => {
    const schema = z.toJSONSchema(z.object({ pattern: z.string(), format: z.number() }), {
      target: 'draft-07',
    })
    expect(shapeOnly(schema)).toMatchObject({
      properties: { pattern: { type: 'string' }, format: { type: 'number' } },
    })
  })
})
