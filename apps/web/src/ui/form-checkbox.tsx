import { type Control, Controller, type FieldPath, type FieldValues } from 'react-hook-form'
import { Checkbox, type CheckboxProps } from './checkbox'

type FormCheckboxProps<T extends FieldValues> = Omit<CheckboxProps, 'isSelected' | 'onChange'> & {
  control: Control<T>
  name: FieldPath<T>
}

/** A Checkbox bound to a boolean field of react-hook-form. */
export function FormCheckbox<T extends FieldValues>({
  control,
  name,
  ...props
}: FormCheckboxProps<T>) {
  return (
    <Controller
      control={control}
      name={name}
      render={({ field }) => (
        <Checkbox
          {...props}
          isSelected={field.value === true}
          onChange={field.onChange}
          isDisabled={props.isDisabled ?? field.disabled}
        />
      )}
    />
  )
}
