import { useState } from 'react'
import { useWatch } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { Checkbox } from '../../ui/checkbox'
import { FormNumberField } from '../../ui/form-number-field'
import { FormSelect } from '../../ui/form-select'
import { FormTextField } from '../../ui/form-text-field'
import { linkExpiryOptions } from './links/link-expiry-options'
import { type LinkExpiryChoice, linkExpiryChoices } from './links/link-options'
import { PasswordStrengthMeter } from '../../ui/password-strength-meter'
import { AttachedArea, BodyField, type FieldsProps, OptionsFieldset } from './compose-field-parts'
import styles from './compose-dialog.module.css'
import type { ComposeValues } from './compose-schema'

/** Create shareable link (S20): content, then how long and how often it opens, and a lock. */
export function LinkFields({ isEmail = false, ...props }: FieldsProps & { isEmail?: boolean }) {
  const { t } = useTranslation()
  const { control, errorText, isBusy, limits, rules, files, autoFocus } = props
  const maxViews = useWatch({ control, name: 'maxViews' })
  const expiryOptions = linkExpiryOptions(
    t,
    linkExpiryChoices(limits.maxExpiryDays),
    limits.maxExpiryDays,
  )

  return (
    <>
      {!isEmail && <p className={styles.intro}>{t('compose.linkIntro')}</p>}
      <FormTextField
        control={control}
        name="subject"
        label={t('compose.subjectOptional')}
        isDisabled={isBusy}
        autoComplete="off"
        autoFocus={autoFocus}
        errorText={errorText}
      />
      <BodyField
        control={control}
        errorText={errorText}
        isBusy={isBusy}
        label={t('compose.text')}
        description={files ? t('compose.textHelp') : undefined}
      />
      <AttachedArea {...props} />
      <OptionsFieldset
        legend={t('compose.linkOptions')}
        row={
          <>
            <FormSelect<ComposeValues, LinkExpiryChoice>
              control={control}
              name="linkExpiry"
              label={t('compose.expiresAfter')}
              options={expiryOptions}
              isDisabled={isBusy}
              className={styles.expiry}
              errorText={errorText}
            />
            <FormNumberField
              control={control}
              name="maxViews"
              label={t('compose.maxViews')}
              minValue={1}
              maxValue={rules.maxLinkViews}
              isDisabled={isBusy}
              decrementLabel={t('compose.fewerViews')}
              incrementLabel={t('compose.moreViews')}
              className={styles.views}
              errorText={errorText}
            />
          </>
        }
      >
        <p className={styles.help}>
          {maxViews === 1
            ? t('compose.maxViewsOnce')
            : t('compose.maxViewsMany', { count: Number.isFinite(maxViews) ? maxViews : 0 })}
        </p>
        <PassphraseField {...props} />
        <FormTextField
          control={control}
          name="label"
          label={t('compose.label')}
          isDisabled={isBusy}
          autoComplete="off"
          description={t('compose.labelHelp')}
          errorText={errorText}
        />
      </OptionsFieldset>
    </>
  )
}

/**
 * The link's lock, shown or hidden as typed, with how strong it is; optional unless the
 * policy requires one (requireLinkPassphrase), which the field then says.
 */
function PassphraseField({ control, errorText, isBusy, rules }: FieldsProps) {
  const isRequired = rules.requireLinkPassphrase
  const { t } = useTranslation()
  const [showPassphrase, setShowPassphrase] = useState(false)
  const passphrase = useWatch({ control, name: 'passphrase' })
  return (
    <div className={styles.passphrase}>
      <FormTextField
        control={control}
        name="passphrase"
        label={isRequired ? t('compose.passphraseRequired') : t('compose.passphrase')}
        type={showPassphrase ? 'text' : 'password'}
        isDisabled={isBusy}
        isRequired={isRequired}
        autoComplete="off"
        description={
          isRequired
            ? `${t('compose.passphraseRequiredHelp')} ${t('compose.passphraseHelp')}`
            : t('compose.passphraseHelp')
        }
        errorText={errorText}
      />
      <Checkbox isSelected={showPassphrase} onChange={setShowPassphrase} isDisabled={isBusy}>
        {t('compose.showPassphrase')}
      </Checkbox>
      {passphrase !== '' && (
        <PasswordStrengthMeter
          password={passphrase}
          context={[]}
          label={t('compose.passphraseStrength')}
        />
      )}
    </div>
  )
}
