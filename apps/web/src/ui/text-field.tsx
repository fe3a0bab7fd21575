import type { Ref } from 'react'
import {
  FieldError,
  Input,
  Label,
  Text,
  TextField as AriaTextField,
  type TextFieldProps as AriaTextFieldProps,
} from 'react-aria-components'
import styles from './text-field.module.css'

export type TextFieldProps = Omit<AriaTextFieldProps, 'className' | 'isInvalid'> & {
  label: string
  description?: string
  /** Shown under the field and marks it invalid. */
  error?: string
  placeholder?: string
  inputRef?: Ref<HTMLInputElement>
  className?: string
}

export function TextField({
  label,
  description,
  error,
  placeholder,
  inputRef,
  className,
  ...props
}: TextFieldProps) {
  return (
    <AriaTextField
      {...props}
      isInvalid={Boolean(error)}
      validationBehavior="aria"
      className={[styles.field, className].filter(Boolean).join(' ')}
    >
      <Label className={styles.label}>{label}</Label>
      <Input ref={inputRef} className={styles.input} placeholder={placeholder} />
      {description && (
        <Text slot="description" className={styles.description}>
          {description}
        </Text>
      )}
      <FieldError className={styles.error}>{error}</FieldError>
    </AriaTextField>
  )
}
