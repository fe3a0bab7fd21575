import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { safeFileName, saveAttachment } from './files.js'

describe('safeFileName', () => {
  test.each([
    ['report.pdf', 'report.pdf'],
    ['../../.ssh/authorized_keys', '_.._.ssh_authorized_keys'],
    ['..\\..\\windows\\evil.exe', '_.._windows_evil.exe'],
    ['..', 'attachment'],
    ['.', 'attachment'],
    ['', 'attachment'],
    ['.bashrc', 'bashrc'],
    ['name. ', 'name'],
    ['a\u0000b\u001b[31mc.txt', 'ab[31mc.txt'],
    ['invoice\u202etxt.exe', 'invoicetxt.exe'],
    ['line\nbreak.txt', 'line break.txt'],
    ['what?<now>:"|*.txt', 'what__now_____.txt'],
  ])('%j becomes %j', (name, safe) => {
    expect(safeFileName(name)).toBe(safe)
  })

  test('keeps the extension and stays within 255 bytes, leaving room for " (n)"', () => {
    const safe = safeFileName(`${'é'.repeat(300)}.pdf`)
    expect(safe.endsWith('.pdf')).toBe(true)
    expect(Buffer.byteLength(safe)).toBeLessThanOrEqual(249)
  })
})

describe('saveAttachment', () => {
  let directory = ''
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'sealpost-cli-save-'))
  })
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true })
  })

  test('never overwrites, never leaves the directory, and is owner-readable only', async () => {
    const first = await saveAttachment(directory, 'notes.txt', new TextEncoder().encode('one'))
    const second = await saveAttachment(directory, 'notes.txt', new TextEncoder().encode('two'))
    const third = await saveAttachment(directory, '../notes.txt', new TextEncoder().encode('3'))
    expect([first, second, third]).toEqual([
      join(directory, 'notes.txt'),
      join(directory, 'notes (2).txt'),
      join(directory, '_notes.txt'),
    ])
    expect(await readFile(first, 'utf8')).toBe('one')
    expect(await readFile(second, 'utf8')).toBe('two')
    expect((await readdir(directory)).sort()).toEqual(['_notes.txt', 'notes (2).txt', 'notes.txt'])
    expect((await stat(first)).mode & 0o777).toBe(0o600)
  })
})
