import {
  type GroupDetail,
  type PolicyKey,
  type PolicySettings,
  type PolicyValues,
  policyKeys,
} from '@sealpost/core'
import { useId } from 'react'
import { useForm } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../i18n/error-message'
import { Alert } from '../../../ui/alert'
import { Button } from '../../../ui/button'
import { FormTextField } from '../../../ui/form-text-field'
import { Skeleton } from '../../../ui/skeleton'
import { Switch } from '../../../ui/switch'
import { isSet, isSwitchKey, parsePolicyText, policyValueText } from './group-policy-values'
import { useGroupPolicy, useOrgPolicy, useSetGroupPolicy } from './use-groups'
import styles from './groups-page.module.css'

type SetPolicy = ReturnType<typeof useSetGroupPolicy>

/** Every policy key with the group's value or "Not set"; set, change or clear each. */
export function GroupPolicy({ group }: { group: GroupDetail }) {
  const { t } = useTranslation()
  const policy = useGroupPolicy(group.id)
  const org = useOrgPolicy()
  const setPolicy = useSetGroupPolicy(group)
  const headingId = useId()

  return (
    <div className={styles.section}>
      <h3 id={headingId} className={styles.sectionTitle}>
        {t('groups.policy.title')}
      </h3>
      <p className={styles.muted}>{t('groups.policy.intro')}</p>
      {policy.isPending && (
        <div className={styles.skeletonRows} aria-busy="true">
          <span className="visually-hidden" role="status">
            {t('groups.policy.loading')}
          </span>
          <Skeleton height="32px" />
          <Skeleton height="32px" />
        </div>
      )}
      {policy.isError && (
        <Alert tone="error">
          {t('groups.policy.loadError', { reason: errorMessage(t, policy.error) })}
          <Button onPress={() => void policy.refetch()}>{t('users.retry')}</Button>
        </Alert>
      )}
      {policy.data && (
        <ul className={styles.policyList} aria-labelledby={headingId}>
          {policyKeys.map((key) => (
            <li key={key} className={styles.policyRow}>
              {isSwitchKey(key) ? (
                <SwitchPolicy
                  policyKey={key}
                  settings={policy.data.settings}
                  orgValue={org.data?.effective[key].value}
                  setPolicy={setPolicy}
                />
              ) : (
                <TextPolicy
                  policyKey={key}
                  settings={policy.data.settings}
                  orgValue={org.data?.effective[key].value}
                  setPolicy={setPolicy}
                />
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

type RowProps = {
  policyKey: PolicyKey
  settings: PolicySettings
  /** What the key follows while the group does not set it. */
  orgValue: PolicyValues[PolicyKey] | undefined
  setPolicy: SetPolicy
}

/** The group's value, or that it follows the organisation. */
function PolicyStatus({ id, policyKey, settings }: RowProps & { id: string }) {
  const { t } = useTranslation()
  return (
    <p id={id} className={isSet(settings, policyKey) ? styles.policySet : styles.muted}>
      {isSet(settings, policyKey) ? t('groups.policy.setForGroup') : t('groups.policy.notSet')}
    </p>
  )
}

function ClearButton({ policyKey, settings, setPolicy }: RowProps) {
  const { t } = useTranslation()
  if (!isSet(settings, policyKey)) return null
  return (
    <Button
      variant="quiet"
      aria-label={t('groups.policy.clearFor', { policy: t(`groups.policy.keys.${policyKey}`) })}
      isPending={setPolicy.isPending && setPolicy.variables.key === policyKey}
      onPress={() => setPolicy.mutate({ key: policyKey, update: { [policyKey]: null } })}
    >
      {t('groups.policy.clear')}
    </Button>
  )
}

function SwitchPolicy(props: RowProps) {
  const { t } = useTranslation()
  const { policyKey, settings, orgValue, setPolicy } = props
  const statusId = useId()
  const descriptionId = useId()
  const own = settings[policyKey]
  const pending =
    setPolicy.isPending && setPolicy.variables.key === policyKey
      ? setPolicy.variables.update[policyKey]
      : undefined
  // While a change is on its way the switch shows it; unset, it shows what the group follows.
  const value = pending ?? own ?? orgValue
  return (
    <>
      <div className={styles.policyText}>
        <Switch
          isSelected={value === true}
          isDisabled={orgValue === undefined && own === undefined}
          aria-describedby={`${descriptionId} ${statusId}`}
          onChange={(isSelected) =>
            setPolicy.mutate({ key: policyKey, update: { [policyKey]: isSelected } })
          }
        >
          {t(`groups.policy.keys.${policyKey}`)}
        </Switch>
        <p id={descriptionId} className={styles.muted}>
          {t(`groups.policy.descriptions.${policyKey}`)}
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
  const { policyKey, settings, orgValue, setPolicy } = props
  const statusId = useId()
  const label = t(`groups.policy.keys.${policyKey}`)
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

  const orgText =
    Array.isArray(orgValue) && orgValue.length === 0
      ? t('groups.policy.anyDomain')
      : orgValue === undefined
        ? '…'
        : policyValueText(orgValue)
  const description = t(`groups.policy.descriptions.${policyKey}`)

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
            : `${description} ${t('groups.policy.orgValue', { value: orgText })}`
        }
        autoComplete="off"
        errorText={() => t('groups.policy.invalid')}
      />
      <div className={styles.policyFooter}>
        <PolicyStatus id={statusId} {...props} />
        <Button
          type="submit"
          aria-label={t('groups.policy.saveFor', { policy: label })}
          isPending={isSaving}
        >
          {t('groups.policy.save')}
        </Button>
        <ClearButton {...props} />
      </div>
    </form>
  )
}
