import type { ReactNode } from 'react'
import { AlertIcon, InfoIcon } from './icon'
import styles from './alert.module.css'

type AlertProps = {
  tone: 'error' | 'info' | 'warning'
  children: ReactNode
}

/** An inline message; errors are announced to screen readers as they appear. */
export function Alert({ tone, children }: AlertProps) {
  return (
    <div className={`${styles.alert} ${styles[tone]}`} role={tone === 'error' ? 'alert' : 'status'}>
      {tone === 'info' ? <InfoIcon /> : <AlertIcon />}
      <div className={styles.body}>{children}</div>
    </div>
  )
}
