import { useTranslation } from 'react-i18next'
import {
  Text,
  UNSTABLE_Toast as Toast,
  UNSTABLE_ToastContent as ToastContent,
  UNSTABLE_ToastRegion as ToastRegion,
} from 'react-aria-components'
import { Button } from './button'
import { CloseIcon } from './icons'
import { toasts } from './toast'
import styles from './toast.module.css'

/** The toasts on screen (rendered once there is one, see `Toasts`). */
export function ToastRegionView() {
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
