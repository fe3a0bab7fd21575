/** All of stdin as bytes, until end of input (Ctrl-D at a terminal). */
export async function readStdinBytes(input: NodeJS.ReadStream = process.stdin): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of input) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer))
  }
  return Buffer.concat(chunks)
}
