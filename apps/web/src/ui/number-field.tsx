import type { Ref } from 'react'
import {
  Button,
  FieldError,
  Group,
  Input,
  Label,
  NumberField as AriaNumberField,
  type NumberFieldProps as AriaNumberFieldProps,
  Text,
} from 'react-aria-components'
import styles from './number-field.module.css'

export type NumberFieldProps = Omit<AriaNumberFieldProps, 'className' | 'isInvalid'> & {
  label: string
  description?: string
  /** Shown under the field and marks it invalid. */
  error?: string
  inputRef?: Ref<HTMLInputElement>
  /** Names for the − and + buttons ("Fewer views"). */
  decrementLabel: string
  incrementLabel: string
  className?: string
}

/** A whole number typed, or stepped with − and + (and the arrow keys). */
export function NumberField({
  label,
  description,
  error,
  inputRef,
  decrementLabel,
  incrementLabel,
  className,
  ...props
}: NumberFieldProps) {
  return (
    <AriaNumberField
      {...props}
      isInvalid={Boolean(error)}
      validationBehavior="aria"
      className={[styles.field, className].filter(Boolean).join(' ')}
    >
      <Label className={styles.label}>{label}</Label>
      <Group className={styles.group}>
        <Button slot="decrement" className={styles.step} aria-label={decrementLabel}>
          −
        </Button>
        <Input ref={inputRef} className={styles.input} />
        <Button slot="increment" className={styles.step} aria-label={incrementLabel}>
          +
        </Button>
      </Group>
      {description && (
        <Text slot="description" className={styles.description}>
          {description}
        </Text>
      )}
      <FieldError className={styles.error}>{error}</FieldError>
    </AriaNumberField>
  )
}
