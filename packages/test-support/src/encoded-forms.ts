/**
 * The base64 text of `bytes` as it appears inside a longer encoded value: for each of the
 * three alignments, only the characters that depend on `bytes` alone.
 */
function base64Inside(bytes: Buffer, encoding: 'base64' | 'base64url'): string[] {
  return [0, 1, 2].map((shift) => {
    const text = Buffer.concat([Buffer.alloc(shift), bytes, Buffer.alloc(2)]).toString(encoding)
    return text.slice(Math.ceil((shift * 8) / 6), Math.floor(((shift + bytes.length) * 8) / 6))
  })
}

/** Every form a secret could be stored or logged in, by name. */
export function encodedForms(secret: string | Uint8Array): Array<[string, Buffer]> {
  const bytes = Buffer.from(typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret)
  const forms: Array<[string, Buffer]> = [
    ['raw', bytes],
    ['hex', Buffer.from(bytes.toString('hex'))],
    ['HEX', Buffer.from(bytes.toString('hex').toUpperCase())],
    ...base64Inside(bytes, 'base64').map((t, i): [string, Buffer] => [
      `base64/${i}`,
      Buffer.from(t),
    ]),
    ...base64Inside(bytes, 'base64url').map((t, i): [string, Buffer] => [
      `base64url/${i}`,
      Buffer.from(t),
    ]),
  ]
  if (typeof secret === 'string') {
    forms.push(['utf-16le', Buffer.from(secret, 'utf16le')])
    forms.push(['utf-16be', Buffer.from(secret, 'utf16le').swap16()])
  }
  return forms
}

/** The names of the forms of `secret` found in `haystack`. */
export function formsFound(haystack: Buffer, secret: string | Uint8Array): string[] {
  return encodedForms(secret)
    .filter(([, form]) => haystack.includes(form))
    .map(([name]) => name)
}
