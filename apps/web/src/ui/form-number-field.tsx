import { type Control, Controller, type FieldPath, type FieldValues } from 'react-hook-form'
import { type ErrorText, formFieldError } from './form-field-error'
import { NumberField, type NumberFieldProps } from './number-field'

type FormNumberFieldProps<T extends FieldValues> = Omit<
  NumberFieldProps,
  'value' | 'onChange' | 'onBlur' | 'name' | 'error' | 'inputRef'
> & {
  control: Control<T>
  name: FieldPath<T>
  errorText?: ErrorText
}

/** A whole-number NumberField bound to react-hook-form; an empty field holds NaN. */
export function FormNumberField<T extends FieldValues>({
  control,
  name,
  errorText,
  ...props
}: FormNumberFieldProps<T>) {
  return (
    <Controller
      control={control}
      name={name}
      render={({ field, fieldState }) => (
        <NumberField
          step={1}
          formatOptions={{ maximumFractionDigits: 0, useGrouping: false }}
          {...props}
          value={typeof field.value === 'number' ? field.value : Number.NaN}
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
