import { describe, expect, test } from 'vitest'
import { SealpostCommand } from './command.js'

const DASHED = '-r9ovvaIwQcw-jmD2FEY-g'

/** A program shaped like the CLI's: a global option, a value option, commands taking ids. */
function program(seen: { id?: string; to?: string; label?: string; json?: boolean }) {
  const root = new SealpostCommand('sealpost')
    .option('--json')
    .exitOverride()
    .configureOutput({ outputError: () => {} })
  const link = root.command('link')
  link
    .command('rm')
    .argument('<id>')
    .action((id: string) => {
      seen.id = id
      seen.json = root.opts<{ json?: boolean }>().json
    })
  link
    .command('email')
    .argument('<id>')
    .argument('<to>')
    .option('--label <label>')
    .action((id: string, to: string, options: { label?: string }) => {
      Object.assign(seen, { id, to, label: options.label })
    })
  return root
}

describe('ids that begin with a dash', () => {
  test('are read as the argument, with options before or after them', async () => {
    const seen: { id?: string; json?: boolean } = {}
    await program(seen).parseAsync(['link', 'rm', DASHED, '--json'], { from: 'user' })
    expect(seen).toEqual({ id: DASHED, json: true })
  })

  test('keep their place among several arguments and as an option value', async () => {
    const seen: { id?: string; to?: string; label?: string } = {}
    await program(seen).parseAsync(['link', 'email', '--label', DASHED, DASHED, 'a@example.com'], {
      from: 'user',
    })
    expect(seen).toEqual({ id: DASHED, to: 'a@example.com', label: DASHED })
  })

  test('an option of the same length is still the option', async () => {
    const seen: { id?: string; label?: string } = {}
    const root = program(seen)
    root.commands[0]!.commands[1]!.option('--no-allow-attachments')
    await root.parseAsync(['link', 'email', '--no-allow-attachments', DASHED, 'a@example.com'], {
      from: 'user',
    })
    expect(seen).toMatchObject({ id: DASHED, to: 'a@example.com' })
  })

  test('a word of another shape is still an unknown option', async () => {
    await expect(
      program({}).parseAsync(['link', 'rm', '-r9ovvaIwQcw', 'x'], { from: 'user' }),
    ).rejects.toThrow(/unknown option '-r9ovvaIwQcw'/)
  })
})
