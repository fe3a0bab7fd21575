import { UsageError } from './output.js'
import { readStdinBytes } from './stdin.js'

/**
 * Fails unless the command was given `--password-stdin`: passwords never come from argv,
 * where other local users can read them in the process list.
 */
export function requirePasswordStdin(isGiven: boolean | undefined, commandName: string): void {
  if (!isGiven) {
    throw new UsageError(
      `${commandName} needs the password on stdin: add --password-stdin ` +
        `(e.g. \`sealpost ${commandName} … --password-stdin < password.txt\`)`,
    )
  }
}

/**
 * Reads the password: all of stdin minus one trailing newline when piped, or one line
 * typed without echo when stdin is a terminal.
 */
export function readPasswordFromStdin(input: NodeJS.ReadStream = process.stdin): Promise<string> {
  return readSecretFromStdin('password', input)
}

/** Like readPasswordFromStdin, for any secret: `noun` names it in the prompt and errors. */
export async function readSecretFromStdin(
  noun: 'password' | 'passphrase' | 'new password' | 'recovery code',
  input: NodeJS.ReadStream = process.stdin,
): Promise<string> {
  const text = input.isTTY
    ? await readHiddenLine(input, `${noun[0]?.toUpperCase()}${noun.slice(1)}: `)
    : (await readStdinBytes(input)).toString('utf8')
  const secret = text.endsWith('\r\n')
    ? text.slice(0, -2)
    : text.endsWith('\n')
      ? text.slice(0, -1)
      : text
  if (secret === '') throw new UsageError(`the ${noun} on stdin is empty`)
  return secret
}

function readHiddenLine(input: NodeJS.ReadStream, prompt: string): Promise<string> {
  process.stderr.write(prompt)
  input.setRawMode(true)
  input.setEncoding('utf8')
  return new Promise((resolve, reject) => {
    let characters: string[] = []
    const finish = (error?: Error) => {
      input.off('data', onData)
      input.setRawMode(false)
      input.pause()
      process.stderr.write('\n')
      if (error) reject(error)
      else resolve(characters.join(''))
    }
    const onData = (chunk: string) => {
      for (const character of chunk) {
        // Enter or Ctrl-D ends the line; Ctrl-C cancels; Backspace/Delete removes one character.
        if (character === '\r' || character === '\n' || character === '\u0004') return finish()
        if (character === '\u0003') return finish(new UsageError('cancelled', 'cancelled'))
        if (character === '\u007f' || character === '\b') characters = characters.slice(0, -1)
        else characters.push(character)
      }
    }
    input.on('data', onData)
    input.resume()
  })
}

/**
 * Reads several secrets, one per line (e.g. the current password, then the new one): the
 * first lines of piped stdin, or one hidden prompt per secret at a terminal. Every line must be
 * there and non-empty; what follows them is ignored.
 */
export async function readSecretLinesFromStdin(
  nouns: readonly string[],
  input: NodeJS.ReadStream = process.stdin,
): Promise<string[]> {
  if (input.isTTY) {
    const answers: string[] = []
    for (const noun of nouns) {
      const line = await readHiddenLine(input, `${noun[0]?.toUpperCase()}${noun.slice(1)}: `)
      if (line === '') throw new UsageError(`the ${noun} is empty`)
      answers.push(line)
    }
    return answers
  }
  const lines = (await readStdinBytes(input)).toString('utf8').split('\n')
  return nouns.map((noun, index) => {
    const line = (lines[index] ?? '').replace(/\r$/, '')
    if (line === '') {
      throw new UsageError(
        `stdin must hold ${nouns.length} lines (${nouns.join(', then ')}); the ${noun} is missing`,
      )
    }
    return line
  })
}
