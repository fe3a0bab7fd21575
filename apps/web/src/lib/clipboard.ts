import { useCallback } from 'react'
import { useTranslation } from 'react-i18next'
import { showToast } from '../ui/toast'

/*
 * Copying a secret: it leaves the clipboard after 30 seconds, unless the user has copied
 * something else meanwhile (checked where the browser lets us read the clipboard without
 * asking; where it would ask, we clear without looking rather than prompt out of the blue).
 */

export const CLEAR_AFTER_MS = 30_000

let pending: ReturnType<typeof setTimeout> | undefined

async function canReadClipboard(): Promise<boolean> {
  try {
    const status = await navigator.permissions.query({ name: 'clipboard-read' as PermissionName })
    return status.state === 'granted'
  } catch {
    return false
  }
}

async function clearIfStill(text: string): Promise<void> {
  if (await canReadClipboard()) {
    try {
      if ((await navigator.clipboard.readText()) !== text) return
    } catch {
      // Unreadable after all (the page lost focus): clear below.
    }
  }
  try {
    await navigator.clipboard.writeText('')
  } catch {
    // Browsers refuse clipboard writes from a page without focus: clear when it is back.
    window.addEventListener('focus', () => void clearIfStill(text), { once: true })
  }
}

export async function copyWithClear(text: string): Promise<void> {
  await navigator.clipboard.writeText(text)
  clearTimeout(pending)
  pending = setTimeout(() => void clearIfStill(text), CLEAR_AFTER_MS)
}

/** Copies a value and says so: "Copied — clears in 30 s", or what went wrong. */
export function useCopy(): (text: string, what?: string) => Promise<void> {
  const { t } = useTranslation()
  return useCallback(
    async (text, what) => {
      try {
        await copyWithClear(text)
        showToast({
          tone: 'success',
          title: what ? t('vault.copiedWhat', { what }) : t('vault.copied'),
        })
      } catch {
        showToast({ tone: 'error', title: t('vault.copyFailed') })
      }
    },
    [t],
  )
}
