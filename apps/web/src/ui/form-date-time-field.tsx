import { type Control, Controller, type FieldPath, type FieldValues } from 'react-hook-form'
import { DateTimeField, type DateTimeFieldProps } from './date-time-field'
import { type ErrorText, formFieldError } from './form-field-error'

type FormDateTimeFieldProps<T extends FieldValues> = Omit<
  DateTimeFieldProps,
  'value' | 'onChange' | 'onBlur' | 'name' | 'error' | 'groupRef'
> & {
  control: Control<T>
  name: FieldPath<T>
  errorText?: ErrorText
}

/** A DateTimeField bound to react-hook-form; its value is a string, "2026-11-27T10:30" or ''. */
export function FormDateTimeField<T extends FieldValues>({
  control,
  name,
  errorText,
  ...props
}: FormDateTimeFieldProps<T>) {
  return (
    <Controller
      control={control}
      name={name}
      render={({ field, fieldState }) => (
        <DateTimeField
          {...props}
          name={field.name}
          value={typeof field.value === 'string' ? field.value : ''}
          onChange={field.onChange}
          onBlur={field.onBlur}
          // A submit with errors focuses the first wrong field: here, its first part.
          groupRef={(group) =>
            field.ref(
              group && {
                focus: () => group.querySelector<HTMLElement>('[role="spinbutton"]')?.focus(),
              },
            )
          }
          isDisabled={props.isDisabled ?? field.disabled}
          error={formFieldError(fieldState.error, errorText)}
        />
      )}
    />
  )
}
