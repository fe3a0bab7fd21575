import { zodResolver } from '@hookform/resolvers/zod'
import { ApiError, type DecryptedItem, type OpenVault, type SendProgress } from '@sealpost/core'
import { useState } from 'react'
import { useFieldArray, useForm, useWatch } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../i18n/error-message'
import { Alert } from '../../ui/alert'
import { Button } from '../../ui/button'
import { DialogActions, DialogFooter, ModalDialog } from '../../ui/dialog'
import { EntrySection } from '../../ui/entry-view'
import { Form } from '../../ui/form'
import { FormCheckbox } from '../../ui/form-checkbox'
import { FormSelect } from '../../ui/form-select'
import { FormTextArea } from '../../ui/form-text-area'
import { FormTextField } from '../../ui/form-text-field'
import { CloseIcon, EyeIcon } from '../../ui/icons'
import { EyeOffIcon, PlusIcon } from '../../ui/item-icons'
import { Progress, ProgressMeter } from '../../ui/progress'
import { AttachmentEditor, type KeptFile, keptFilesOf } from './attachments'
import {
  ENTRY_TYPES,
  type EntryType,
  EntryValues,
  contentOf,
  emptyValues,
  valuesOf,
} from './entry-values'
import styles from './entry-form.module.css'
import { GeneratorPopover } from './generator-popover'
import { useRefreshVault, useSaveItem, useVaultLimits } from './use-vaults'
import { useFieldError } from './field-error'

type EntryFormProps = {
  vault: OpenVault
  parentId: string | null
  /** The entry being edited; none to create one. */
  item?: DecryptedItem
  initialType?: EntryType
  onSaved: (item: DecryptedItem) => void
  onCancel: () => void
  /** In a modal dialog (New entry) rather than the detail pane (Edit). */
  isInDialog?: boolean
}

/** A browser File read piece by piece while it is sealed. */
function fileSource(file: File) {
  return {
    name: file.name,
    type: file.type,
    size: file.size,
    read: async (offset: number, length: number) =>
      new Uint8Array(await file.slice(offset, offset + length).arrayBuffer()),
  }
}

