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

/** A bar that fills from 0 to 100 %, with words above it ("Uploading… 42%"). */
export function ProgressMeter({ label, percent }: { label: string; percent: number }) {
  return (
    <ProgressBar value={percent} aria-label={label} className={styles.meter}>
      <span className={styles.meterLabel}>{label}</span>
      <span className={styles.track} aria-hidden="true">
        <span className={styles.fill} style={{ width: `${percent}%` }} />
      </span>
    </ProgressBar>
  )
}
