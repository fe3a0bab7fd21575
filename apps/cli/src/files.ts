import { mkdir, open, writeFile, type FileHandle } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import type { FileSource } from '@sealpost/core'
import { CommandError, formatBytes, terminalSafe, UsageError } from './output.js'

/** A file to attach, open for reading; `close` it once the message is sent (or not). */
export type AttachmentFile = FileSource & { path: string; close: () => Promise<void> }

/** Media types for common extensions; anything else goes as application/octet-stream. */
const MEDIA_TYPES: Record<string, string> = {
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.zip': 'application/zip',
  '.gz': 'application/gzip',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
}

/**
 * Opens `path` as an attachment. Its chunks are read on demand through the open handle, so a
 * large file is never held in memory whole, and a file swapped after opening is not sent.
 */
export async function openAttachment(path: string): Promise<AttachmentFile> {
  let handle: FileHandle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    throw fileError('read', path, error)
  }
  let size: number
  try {
    const stats = await handle.stat()
    if (!stats.isFile()) throw new CommandError(`cannot attach ${path}: not a file`, 'file_error')
    size = stats.size
  } catch (error) {
    await handle.close()
    throw error
  }
  const name = basename(path)
  return {
    path,
    name,
    type: MEDIA_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream',
    size,
    read: (offset, length) =>
      readExactly(handle, path, offset, Math.max(0, Math.min(length, size - offset))),
    close: () => handle.close(),
  }
}

async function readExactly(
  handle: FileHandle,
  path: string,
  offset: number,
  length: number,
): Promise<Uint8Array> {
  const buffer = new Uint8Array(length)
  let filled = 0
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, offset + filled)
    if (bytesRead === 0) {
      throw new CommandError(`${path} got shorter while it was being sent`, 'file_changed')
    }
    filled += bytesRead
  }
  return buffer
}

/** A UTF-8 text file, refused early when it cannot fit in `maxCharacters`. */
export async function readTextFile(path: string, maxCharacters: number): Promise<string> {
  let handle: FileHandle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    throw fileError('read', path, error)
  }
  try {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8 (a surrogate pair 4 for 2), plus a BOM.
    if ((await handle.stat()).size > maxCharacters * 3 + 3) {
      throw new UsageError(`${path} is longer than ${maxCharacters} characters`, 'invalid_input')
    }
    return decodeUtf8(await handle.readFile(), path)
  } catch (error) {
    if (error instanceof UsageError) throw error
    throw fileError('read', path, error)
  } finally {
    await handle.close()
  }
}

/** Strict UTF-8 (a binary file is an error, not mojibake); a leading BOM is dropped. */
export function decodeUtf8(bytes: Uint8Array, source: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new UsageError(`${source} is not UTF-8 text`, 'invalid_input')
  }
}

/**
 * Refuses files over the server's limits before anything is uploaded; `path` names each file
 * (a local path, or where it is in a vault), `per` names the whole.
 */
export function checkFileSizes(
  files: ReadonlyArray<{ path: string; size: number }>,
  limits: { maxFileBytes: number; maxMessageBytes: number },
  per: 'message' | 'link' | 'entry' = 'message',
): void {
  for (const file of files) {
    if (file.size > limits.maxFileBytes) {
      const [size, limit] = describeSizes(file.size, limits.maxFileBytes)
      throw new CommandError(
        `${file.path} is too large (${size}); the limit is ${limit} per file`,
        'payload_too_large',
      )
    }
  }
  const total = files.reduce((sum, file) => sum + file.size, 0)
  if (total > limits.maxMessageBytes) {
    const [size, limit] = describeSizes(total, limits.maxMessageBytes)
    throw new CommandError(
      `the ${per === 'message' ? 'attachments' : 'files'} together are too large (${size}); ` +
        `the limit is ${limit} per ${per}`,
      'payload_too_large',
    )
  }
}

/** "30.0 MiB" and "25.0 MiB"; exact bytes when rounding would make both read the same. */
function describeSizes(size: number, limit: number): [string, string] {
  const [rounded, roundedLimit] = [formatBytes(size), formatBytes(limit)]
  if (rounded !== roundedLimit) return [rounded, roundedLimit]
  const exact = (bytes: number) => `${bytes.toLocaleString('en-US')} bytes`
  return [exact(size), exact(limit)]
}

/** Longest file name, in UTF-8 bytes, that common file systems (ext4, APFS, NTFS) accept. */
const NAME_MAX_BYTES = 255

/**
 * A sender-chosen attachment name made safe to create in a directory: no path separators,
 * no `.`/`..` or hidden names, no control or bidirectional-override characters, no characters
 * Windows refuses, and at most 255 bytes. Never empty.
 */
export function safeFileName(name: string): string {
  const cleaned = terminalSafe(name)
    .replace(/[/\\<>:"|?*]/g, '_')
    .replace(/^[\s.]+/, '')
    .replace(/[\s.]+$/, '')
  if (cleaned === '') return 'attachment'
  let extension = extname(cleaned)
  if (Buffer.byteLength(extension) > 32) extension = ''
  const stem = Array.from(cleaned.slice(0, cleaned.length - extension.length))
  // Room for a " (999)" suffix added when the name is taken.
  while (stem.length > 1 && Buffer.byteLength(stem.join('') + extension) > NAME_MAX_BYTES - 6) {
    stem.pop()
  }
  return stem.join('') + extension
}

/** Creates the directory decrypted files are saved in (owner-only when it is new). */
export async function createDirectory(directory: string): Promise<void> {
  try {
    await mkdir(directory, { recursive: true, mode: 0o700 })
  } catch (error) {
    throw fileError('create', directory, error)
  }
}

/**
 * Writes a decrypted attachment into `directory` under its sanitized name, owner-readable only.
 * Never overwrites: a taken name gets " (2)", " (3)"… before the extension. Returns the path.
 */
export async function saveAttachment(
  directory: string,
  name: string,
  bytes: Uint8Array,
): Promise<string> {
  const safe = safeFileName(name)
  const extension = extname(safe)
  const stem = safe.slice(0, safe.length - extension.length)
  for (let copy = 1; copy < 1000; copy++) {
    const path = join(directory, copy === 1 ? safe : `${stem} (${copy})${extension}`)
    try {
      // 'wx' fails if the name exists, even if it appeared after we looked.
      await writeFile(path, bytes, { flag: 'wx', mode: 0o600 })
      return path
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw fileError('write', path, error)
    }
  }
  throw new CommandError(`too many files named ${safe} in ${directory}`, 'file_error')
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EEXIST: 'it already exists',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
}

/** One line naming the file and what went wrong with it, instead of Node's errno text. */
export function fileError(action: 'read' | 'write' | 'create', path: string, error: unknown) {
  const reason =
    REASONS[errorCode(error)] ?? (error instanceof Error ? error.message : String(error))
  return new CommandError(`cannot ${action} ${path}: ${reason}`, 'file_error')
}

function errorCode(error: unknown): string {
  return error instanceof Error && 'code' in error ? String(error.code) : ''
}
