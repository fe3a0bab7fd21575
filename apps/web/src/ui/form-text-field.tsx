import { type Control, Controller, type FieldPath, type FieldValues } from 'react-hook-form'
import { type ErrorText, formFieldError } from './form-field-error'
import { TextField, type TextFieldProps } from './text-field'

type FormTextFieldProps<T extends FieldValues> = Omit<
  TextFieldProps,
  'value' | 'onChange' | 'onBlur' | 'name' | 'error'
> & {
  control: Control<T>
  name: FieldPath<T>
  errorText?: ErrorText
}

/** A TextField bound to react-hook-form. */
export function FormTextField<T extends FieldValues>({
  control,
  name,
  errorText,
  ...props
}: FormTextFieldProps<T>) {
  return (
    <Controller
      control={control}
      name={name}
      render={({ field, fieldState }) => (
        <TextField
          {...props}
          name={field.name}
          value={typeof field.value === 'string' ? field.value : ''}
          onChange={field.onChange}
          onBlur={field.onBlur}
          inputRef={field.ref}
          isDisabled={props.isDisabled ?? field.disabled}
          error={formFieldError(fieldState.error, errorText)}
        />
      )}
    />
  )
}
