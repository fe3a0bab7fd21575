import type { Ref } from 'react'
import {
  FieldError,
  Label,
  Text,
  TextArea as AriaTextArea,
  TextField as AriaTextField,
  type TextFieldProps as AriaTextFieldProps,
} from 'react-aria-components'
import styles from './text-field.module.css'

export type TextAreaProps = Omit<AriaTextFieldProps, 'className' | 'isInvalid'> & {
  label: string
  description?: string
  /** Shown under the field and marks it invalid. */
  error?: string
  placeholder?: string
  rows?: number
  textAreaRef?: Ref<HTMLTextAreaElement>
}

/** Several lines of plain text. */
export function TextArea({
  label,
  description,
  error,
  placeholder,
  rows = 6,
  textAreaRef,
  ...props
}: TextAreaProps) {
  return (
    <AriaTextField
      {...props}
      isInvalid={Boolean(error)}
      validationBehavior="aria"
      className={styles.field}
    >
      <Label className={styles.label}>{label}</Label>
      <AriaTextArea
        ref={textAreaRef}
        className={`${styles.input} ${styles.textArea}`}
        placeholder={placeholder}
        rows={rows}
      />
      {description && (
        <Text slot="description" className={styles.description}>
          {description}
        </Text>
      )}
      <FieldError className={styles.error}>{error}</FieldError>
    </AriaTextField>
  )
}
