import { formatBytes } from './output.js'

export type Progress = {
  /** Shows how far along the transfer is. */
  update: (doneBytes: number, totalBytes: number) => void
  /** Ends the progress line; call it whether the transfer succeeded or not. */
  finish: () => void
}

/**
 * A one-line progress display on stderr, or nothing when stderr is not a terminal (a pipe, a
 * log file, a test), where repeated carriage returns would only add noise.
 */
export function progressOnStderr(label: string): Progress {
  if (!process.stderr.isTTY) return { update: () => {}, finish: () => {} }
  let isShown = false
  return {
    update: (doneBytes, totalBytes) => {
      const percent = totalBytes === 0 ? 100 : Math.floor((doneBytes / totalBytes) * 100)
      // \r returns to the line start, ESC[K clears what a longer previous line left behind.
      process.stderr.write(
        `\r${label}: ${percent}% (${formatBytes(doneBytes)} of ${formatBytes(totalBytes)})\u001b[K`,
      )
      isShown = true
    },
    finish: () => {
      if (isShown) process.stderr.write('\n')
      isShown = false
    },
  }
}
