import { type Control, Controller, type FieldPath, type FieldValues } from 'react-hook-form'
import { type ErrorText, formFieldError } from './form-field-error'
import { TextArea, type TextAreaProps } from './text-area'

type FormTextAreaProps<T extends FieldValues> = Omit<
  TextAreaProps,
  'value' | 'onChange' | 'onBlur' | 'name' | 'error' | 'textAreaRef'
> & {
  control: Control<T>
  name: FieldPath<T>
  errorText?: ErrorText
}

/** A TextArea bound to react-hook-form. */
export function FormTextArea<T extends FieldValues>({
  control,
  name,
  errorText,
  ...props
}: FormTextAreaProps<T>) {
  return (
    <Controller
      control={control}
      name={name}
      render={({ field, fieldState }) => (
        <TextArea
          {...props}
          name={field.name}
          value={typeof field.value === 'string' ? field.value : ''}
          onChange={field.onChange}
          onBlur={field.onBlur}
          textAreaRef={field.ref}
          isDisabled={props.isDisabled ?? field.disabled}
          error={formFieldError(fieldState.error, errorText)}
        />
      )}
    />
  )
}
