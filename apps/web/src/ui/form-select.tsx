import { type Control, Controller, type FieldPath, type FieldValues } from 'react-hook-form'
import { type ErrorText, formFieldError } from './form-field-error'
import { Select, type SelectProps } from './select'

type FormSelectProps<T extends FieldValues, K extends string> = Omit<
  SelectProps<K>,
  'value' | 'onChange' | 'error'
> & {
  control: Control<T>
  name: FieldPath<T>
  errorText?: ErrorText
}

/** A Select bound to react-hook-form: the field holds the chosen option's id. */
export function FormSelect<T extends FieldValues, K extends string>({
  control,
  name,
  errorText,
  ...props
}: FormSelectProps<T, K>) {
  return (
    <Controller
      control={control}
      name={name}
      render={({ field, fieldState }) => (
        <Select<K>
          {...props}
          value={props.options.find((option) => option.id === field.value)?.id ?? null}
          onChange={field.onChange}
          isDisabled={props.isDisabled ?? field.disabled}
          error={formFieldError(fieldState.error, errorText)}
        />
      )}
    />
  )
}
