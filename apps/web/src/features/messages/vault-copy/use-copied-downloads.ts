import { CryptoError, type OpenedMessage, downloadAttachment } from '@sealpost/core'
import { useCallback, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api } from '../../../api'
import { errorMessage } from '../../../i18n/error-message'
import { showToast } from '../../../ui/toast'
import { saveFile } from '../../../lib/save-file'

/**
 * Downloads of the files of copied items: each is a message attachment (core's sendMessage
 * points the copied tree at them), decrypted here with the message key.
 * `progress` holds the percent of each download under way, by blob id.
 */
export function useCopiedDownloads(messageId: string, opened: OpenedMessage): CopiedDownloads {
  const { t } = useTranslation()
  const [progress, setProgress] = useState<ReadonlyMap<string, number>>(new Map())

  const download = useCallback(
    async (blobId: string, name: string) => {
      const attachment = opened.attachments.find((a) => a.blobId === blobId)
      if (!attachment) {
        showToast({ tone: 'error', title: t('vaultCopy.fileMissing', { name }) })
        return
      }
      const set = (percent: number | null) =>
        setProgress((current) => {
          const next = new Map(current)
          if (percent === null) next.delete(blobId)
          else next.set(blobId, percent)
          return next
        })
      set(0)
      try {
        const bytes = await downloadAttachment(api, messageId, opened, attachment, (received) =>
          set(Math.round((received / Math.max(1, attachment.size)) * 100)),
        )
        saveFile(bytes, name)
      } catch (error) {
        showToast({
          tone: 'error',
          title:
            error instanceof CryptoError
              ? t('messages.downloadTampered', { name })
              : t('messages.downloadFailed', { name, reason: errorMessage(t, error) }),
        })
      } finally {
        set(null)
      }
    },
    [messageId, opened, t],
  )

  return { progress, download }
}

/** How the copied items' files download: by blob id, with the percent of each under way. */
export type CopiedDownloads = {
  progress: ReadonlyMap<string, number>
  download: (blobId: string, name: string) => Promise<void>
}

const NO_PROGRESS: ReadonlyMap<string, number> = new Map()

/**
 * S21: the files of the items a shareable link carries. Opening the link brought and
 * decrypted every file already, so a download only saves those bytes: no request is made.
 */
export function useLinkDownloads(
  files: ReadonlyArray<{ blobId: string; bytes: Uint8Array }>,
): CopiedDownloads {
  const { t } = useTranslation()
  const download = useCallback(
    (blobId: string, name: string) => {
      const file = files.find((f) => f.blobId === blobId)
      if (file) saveFile(file.bytes, name)
      else showToast({ tone: 'error', title: t('vaultCopy.fileMissingLink', { name }) })
      return Promise.resolve()
    },
    [files, t],
  )
  return useMemo(() => ({ progress: NO_PROGRESS, download }), [download])
}
