import { ProgressBar } from 'react-aria-components'
import styles from './progress.module.css'

/** An indeterminate spinner with words saying what is happening. */
export function Progress({ label }: { label: string }) {
  return (
    <ProgressBar isIndeterminate aria-label={label} className={styles.progress}>
      <span className={styles.spinner} aria-hidden="true" />
      <span>{label}</span>
    </ProgressBar>
  )
}

export function PageProgress({ label }: { label: string }) {
  return (
    <div className={styles.centered}>
      <Progress label={label} />
    </div>
  )
}
