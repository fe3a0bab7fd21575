import { once } from 'node:events'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { httpFetch } from './http-transport.js'

const PARTS = ['first line\n', 'second line\n', 'third line\n']

describe('httpFetch', () => {
  let server: http.Server
  let origin: string

  beforeAll(async () => {
    // Writes its parts one event-loop turn apart, so the client sees separate chunks.
    server = http.createServer((request, response) => {
      response.setHeader('set-cookie', ['a=1; Path=/', 'b=2; Path=/'])
      response.setHeader('x-method', request.method ?? '')
      const write = (index: number) => {
        if (index === PARTS.length) return response.end()
        response.write(PARTS[index])
        setImmediate(() => write(index + 1))
      }
      write(0)
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  const get = () =>
    httpFetch(`${origin}/`, {
      method: 'GET',
      headers: {},
      body: undefined,
      credentials: 'same-origin',
    })

  test('reads a whole body as text, with repeated headers joined like fetch', async () => {
    const response = await get()
    expect(response.ok).toBe(true)
    expect(response.headers.get('Set-Cookie')).toBe('a=1; Path=/, b=2; Path=/')
    expect(response.headers.get('x-missing')).toBeNull()
    expect(await response.text()).toBe(PARTS.join(''))
  })

  test('streams every chunk, those that came before the stream was asked for included', async () => {
    const response = await get()
    // Let the first parts arrive before anyone asks for the stream.
    await new Promise((resolve) => setImmediate(resolve))
    expect(response.body).toBe(response.body)
    const reader = response.body!.getReader()
    let text = ''
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      text += Buffer.from(value).toString('utf8')
    }
    expect(text).toBe(PARTS.join(''))
  })

  test('sends the method and body it is given', async () => {
    const response = await httpFetch(`${origin}/`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array([1, 2, 3]),
      credentials: 'same-origin',
    })
    expect(response.headers.get('x-method')).toBe('PUT')
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(
      new Uint8Array(Buffer.from(PARTS.join(''))),
    )
  })

  test('a server that is not there is an error, not a hang', async () => {
    const closed = http.createServer()
    closed.listen(0, '127.0.0.1')
    await once(closed, 'listening')
    const { port } = closed.address() as AddressInfo
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    await expect(
      httpFetch(`http://127.0.0.1:${port}/`, {
        method: 'GET',
        headers: {},
        body: undefined,
        credentials: 'same-origin',
      }),
    ).rejects.toThrow(/ECONNREFUSED/)
  })
})
