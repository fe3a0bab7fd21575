import {
  type PolicyKey,
  type PolicySettings,
  type PolicyUpdate,
  type PolicyValues,
  policyKeys,
} from '@sealpost/core'
import type { UseMutationResult } from '@tanstack/react-query'
import { useId } from 'react'
import { useForm } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { Button } from '../../../ui/button'
import { FormTextField } from '../../../ui/form-text-field'
import { Switch } from '../../../ui/switch'
import { isSet, isSwitchKey, parsePolicyText, policyValueText } from './policy-values'
import styles from './policy-values-editor.module.css'

/** One key set (a value) or cleared (null) for a scope. */
export type PolicyChange = { key: PolicyKey; update: PolicyUpdate }
export type SetPolicy = UseMutationResult<unknown, Error, PolicyChange>

/** What the editor says of a scope's keys: a group's or the organisation's. */
export type PolicyScopeWords = {
  /** A key the scope sets: "Set for this group". */
  set: string
  /** A key it does not: "Not set (follows the organisation)". */
  notSet: string
  /** What an unset key follows: "The organisation’s value: 7d." */
  inherited: (value: string) => string
}

/**
 * Every policy key with its name, description and the scope's value (a switch, or a value
 * typed as the CLI takes it), saved one key at a time; a group can also clear a key, so it
 * follows the organisation again. The Groups and Policies pages share it.
 */
export function PolicyValuesEditor({
  settings,
  inherited,
  setPolicy,
  words,
  canClear,
  labelledBy,
}: {
  settings: PolicySettings
  /** What each key is while the scope does not set it (undefined while it loads). */
  inherited: PolicyValues | undefined
  setPolicy: SetPolicy
  words: PolicyScopeWords
  canClear: boolean
  labelledBy: string
}) {
  return (
    <ul className={styles.policyList} aria-labelledby={labelledBy}>
      {policyKeys.map((key) => {
        const props: RowProps = {
          policyKey: key,
          settings,
          inheritedValue: inherited?.[key],
          setPolicy,
          words,
          canClear,
        }
        return (
          <li key={key} className={styles.policyRow}>
            {isSwitchKey(key) ? <SwitchPolicy {...props} /> : <TextPolicy {...props} />}
          </li>
        )
      })}
    </ul>
  )
}

type RowProps = {
  policyKey: PolicyKey
  settings: PolicySettings
  inheritedValue: PolicyValues[PolicyKey] | undefined
  setPolicy: SetPolicy
  words: PolicyScopeWords
  canClear: boolean
}

/** The scope's value, or that it inherits one. */
function PolicyStatus({ id, policyKey, settings, words }: RowProps & { id: string }) {
  return (
    <p id={id} className={isSet(settings, policyKey) ? styles.policySet : styles.muted}>
      {isSet(settings, policyKey) ? words.set : words.notSet}
    </p>
  )
}

function ClearButton({ policyKey, settings, setPolicy, canClear }: RowProps) {
  const { t } = useTranslation()
  if (!canClear || !isSet(settings, policyKey)) return null
  return (
    <Button
      variant="quiet"
      aria-label={t('policies.clearFor', { policy: t(`policies.keys.${policyKey}`) })}
      isPending={setPolicy.isPending && setPolicy.variables.key === policyKey}
      onPress={() => setPolicy.mutate({ key: policyKey, update: { [policyKey]: null } })}
    >
      {t('policies.clear')}
    </Button>
  )
}

function SwitchPolicy(props: RowProps) {
  const { t } = useTranslation()
  const { policyKey, settings, inheritedValue, setPolicy } = props
  const statusId = useId()
  const descriptionId = useId()
  const own = settings[policyKey]
  const pending =
    setPolicy.isPending && setPolicy.variables.key === policyKey
      ? setPolicy.variables.update[policyKey]
      : undefined
  // While a change is on its way the switch shows it; unset, it shows what the scope inherits.
  const value = pending ?? own ?? inheritedValue
  return (
    <>
      <div className={styles.policyText}>
        <Switch
          isSelected={value === true}
          isDisabled={inheritedValue === undefined && own === undefined}
          aria-describedby={`${descriptionId} ${statusId}`}
          onChange={(isSelected) =>
            setPolicy.mutate({ key: policyKey, update: { [policyKey]: isSelected } })
          }
        >
          {t(`policies.keys.${policyKey}`)}
        </Switch>
        <p id={descriptionId} className={styles.muted}>
          {t(`policies.descriptions.${policyKey}`)}
        </p>
        <PolicyStatus id={statusId} {...props} />
      </div>
      <div className={styles.policyActions}>
        <ClearButton {...props} />
      </div>
    </>
  )
}

type TextForm = { value: string }

function TextPolicy(props: RowProps) {
  const { t } = useTranslation()
  const { policyKey, settings, inheritedValue, setPolicy, words } = props
  const statusId = useId()
  const label = t(`policies.keys.${policyKey}`)
  const { control, handleSubmit, setError } = useForm<TextForm>({
    // Follows the server's value after each save or clear.
    values: { value: policyValueText(settings[policyKey]) },
  })
  const submit = handleSubmit((values) => {
    const parsed = parsePolicyText(policyKey, values.value)
    if (!parsed.ok) {
      setError('value', { message: 'invalid' }, { shouldFocus: true })
      return
    }
    setPolicy.mutate({ key: policyKey, update: parsed.update })
  })
  const isSaving =
    setPolicy.isPending &&
    setPolicy.variables.key === policyKey &&
    setPolicy.variables.update[policyKey] !== null

  const inheritedText =
    Array.isArray(inheritedValue) && inheritedValue.length === 0
      ? t('policies.anyDomain')
      : inheritedValue === undefined
        ? '…'
        : policyValueText(inheritedValue)
  const description = t(`policies.descriptions.${policyKey}`)

  return (
    <form
      className={styles.policyForm}
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-label={label}
    >
      <FormTextField
        control={control}
        name="value"
        className={styles.policyField}
        label={label}
        description={
          isSet(settings, policyKey)
            ? description
            : `${description} ${words.inherited(inheritedText)}`
        }
        autoComplete="off"
        errorText={() => t('policies.invalid')}
      />
      <div className={styles.policyFooter}>
        <PolicyStatus id={statusId} {...props} />
        <Button
          type="submit"
          aria-label={t('policies.saveFor', { policy: label })}
          isPending={isSaving}
        >
          {t('policies.save')}
        </Button>
        <ClearButton {...props} />
      </div>
    </form>
  )
}
