import type { CopiedItem, OpenedLink } from '@sealpost/core'
import '../../../lib/zod-jitless'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import LinkCopiedItems from './link-copied-items'

/**
 * The copied vault items of a link as an island on React itself (vite.island.config.ts): the
 * tree and its dialog are the app's React Aria components, which need React, while the public
 * page around them runs on Preact. The page imports this file's build by URL only when a link
 * carries items. Returns the unmount.
 */
export function mountLinkItems(
  element: HTMLElement,
  props: { tree: readonly CopiedItem[]; files: OpenedLink['files'] },
): () => void {
  const root = createRoot(element)
  root.render(
    <StrictMode>
      <LinkCopiedItems {...props} />
    </StrictMode>,
  )
  return () => root.unmount()
}
