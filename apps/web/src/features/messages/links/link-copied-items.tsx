import type { CopiedItem, OpenedLink } from '@sealpost/core'
import { useTranslation } from 'react-i18next'
import { en } from '../../../i18n/en'
import { addWords } from '../../../i18n/public-i18n'
import { CopiedItems } from '../vault-copy/copied-items'
import { useLinkDownloads } from '../vault-copy/use-copied-downloads'

// The tree and its read-only dialog speak the app's words: the public page's dictionary grows
// to all of them once this part loads (the public bundle starts with its own pages' words).
addWords(en)

/**
 * The vault items a link carries (S21), loaded by the public link page only when there are
 * some: the tree and its dialog are the app's React Aria components.
 */
export default function LinkCopiedItems({
  tree,
  files,
}: {
  tree: readonly CopiedItem[]
  files: OpenedLink['files']
}) {
  const { t } = useTranslation()
  const downloads = useLinkDownloads(files)
  return (
    <CopiedItems tree={tree} downloads={downloads} readOnlyNote={t('vaultCopy.readOnlyLink')} />
  )
}
