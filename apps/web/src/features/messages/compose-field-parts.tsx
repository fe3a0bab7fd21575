import type { MessagingLimits } from '@sealpost/core'
import type { ReactNode } from 'react'
import type { Control } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import type { ErrorText } from '../../ui/form-field-error'
import { FormTextArea } from '../../ui/form-text-area'
import { ComposeAttachments } from './compose-attachments'
import styles from './compose-dialog.module.css'
import type { ComposeRules } from './compose-policy'
import type { ComposeValues } from './compose-schema'

/** What every tab's fields share: the one form, its words for errors, and whether it is busy. */
export type FieldsProps = {
  control: Control<ComposeValues>
  errorText: ErrorText
  isBusy: boolean
  limits: MessagingLimits
  /** What the user's policy presets and limits. */
  rules: ComposeRules
  /** The files of the form, when the user may send attachments; else null. */
  files: { list: File[]; onChange: (files: File[]) => void } | null
  /**
   * Focus the first field: when the dialog opens on this tab, not when the user switches to
   * it (the focus stays on the tabs, so the arrow keys keep moving between them).
   */
  autoFocus: boolean
  /** The attached copy of vault content (S7, S20), shown with the files. */
  copy?: ReactNode
  /** The id of the area that holds the copy and the files (the form scrolls to it). */
  attachmentsId: string
}

/** The copy and the files, in one area the form's "N attached" button brings into view. */
export function AttachedArea({
  attachmentsId,
  copy,
  files,
  limits,
  isBusy,
}: Pick<FieldsProps, 'attachmentsId' | 'copy' | 'files' | 'limits' | 'isBusy'>) {
  const { t } = useTranslation()
  return (
    <div
      id={attachmentsId}
      role="group"
      aria-label={t('compose.attachments')}
      tabIndex={-1}
      className={styles.attachedArea}
    >
      {copy}
      {/* Where files would go: why there are none to choose. */}
      {!files && <p className={styles.help}>{t('compose.attachmentsOff')}</p>}
      {files && (
        <ComposeAttachments
          files={files.list}
          onFilesChange={files.onChange}
          limits={limits}
          isDisabled={isBusy}
        />
      )}
    </div>
  )
}

/** A framed group of options under its legend; `row` holds the fields side by side. */
export function OptionsFieldset({
  legend,
  row,
  children,
}: {
  legend: string
  row: ReactNode
  children?: ReactNode
}) {
  return (
    <fieldset className={styles.options}>
      <legend className={styles.legend}>{legend}</legend>
      <div className={styles.optionsRow}>{row}</div>
      {children}
    </fieldset>
  )
}

/** The message text: "Message" in-app, "Text" for a link. */
export function BodyField({
  control,
  errorText,
  isBusy,
  ...props
}: Pick<FieldsProps, 'control' | 'errorText' | 'isBusy'> & {
  label: string
  description?: string
  autoFocus?: boolean
}) {
  return (
    <FormTextArea
      {...props}
      control={control}
      name="body"
      isDisabled={isBusy}
      rows={6}
      errorText={errorText}
    />
  )
}
