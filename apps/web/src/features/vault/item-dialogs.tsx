import { zodResolver } from '@hookform/resolvers/zod'
import { ApiError, type DecryptedItem, type OpenVault } from '@sealpost/core'
import type { TFunction } from 'i18next'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { useLocation, useNavigate } from 'react-router'
import { z } from 'zod'
import { errorMessage } from '../../i18n/error-message'
import { Alert } from '../../ui/alert'
import { Button } from '../../ui/button'
import { DialogActions, ModalDialog } from '../../ui/dialog'
import { Form } from '../../ui/form'
import { FormTextField } from '../../ui/form-text-field'
import { showToast } from '../../ui/toast'
import { keptFilesOf } from './attachments'
import { NewEntryDialog } from './entry-form'
import { useFieldError } from './field-error'
import type { ItemDialogRequest } from './use-item-dialogs'
import { HistoryDialog } from './history-dialog'
import { MoveDialog } from './move-dialog'
import { useDeleteItem, useRefreshVault, useSaveItem, useVaultItems } from './use-vaults'
import { parseVaultPath, vaultPath } from './vault-paths'
import { descendantCount, isWithin } from './vault-tree'

/** The dialog a request asks for; `useItemDialogs` loads this module when one first opens. */
export function ItemDialog({
  request,
  onClose,
}: {
  request: ItemDialogRequest
  onClose: () => void
}) {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const { tree } = useVaultItems(request.vault)
  // The item as it is now: someone may have changed it since the menu opened (409 → reload).
  const latest =
    'item' in request
      ? { ...request, item: tree?.byId.get(request.item.id) ?? request.item }
      : request
  return <ItemDialogFor request={latest} navigate={navigate} t={t} onClose={onClose} />
}

function ItemDialogFor({
  request,
  navigate,
  t,
  onClose,
}: {
  request: ItemDialogRequest
  navigate: ReturnType<typeof useNavigate>
  t: TFunction
  onClose: () => void
}) {
  switch (request.kind) {
    case 'rename':
      return <RenameDialog vault={request.vault} item={request.item} onClose={onClose} />
    case 'new-folder':
      return <NewFolderDialog vault={request.vault} parentId={request.parentId} onClose={onClose} />
    case 'new-entry':
      return (
        <NewEntryDialog
          vault={request.vault}
          parentId={request.parentId}
          initialType={request.initialType}
          title={
            request.parentEntry
              ? t('vault.newSubEntryTitle', { name: request.parentEntry.content.name })
              : t('vault.newEntry')
          }
          // Opening the new entry shows it was saved; no toast needed.
          onSaved={(item) => void navigate(vaultPath(request.vault, item.id))}
          onClose={onClose}
        />
      )
    case 'move':
      return <MoveDialog vault={request.vault} item={request.item} onClose={onClose} />
    case 'delete':
      return <DeleteDialog vault={request.vault} item={request.item} onClose={onClose} />
    case 'history':
      return <HistoryDialog vault={request.vault} item={request.item} onClose={onClose} />
  }
}

const NameValues = z.object({
  name: z.string().trim().min(1, 'vault.errors.nameRequired').max(500, 'vault.errors.nameTooLong'),
})
type NameValues = z.infer<typeof NameValues>

/** One name to type: a new folder, or a new name for an item. */
export function NameDialog({
  title,
  label,
  initialName,
  submitLabel,
  onSubmit,
  onClose,
}: {
  title: string
  label: string
  initialName: string
  submitLabel: string
  /** Resolves when done; a rejection is shown and the dialog stays open. */
  onSubmit: (name: string) => Promise<void>
  onClose: () => void
}) {
  const { t } = useTranslation()
  const fieldError = useFieldError()
  const [failure, setFailure] = useState<unknown>(null)
  const { control, handleSubmit, formState } = useForm<NameValues>({
    resolver: zodResolver(NameValues),
    defaultValues: { name: initialName },
  })
  const isBusy = formState.isSubmitting
  return (
    <ModalDialog
      title={title}
      isOpen
      isDismissable={!isBusy}
      isKeyboardDismissDisabled={isBusy}
      onOpenChange={(isOpen) => !isOpen && onClose()}
    >
      {(close) => (
        <Form
          onSubmit={handleSubmit(async ({ name }) => {
            setFailure(null)
            try {
              await onSubmit(name.trim())
              close()
            } catch (error) {
              setFailure(error)
            }
          })}
        >
          {failure !== null && <Alert tone="error">{errorMessage(t, failure)}</Alert>}
          <FormTextField
            control={control}
            name="name"
            label={label}
            autoComplete="off"
            autoFocus
            isDisabled={isBusy}
            errorText={fieldError}
          />
          <DialogActions>
            <Button onPress={close} isDisabled={isBusy}>
              {t('vault.cancel')}
            </Button>
            <Button type="submit" variant="primary" isPending={isBusy}>
              {submitLabel}
            </Button>
          </DialogActions>
        </Form>
      )}
    </ModalDialog>
  )
}

