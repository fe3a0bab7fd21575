import { Writable } from 'node:stream'
import Fastify from 'fastify'
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { AppError, registerErrorHandler } from './errors.js'

/** An error as a plugin or Fastify itself throws it, with an HTTP status attached. */
function withStatus(message: string, statusCode: number): Error {
  return Object.assign(new Error(message), { statusCode })
}

describe('the error handler', () => {
  let logged: Array<{ level: number; msg: string }>
  const app = () => {
    const instance = Fastify({
      logger: {
        level: 'info',
        stream: new Writable({
          write(chunk: Buffer, _encoding, done) {
            logged.push(JSON.parse(chunk.toString()) as { level: number; msg: string })
            done()
          },
        }),
      },
    }).withTypeProvider<ZodTypeProvider>()
    instance.setValidatorCompiler(validatorCompiler)
    instance.setSerializerCompiler(serializerCompiler)
    registerErrorHandler(instance)
    instance.get('/limited', () => {
      throw new AppError('rate_limited', 'too many tries; try again in 7 s', { retryAfter: 7 })
    })
    instance.get('/passphrase/:left', (request) => {
      const { left } = request.params as { left: string }
      throw new AppError('wrong_passphrase', 'wrong passphrase', { triesLeft: Number(left) })
    })
    instance.get('/missing', () => {
      throw new AppError('not_found', 'no such message')
    })
    instance.post(
      '/validated',
      { schema: { body: z.object({ name: z.string(), nested: z.object({ n: z.number() }) }) } },
      () => ({ ok: true }),
    )
    instance.post('/small', { bodyLimit: 10 }, () => ({ ok: true }))
    instance.get('/status/:code', (request) => {
      const { code } = request.params as { code: string }
      throw withStatus(`plugin said ${code}`, Number(code))
    })
    instance.get('/bug', () => {
      throw new TypeError('cannot read properties of undefined')
    })
    return instance
  }
  let server: ReturnType<typeof app>
  beforeEach(() => {
    logged = []
    server = app()
  })
  afterEach(async () => {
    await server.close()
  })

  it('answers an AppError with its code’s status, its message and Retry-After when given', async () => {
    const limited = await server.inject({ method: 'GET', url: '/limited' })
    expect(limited.statusCode).toBe(429)
    expect(limited.headers['retry-after']).toBe('7')
    expect(limited.json()).toEqual({
      error: { code: 'rate_limited', message: 'too many tries; try again in 7 s' },
    })
    const missing = await server.inject({ method: 'GET', url: '/missing' })
    expect(missing.statusCode).toBe(404)
    expect(missing.headers['retry-after']).toBeUndefined()
    expect(missing.json()).toEqual({ error: { code: 'not_found', message: 'no such message' } })
  })

  it('tells a wrong passphrase how many tries are left, down to none', async () => {
    // The last wrong try answers 0 (the link is destroyed then): 0 is sent, not dropped as falsy.
    for (const left of [3, 0]) {
      const response = await server.inject({ method: 'GET', url: `/passphrase/${left}` })
      expect(response.statusCode).toBe(403)
      expect(response.json()).toEqual({
        error: { code: 'wrong_passphrase', message: 'wrong passphrase', triesLeft: left },
      })
    }
  })

  it('names every invalid field of a request, by its dotted path', async () => {
    const response = await server.inject({
      method: 'POST',
      url: '/validated',
      payload: { nested: { n: 'one' } },
    })
    expect(response.statusCode).toBe(400)
    const { error } = response.json<{ error: { code: string; message: string } }>()
    expect(error.code).toBe('invalid_input')
    const parts = error.message.split('; ')
    expect(parts).toHaveLength(2)
    // Each with the validator's own words: what was expected and what came.
    expect(parts[0]).toMatch(/^name: .*expected string, received undefined/)
    expect(parts[1]).toMatch(/^nested\.n: .*expected number, received string/)
  })

  it('gives a body that is not an object the validator’s message alone', async () => {
    const response = await server.inject({
      method: 'POST',
      url: '/validated',
      headers: { 'content-type': 'application/json' },
      payload: '"just text"',
    })
    expect(response.statusCode).toBe(400)
    const { error } = response.json<{ error: { code: string; message: string } }>()
    expect(error.code).toBe('invalid_input')
    expect(error.message).not.toMatch(/^: /)
    expect(error.message).toMatch(/expected object, received string/)
  })

  it('answers a body over the limit with 413', async () => {
    const response = await server.inject({
      method: 'POST',
      url: '/small',
      payload: { text: 'more than ten bytes' },
    })
    expect(response.statusCode).toBe(413)
    expect(response.json()).toEqual({
      error: { code: 'payload_too_large', message: 'request body is too large' },
    })
  })

  it('keeps a plugin’s 4xx status and message, and turns its 429 into rate_limited', async () => {
    for (const code of [400, 404, 499]) {
      const response = await server.inject({ method: 'GET', url: `/status/${code}` })
      expect(response.statusCode).toBe(code)
      expect(response.json()).toEqual({
        error: { code: 'invalid_input', message: `plugin said ${code}` },
      })
    }
    const limited = await server.inject({ method: 'GET', url: '/status/429' })
    expect(limited.statusCode).toBe(429)
    expect(limited.json()).toEqual({ error: { code: 'rate_limited', message: 'plugin said 429' } })
    expect(logged.filter((line) => line.level >= 50)).toEqual([])
  })

  it('hides a bug or a 5xx behind one 500 and logs it as an error', async () => {
    for (const url of ['/bug', '/status/500', '/status/503', '/status/399']) {
      logged = []
      const response = await server.inject({ method: 'GET', url })
      expect(response.statusCode, url).toBe(500)
      expect(response.json()).toEqual({
        error: { code: 'internal', message: 'something went wrong on the server' },
      })
      expect(logged.filter((line) => line.level === 50).map((line) => line.msg)).toEqual([
        'unhandled error',
      ])
    }
  })
})

describe('AppError', () => {
  it('is an Error named AppError whose status comes from its code', () => {
    const error = new AppError('admin_only', 'administrators only')
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('AppError')
    expect(error.message).toBe('administrators only')
    expect(error.status).toBe(403)
    expect(error.retryAfter).toBeUndefined()
    expect(new AppError('rate_limited', 'wait', { retryAfter: 3 }).retryAfter).toBe(3)
  })
})
