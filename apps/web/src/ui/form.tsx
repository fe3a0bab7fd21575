import type { FormEvent, ReactNode } from 'react'
import styles from './form.module.css'

/** A form laid out as one column; validation is ours (react-hook-form), not the browser's. */
export function Form({
  onSubmit,
  children,
  'aria-label': ariaLabel,
}: {
  /** react-hook-form's handleSubmit(…): it prevents the default and validates. */
  onSubmit: (event: FormEvent<HTMLFormElement>) => Promise<void> | void
  children: ReactNode
  'aria-label'?: string
}) {
  return (
    <form
      className={styles.form}
      onSubmit={(event) => void onSubmit(event)}
      noValidate
      aria-label={ariaLabel}
    >
      {children}
    </form>
  )
}

/** Facts shown as label/value pairs (e.g. the invited username and email). */
export function Facts({ items }: { items: { label: string; value: ReactNode }[] }) {
  return (
    <dl className={styles.readOnlyRow}>
      {items.map((item) => (
        <div key={item.label} className={styles.pair}>
          <dt>{item.label}</dt>
          <dd>{item.value}</dd>
        </div>
      ))}
    </dl>
  )
}
