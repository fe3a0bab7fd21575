import { Writable } from 'node:stream'
import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { AppError, parseClientMessage, registerErrorHandler } from './errors.js'

type LogLine = { level: number; msg: string; err?: { type: string; message: string } }

/** A Fastify app logging at debug into `lines`, with Sealpost's error handler. */
function appLoggingTo(lines: LogLine[]) {
  const app = Fastify({
    logger: {
      level: 'debug',
      stream: new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(JSON.parse(chunk.toString()) as LogLine)
          done()
        },
      }),
    },
  })
  registerErrorHandler(app)
  return app
}

describe('a malformed protocol message from a client', () => {
  it('is answered as invalid input naming what was malformed, its cause logged at debug', async () => {
    const lines: LogLine[] = []
    const app = appLoggingTo(lines)
    app.get('/login', (request) =>
      parseClientMessage(request.log, 'login request', () => {
        throw new RangeError('bad point encoding')
      }),
    )
    const response = await app.inject({ method: 'GET', url: '/login' })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toEqual({
      error: { code: 'invalid_input', message: 'malformed login request' },
    })
    const logged = lines.find((line) => line.msg === 'malformed login request')
    expect(logged).toMatchObject({
      level: 20,
      err: { type: 'RangeError', message: 'bad point encoding' },
    })
    await app.close()
  })

  it('passes what the parser read through when it is well-formed', () => {
    const lines: LogLine[] = []
    const app = appLoggingTo(lines)
    expect(parseClientMessage(app.log, 'login request', () => 'parsed')).toBe('parsed')
    expect(lines).toEqual([])
    expect(() =>
      parseClientMessage(app.log, 'login request', () => {
        throw new Error('x')
      }),
    ).toThrow(AppError)
  })
})

describe('an unhandled error', () => {
  it('is logged with the error itself, so the bug can be found', async () => {
    const lines: LogLine[] = []
    const app = appLoggingTo(lines)
    app.get('/bug', () => {
      throw new TypeError('cannot read properties of undefined')
    })
    const response = await app.inject({ method: 'GET', url: '/bug' })
    expect(response.statusCode).toBe(500)
    expect(lines.find((line) => line.msg === 'unhandled error')).toMatchObject({
      level: 50,
      err: { type: 'TypeError', message: 'cannot read properties of undefined' },
    })
    await app.close()
  })
})
