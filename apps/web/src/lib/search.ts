/** Lower case without accents, so "resume" finds "Résumé". */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLocaleLowerCase()
}

/**
 * Whether `text` holds every word of `query`, in any order, ignoring case and accents. A blank
 * query matches nothing: callers show everything then, not a search.
 */
export function holdsAllWords(query: string, text: string): boolean {
  const words = foldForSearch(query).split(/\s+/).filter(Boolean)
  if (words.length === 0) return false
  const folded = foldForSearch(text)
  return words.every((word) => folded.includes(word))
}

/** `path` with the search words as `?q=` (none when blank), so Back, reload and links keep them. */
export function withQuery(path: string, query: string): string {
  const q = query.trim() ? `?${new URLSearchParams({ q: query }).toString()}` : ''
  return path + q
}
