import {
  Button,
  FieldError,
  type Key,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Select as AriaSelect,
  SelectValue,
} from 'react-aria-components'
import { ChevronDownIcon } from './icons'
import styles from './select.module.css'

export type SelectProps<K extends string> = {
  label: string
  options: readonly { id: K; label: string }[]
  /** The chosen option's id; null shows no choice. */
  value: K | null
  onChange: (value: K) => void
  error?: string
  isDisabled?: boolean
  className?: string
}

/** Pick one of a few options, in a popover list. */
export function Select<K extends string>({
  label,
  options,
  value,
  onChange,
  error,
  isDisabled,
  className,
}: SelectProps<K>) {
  return (
    <AriaSelect
      value={value}
      onChange={(key: Key | null) => {
        const option = options.find((o) => o.id === key)
        if (option) onChange(option.id)
      }}
      isInvalid={Boolean(error)}
      isDisabled={isDisabled}
      validationBehavior="aria"
      className={[styles.select, className].filter(Boolean).join(' ')}
    >
      <Label className={styles.label}>{label}</Label>
      <Button className={styles.trigger}>
        <SelectValue className={styles.value} />
        <ChevronDownIcon />
      </Button>
      <FieldError className={styles.error}>{error}</FieldError>
      <Popover className={styles.popover}>
        <ListBox className={styles.list} items={options}>
          {(option) => (
            <ListBoxItem id={option.id} className={styles.item}>
              {option.label}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </AriaSelect>
  )
}