function NewFolderDialog({
  vault,
  parentId,
  onClose,
}: {
  vault: OpenVault
  parentId: string | null
  onClose: () => void
}) {
  const { t } = useTranslation()
  const save = useSaveItem(vault)
  const navigate = useNavigate()
  return (
    <NameDialog
      title={t('vault.newFolder')}
      label={t('vault.folderName')}
      initialName=""
      submitLabel={t('vault.create')}
      onSubmit={async (name) => {
        const folder = await save.mutateAsync({
          parentId,
          kind: 'folder',
          content: { name, type: 'folder', fields: [] },
          baseRevision: 0,
        })
        void navigate(vaultPath(vault, folder.id))
      }}
      onClose={onClose}
    />
  )
}

function RenameDialog({
  vault,
  item,
  onClose,
}: {
  vault: OpenVault
  item: DecryptedItem
  onClose: () => void
}) {
  const { t } = useTranslation()
  const save = useSaveItem(vault)
  const refresh = useRefreshVault()
  return (
    <NameDialog
      title={t('vault.renameTitle', { name: item.content.name })}
      label={t('vault.name')}
      initialName={item.content.name}
      submitLabel={t('vault.rename')}
      onSubmit={async (name) => {
        const { files: _files, ...content } = item.content
        try {
          await save.mutateAsync({
            id: item.id,
            parentId: item.parentId,
            kind: item.kind,
            content: { ...content, name },
            baseRevision: item.revision,
            keepFiles: keptFilesOf(item),
          })
        } catch (error) {
          // Someone changed it meanwhile: fetch theirs, so trying again starts from it.
          if (error instanceof ApiError && error.code === 'stale_revision') void refresh(vault.id)
          throw error
        }
      }}
      onClose={onClose}
    />
  )
}

/** "Delete 'Servers' and its 12 items?": everything below goes too, with files and history. */
function DeleteDialog({
  vault,
  item,
  onClose,
}: {
  vault: OpenVault
  item: DecryptedItem
  onClose: () => void
}) {
  const { t } = useTranslation()
  const { tree } = useVaultItems(vault)
  const remove = useDeleteItem()
  const navigate = useNavigate()
  const { pathname } = useLocation()
  const count = tree ? descendantCount(tree, item.id) : 0
  const name = item.content.name
  return (
    <ModalDialog
      title={
        count > 0
          ? t('vault.deleteTitleWithItems', { name, count })
          : t('vault.deleteTitle', { name })
      }
      role="alertdialog"
      isOpen
      isDismissable={!remove.isPending}
      onOpenChange={(isOpen) => !isOpen && onClose()}
    >
      {(close) => (
        <>
          <p>{count > 0 ? t('vault.deleteBodyWithItems') : t('vault.deleteBody')}</p>
          {remove.isError && <Alert tone="error">{errorMessage(t, remove.error)}</Alert>}
          <DialogActions>
            <Button onPress={close} autoFocus isDisabled={remove.isPending}>
              {t('vault.cancel')}
            </Button>
            <Button
              variant="danger"
              isPending={remove.isPending}
              onPress={() =>
                remove.mutate(
                  { vault, item },
                  {
                    onSuccess: () => {
                      // Showing what was deleted? Go up to where it was.
                      const here = parseVaultPath(pathname)
                      if (here?.itemId && tree && isWithin(tree, here.itemId, item.id)) {
                        void navigate(vaultPath(vault, item.parentId))
                      }
                      showToast({ tone: 'success', title: t('vault.deleted', { name }) })
                      close()
                    },
                  },
                )
              }
            >
              {t('vault.delete')}
            </Button>
          </DialogActions>
        </>
      )}
    </ModalDialog>
  )
}
