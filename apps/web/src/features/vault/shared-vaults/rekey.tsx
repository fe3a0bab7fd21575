import type { OpenVault } from '@sealpost/core'
import { Suspense, lazy, useState } from 'react'
import { Link } from 'react-aria-components'
import { useTranslation } from 'react-i18next'
import { withAppStrings } from '../../../i18n'
import { useLocale } from '../../../lib/use-locale'
import { useSignedIn } from '../../../lib/session/signed-in-context'
import { Alert } from '../../../ui/alert'
import { Button } from '../../../ui/button'
import { useVaultMembers, useVaults } from '../use-vaults'
import { vaultPath } from '../vault-paths'
import styles from './vault-members-dialog.module.css'

const RekeyDialog = lazy(async () => ({
  default: (await withAppStrings(import('./rekey-dialog'))).RekeyDialog,
}))

/*
 * Re-keying a shared vault (issue 13). Whoever loses a vault may still hold its key, so the
 * vault page and its Members dialog prompt an administrator by themselves, naming who left;
 * the Members dialog also offers it at any time. The work runs on this device (core's
 * rekeyVault) and the server swaps it in at once, so stopping midway changes nothing.
 */

/**
 * Administrators of a shared vault: why it should be re-keyed and a button that does it, on
 * the vault's page while it is due; inside the Members dialog (`always`) also when it is not.
 */
export function RekeyPrompt({ vault, always = false }: { vault: OpenVault; always?: boolean }) {
  const { session } = useSignedIn()
  // Here, not in the prompt: the prompt goes once the re-key lands, the dialog says it did.
  const [isOpen, setOpen] = useState(false)
  if (vault.kind !== 'shared' || session.user.role !== 'admin') return null
  return (
    <>
      {(vault.rekeyDue || always) && (
        <RekeyPromptBody vault={vault} onRekey={() => setOpen(true)} />
      )}
      {isOpen && (
        <Suspense fallback={null}>
          <RekeyDialog vault={vault} onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  )
}

function RekeyPromptBody({ vault, onRekey }: { vault: OpenVault; onRekey: () => void }) {
  const { t } = useTranslation()
  const locale = useLocale()
  const members = useVaultMembers(vault.id)
  // Who lost the vault since its key was made: people who left, and disabled members.
  const leavers = members.data
    ? [
        ...members.data.departed.map((d) => d.displayName),
        ...members.data.members.filter((m) => !m.active).map((m) => m.displayName),
      ].sort(new Intl.Collator(locale).compare)
    : []
  const button = (
    <Button variant={vault.rekeyDue ? 'primary' : 'secondary'} onPress={onRekey}>
      {t('vault.rekey.button')}
    </Button>
  )
  return (
    <>
      {vault.rekeyDue ? (
        <Alert tone="warning">
          <p>
            {leavers.length === 0
              ? t('vault.rekey.dueUnnamed')
              : t('vault.rekey.due', {
                  count: leavers.length,
                  names: new Intl.ListFormat(locale, { type: 'conjunction' }).format(leavers),
                })}
          </p>
          {button}
        </Alert>
      ) : (
        <section className={styles.add} aria-labelledby="vault-key-title">
          <h3 id="vault-key-title" className={styles.addTitle}>
            {t('vault.rekey.title')}
          </h3>
          <p className={styles.intro}>{t('vault.rekey.notDue')}</p>
          <div>{button}</div>
        </section>
      )}
    </>
  )
}

/** On My vault, for administrators: the shared vaults due for a re-key, each a link to it. */
export function RekeyDueVaults() {
  const { t } = useTranslation()
  const { session } = useSignedIn()
  const vaults = useVaults()
  const due = (vaults.data ?? []).filter((v) => v.kind === 'shared' && v.rekeyDue)
  if (session.user.role !== 'admin' || due.length === 0) return null
  return (
    <Alert tone="warning">
      <p>{t('vault.rekey.dueList', { count: due.length })}</p>
      <ul className={styles.pendingList}>
        {due.map((vault) => (
          <li key={vault.id}>
            <Link href={vaultPath(vault)}>{vault.name}</Link>
          </li>
        ))}
      </ul>
    </Alert>
  )
}
