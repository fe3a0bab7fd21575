/**
 * Hands decrypted bytes to the browser as a download. The type is always octet-stream so a
 * file that claims to be HTML is saved, never rendered in this origin.
 */
export function saveFile(bytes: Uint8Array, name: string): void {
  const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' })
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = name
  link.rel = 'noopener'
  link.style.display = 'none'
  document.body.append(link)
  link.click()
  link.remove()
  // The download has started by now; give slow browsers a minute before freeing the bytes.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