/** Create or edit an entry: type, name, its fields, custom fields and files. */
export function EntryForm({
  vault,
  parentId,
  item,
  initialType = 'credential',
  onSaved,
  onCancel,
  isInDialog = false,
}: EntryFormProps) {
  const { t } = useTranslation()
  const fieldError = useFieldError()
  const save = useSaveItem(vault)
  const refresh = useRefreshVault()
  const limits = useVaultLimits()
  const [kept, setKept] = useState<KeptFile[]>(() => (item ? keptFilesOf(item) : []))
  const [added, setAdded] = useState<File[]>([])
  const [progress, setProgress] = useState<SendProgress | null>(null)
  const [fileProblem, setFileProblem] = useState(false)
  const [isPasswordShown, setPasswordShown] = useState(false)
  const { control, handleSubmit, setValue } = useForm<EntryValues>({
    resolver: zodResolver(EntryValues),
    defaultValues: item ? valuesOf(item.content) : emptyValues(initialType),
  })
  const fields = useFieldArray({ control, name: 'fields' })
  const type = useWatch({ control, name: 'type' })
  const customFields = useWatch({ control, name: 'fields' })
  const isBusy = save.isPending
  const isDocument = type === 'document'
  const fileCount = kept.length + added.length

  const typeLabels: Record<EntryType, string> = {
    credential: t('vault.types.credential'),
    note: t('vault.types.note'),
    document: t('vault.types.document'),
  }

  const submit = handleSubmit(async (values) => {
    if (values.type === 'document' && fileCount !== 1) {
      setFileProblem(true)
      return
    }
    setFileProblem(false)
    const hasUploads = added.length > 0
    if (hasUploads) setProgress({ sentBytes: 0, totalBytes: 1 })
    try {
      const saved = await save.mutateAsync({
        id: item?.id,
        parentId: item ? item.parentId : parentId,
        kind: 'entry',
        content: contentOf(values),
        baseRevision: item?.revision ?? 0,
        keepFiles: kept,
        newFiles: added.map(fileSource),
        onProgress: hasUploads ? setProgress : undefined,
      })
      onSaved(saved)
    } catch {
      // Shown from save.error below.
    } finally {
      setProgress(null)
    }
  })

  const isStale = save.error instanceof ApiError && save.error.code === 'stale_revision'
  const percent = progress
    ? Math.round((progress.sentBytes / Math.max(1, progress.totalBytes)) * 100)
    : 0

  // In a dialog it sticks to the bottom edge, so Create stays in view however long the form.
  const footer = (
    <>
      {fileProblem && <Alert tone="error">{t('vault.errors.documentFile')}</Alert>}

      {isStale ? (
        <Alert tone="warning">
          {t('vault.staleRevision')}
          <Button
            onPress={() => {
              save.reset()
              void refresh(vault.id)
            }}
          >
            {t('vault.reload')}
          </Button>
        </Alert>
      ) : (
        save.isError && <Alert tone="error">{errorMessage(t, save.error)}</Alert>
      )}

      {isBusy &&
        (progress ? (
          <ProgressMeter
            label={t('vault.uploading', { percent: String(percent) })}
            percent={percent}
          />
        ) : (
          <Progress label={t('vault.saving')} />
        ))}

      <DialogActions>
        <Button onPress={onCancel} isDisabled={isBusy}>
          {t('vault.cancel')}
        </Button>
        <Button type="submit" variant="primary" isPending={isBusy}>
          {item ? t('vault.save') : t('vault.create')}
        </Button>
      </DialogActions>
    </>
  )

  return (
    <Form onSubmit={submit} aria-label={item ? t('vault.editEntry') : t('vault.newEntry')}>
      <div className={styles.row}>
        <FormSelect<EntryValues, EntryType>
          control={control}
          name="type"
          label={t('vault.type')}
          options={ENTRY_TYPES.map((id) => ({ id, label: typeLabels[id] }))}
          isDisabled={isBusy}
          className={styles.type}
        />
        <FormTextField
          control={control}
          name="name"
          label={t('vault.name')}
          autoComplete="off"
          autoFocus
          isDisabled={isBusy}
          errorText={fieldError}
          className={styles.grow}
        />
      </div>

      {type === 'credential' && (
        <>
          <FormTextField
            control={control}
            name="username"
            label={t('vault.username')}
            autoComplete="off"
            isDisabled={isBusy}
            errorText={fieldError}
          />
          <div className={styles.passwordRow}>
            <FormTextField
              control={control}
              name="password"
              label={t('vault.password')}
              type={isPasswordShown ? 'text' : 'password'}
              autoComplete="new-password"
              isDisabled={isBusy}
              errorText={fieldError}
              className={`${styles.grow} ${styles.mono}`}
            />
            <div className={styles.passwordActions}>
              <Button
                variant="quiet"
                isIconOnly
                aria-label={isPasswordShown ? t('vault.hidePassword') : t('vault.showPassword')}
                aria-pressed={isPasswordShown}
                onPress={() => setPasswordShown((shown) => !shown)}
              >
                {isPasswordShown ? <EyeOffIcon /> : <EyeIcon />}
              </Button>
              <GeneratorPopover
                isDisabled={isBusy}
                onUse={(password) => {
                  setValue('password', password, { shouldDirty: true, shouldValidate: true })
                  setPasswordShown(true)
                }}
              />
            </div>
          </div>
          <FormTextField
            control={control}
            name="url"
            label={t('vault.url')}
            type="url"
            inputMode="url"
            autoComplete="off"
            placeholder="https://"
            isDisabled={isBusy}
            errorText={fieldError}
          />
        </>
      )}

      <FormTextArea
        control={control}
        name="notes"
        label={type === 'note' ? t('vault.note') : t('vault.notes')}
        rows={type === 'note' ? 8 : 4}
        isDisabled={isBusy}
        errorText={fieldError}
      />

      <EntrySection title={t('vault.customFields')} isLoose>
        {fields.fields.map((field, index) => {
          const isHidden = customFields[index]?.hidden ?? false
          return (
            <div key={field.id} className={styles.customField}>
              <FormTextField
                control={control}
                name={`fields.${index}.label`}
                label={t('vault.fieldLabel')}
                autoComplete="off"
                isDisabled={isBusy}
                errorText={fieldError}
                className={styles.fieldLabel}
              />
              <FormTextField
                control={control}
                name={`fields.${index}.value`}
                label={t('vault.fieldValue')}
                type={isHidden ? 'password' : 'text'}
                autoComplete="off"
                isDisabled={isBusy}
                errorText={fieldError}
                className={styles.grow}
              />
              <div className={styles.hiddenBox}>
                <FormCheckbox control={control} name={`fields.${index}.hidden`} isDisabled={isBusy}>
                  {t('vault.fieldHidden')}
                </FormCheckbox>
              </div>
              <Button
                variant="quiet"
                isIconOnly
                className={styles.removeField}
                isDisabled={isBusy}
                aria-label={t('vault.removeField', {
                  label:
                    customFields[index]?.label || t('vault.fieldNumber', { n: String(index + 1) }),
                })}
                onPress={() => fields.remove(index)}
              >
                <CloseIcon />
              </Button>
            </div>
          )
        })}
        <div className={styles.addFields}>
          <Button
            variant="quiet"
            isDisabled={isBusy || fields.fields.length >= 100}
            onPress={() => fields.append({ label: '', value: '', hidden: false })}
          >
            <PlusIcon />
            {t('vault.addField')}
          </Button>
          <Button
            variant="quiet"
            isDisabled={isBusy || fields.fields.length >= 100}
            onPress={() => fields.append({ label: '', value: '', hidden: true })}
          >
            <PlusIcon />
            {t('vault.addHiddenField')}
          </Button>
        </div>
      </EntrySection>

      <AttachmentEditor
        label={isDocument ? t('vault.documentFile') : t('vault.attachments')}
        kept={kept}
        onKeptChange={setKept}
        added={added}
        onAddedChange={(files) => {
          setAdded(files)
          setFileProblem(false)
        }}
        limits={limits.data}
        max={isDocument ? 1 : 100}
        isDisabled={isBusy}
      />
      {isInDialog ? <DialogFooter>{footer}</DialogFooter> : footer}
    </Form>
  )
}

/** "New entry" and "Add sub-entry": the form in a dialog. */
export function NewEntryDialog({
  vault,
  parentId,
  title,
  initialType,
  onSaved,
  onClose,
}: {
  vault: OpenVault
  parentId: string | null
  title: string
  initialType?: EntryType
  onSaved: (item: DecryptedItem) => void
  onClose: () => void
}) {
  return (
    <ModalDialog
      title={title}
      size="wide"
      isOpen
      isDismissable={false}
      onOpenChange={(isOpen) => !isOpen && onClose()}
    >
      {(close) => (
        <EntryForm
          vault={vault}
          parentId={parentId}
          initialType={initialType}
          onSaved={(item) => {
            onSaved(item)
            close()
          }}
          onCancel={close}
          isInDialog
        />
      )}
    </ModalDialog>
  )
}
