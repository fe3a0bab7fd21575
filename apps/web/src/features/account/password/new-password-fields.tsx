import { useTranslation } from 'react-i18next'
import { type Control, type FieldValues, type Path, useWatch } from 'react-hook-form'
import { validationText } from '../../../i18n/validation'
import { FormTextField } from '../../../ui/form-text-field'
import { PasswordStrengthMeter } from '../../../ui/password-strength-meter'

type NewPasswordFieldValues = FieldValues & { password: string; passwordAgain: string }

/** "Password" and "Password again" with a strength meter, for forms that choose a password. */
export function NewPasswordFields<T extends NewPasswordFieldValues>({
  control,
  context,
  isDisabled,
}: {
  control: Control<T>
  /** Words the password should not be built from (username, name, email). */
  context: readonly string[]
  isDisabled?: boolean
}) {
  const { t } = useTranslation()
  const password = useWatch({ control, name: 'password' as Path<T> }) as unknown
  return (
    <>
      <FormTextField
        control={control}
        name={'password' as Path<T>}
        label={t('fields.password')}
        type="password"
        autoComplete="new-password"
        description={t('password.hint')}
        isDisabled={isDisabled}
        errorText={validationText(t, 'passwordTooWeak')}
      />
      <PasswordStrengthMeter
        password={typeof password === 'string' ? password : ''}
        context={context}
      />
      <FormTextField
        control={control}
        name={'passwordAgain' as Path<T>}
        label={t('fields.passwordAgain')}
        type="password"
        autoComplete="new-password"
        isDisabled={isDisabled}
        errorText={validationText(t, 'passwordMismatch')}
      />
    </>
  )
}
