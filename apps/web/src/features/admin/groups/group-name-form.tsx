import { zodResolver } from '@hookform/resolvers/zod'
import { ApiError, GroupName } from '@sealpost/core'
import { useForm } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { errorMessage } from '../../../i18n/error-message'
import { validationText } from '../../../i18n/validation'
import { Alert } from '../../../ui/alert'
import { Button } from '../../../ui/button'
import { DialogActions } from '../../../ui/dialog'
import { Form } from '../../../ui/form'
import { FormTextField } from '../../../ui/form-text-field'
import { Progress } from '../../../ui/progress'

const NameForm = z.object({ name: GroupName })
type NameForm = z.infer<typeof NameForm>

type Save = {
  mutate: (
    name: string,
    options: { onSuccess: () => void; onError: (error: Error) => void },
  ) => void
  isPending: boolean
  error: Error | null
}

const isNameTaken = (error: unknown) => error instanceof ApiError && error.code === 'group_exists'

/**
 * A group's name, for New group and Rename: checked with the server's `GroupName`; a name
 * another group has (whatever the case) is said on the field.
 */
export function GroupNameForm({
  initialName,
  submitLabel,
  progressLabel,
  save,
  close,
}: {
  initialName: string
  submitLabel: string
  progressLabel: string
  save: Save
  close: () => void
}) {
  const { t } = useTranslation()
  const { control, handleSubmit, setError } = useForm<NameForm>({
    resolver: zodResolver(NameForm),
    defaultValues: { name: initialName },
  })
  const submit = handleSubmit((values) =>
    save.mutate(values.name, {
      onSuccess: close,
      onError: (error) => {
        if (isNameTaken(error)) {
          setError('name', { message: 'validation.groupExists' }, { shouldFocus: true })
        }
      },
    }),
  )
  const isBusy = save.isPending

  return (
    <Form onSubmit={submit}>
      {save.error && !isNameTaken(save.error) && (
        <Alert tone="error">{errorMessage(t, save.error)}</Alert>
      )}
      <FormTextField
        control={control}
        name="name"
        label={t('groups.name')}
        description={t('groups.nameHint')}
        autoComplete="off"
        autoFocus
        // Read-only, not disabled, while saving: a refused name puts the focus back here.
        isReadOnly={isBusy}
        errorText={validationText(t, 'groupName')}
      />
      {isBusy && <Progress label={progressLabel} />}
      <DialogActions>
        <Button onPress={close} isDisabled={isBusy}>
          {t('groups.cancel')}
        </Button>
        <Button type="submit" variant="primary" isPending={isBusy}>
          {submitLabel}
        </Button>
      </DialogActions>
    </Form>
  )
}
