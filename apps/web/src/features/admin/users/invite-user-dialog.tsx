import { zodResolver } from '@hookform/resolvers/zod'
import { ApiError, Email, type InviteResponse, Username } from '@sealpost/core'
import { useForm } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { DialogTrigger } from 'react-aria-components'
import { z } from 'zod'
import { errorMessage } from '../../../i18n/error-message'
import { validationText } from '../../../i18n/validation'
import { Alert } from '../../../ui/alert'
import { Button } from '../../../ui/button'
import { DialogActions, ModalDialog } from '../../../ui/dialog'
import { Form } from '../../../ui/form'
import { FormTextField } from '../../../ui/form-text-field'
import { Progress } from '../../../ui/progress'
import { InviteLink } from './invite-link'
import { useInviteUser } from './use-users'

const InviteForm = z.object({
  username: Username,
  email: Email,
  // Optional here; an empty field means "let the invitee choose".
  displayName: z.string().trim().max(100, 'validation.displayName'),
})
type InviteForm = z.infer<typeof InviteForm>

/** "Invite user": a form, then the one-time link to pass on. */
export function InviteUserDialog() {
  const { t } = useTranslation()
  return (
    <DialogTrigger>
      <Button variant="primary">{t('users.inviteUser')}</Button>
      <ModalDialog title={t('inviteDialog.title')} isDismissable={false}>
        {(close) => <InviteUserFlow close={close} />}
      </ModalDialog>
    </DialogTrigger>
  )
}

function InviteUserFlow({ close }: { close: () => void }) {
  const { t } = useTranslation()
  const invite = useInviteUser()
  const { control, handleSubmit, setError } = useForm<InviteForm>({
    resolver: zodResolver(InviteForm),
    defaultValues: { username: '', email: '', displayName: '' },
  })

  if (invite.data) return <InviteCreated invite={invite.data} close={close} />

  const submit = handleSubmit((values) =>
    invite.mutate(
      {
        username: values.username,
        email: values.email,
        displayName: values.displayName || undefined,
      },
      {
        onError: (error) => {
          if (error instanceof ApiError && error.code === 'username_taken') {
            setError('username', { message: 'validation.usernameTaken' }, { shouldFocus: true })
          }
        },
      },
    ),
  )
  const isBusy = invite.isPending
  const isFieldError = invite.error instanceof ApiError && invite.error.code === 'username_taken'

  return (
    <Form onSubmit={submit}>
      <p>{t('inviteDialog.intro')}</p>
      {invite.isError && !isFieldError && (
        <Alert tone="error">{errorMessage(t, invite.error)}</Alert>
      )}
      <FormTextField
        control={control}
        name="username"
        label={t('fields.username')}
        autoComplete="off"
        autoFocus
        isDisabled={isBusy}
        errorText={validationText(t, 'username')}
      />
      <FormTextField
        control={control}
        name="email"
        label={t('fields.email')}
        type="email"
        autoComplete="off"
        isDisabled={isBusy}
        errorText={validationText(t, 'email')}
      />
      <FormTextField
        control={control}
        name="displayName"
        label={t('fields.displayNameOptional')}
        autoComplete="off"
        isDisabled={isBusy}
        errorText={validationText(t, 'displayName')}
      />
      {isBusy && <Progress label={t('inviteDialog.progress')} />}
      <DialogActions>
        <Button onPress={close} isDisabled={isBusy}>
          {t('inviteDialog.cancel')}
        </Button>
        <Button type="submit" variant="primary" isPending={isBusy}>
          {t('inviteDialog.submit')}
        </Button>
      </DialogActions>
    </Form>
  )
}

function InviteCreated({ invite, close }: { invite: InviteResponse; close: () => void }) {
  const { t } = useTranslation()
  return (
    <>
      <Alert tone="info">{t('inviteDialog.linkTitle', { username: invite.user.username })}</Alert>
      <InviteLink invite={invite} />
      <DialogActions>
        <Button variant="primary" onPress={close}>
          {t('inviteDialog.done')}
        </Button>
      </DialogActions>
    </>
  )
}
