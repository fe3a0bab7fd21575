import styles from './skeleton.module.css'

/** A grey placeholder bar while content loads; hidden from assistive technology. */
export function Skeleton({ width = '100%', height }: { width?: string; height?: string }) {
  return <span className={styles.skeleton} style={{ width, height }} aria-hidden="true" />
}
