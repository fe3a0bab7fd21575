import { useTranslation } from 'react-i18next'
import {
  Text,
  UNSTABLE_Toast as Toast,
  UNSTABLE_ToastContent as ToastContent,
  UNSTABLE_ToastQueue as ToastQueue,
  UNSTABLE_ToastRegion as ToastRegion,
} from 'react-aria-components'
import { Button } from './button'
import { CloseIcon } from './icons'
import styles from './toast.module.css'

export type ToastContentValue = {
  title: string
  description?: string
  /** An error or a warning stays until dismissed, so it can be read; a confirmation fades. */
  tone: 'error' | 'warning' | 'success'
}

/** The page's one toast queue; anything may add to it. */
export const toasts = new ToastQueue<ToastContentValue>({ maxVisibleToasts: 4 })

export function showToast(content: ToastContentValue): void {
  toasts.add(content, content.tone === 'success' ? { timeout: 5000 } : {})
}

export function Toasts() {
  const { t } = useTranslation()
  return (
    <ToastRegion queue={toasts} className={styles.region} aria-label={t('toast.region')}>
      {({ toast }) => (
        <Toast toast={toast} className={`${styles.toast} ${styles[toast.content.tone]}`}>
          <ToastContent className={styles.content}>
            <Text slot="title" className={styles.title}>
              {toast.content.title}
            </Text>
            {toast.content.description && (
              <Text slot="description" className={styles.description}>
                {toast.content.description}
              </Text>
            )}
          </ToastContent>
          <Button slot="close" variant="quiet" isIconOnly aria-label={t('toast.dismiss')}>
            <CloseIcon />
          </Button>
        </Toast>
      )}
    </ToastRegion>
  )
}
