import { utf8 } from '@sealpost/core'
import { useTranslation } from 'react-i18next'
import { saveFile } from '../../../lib/save-file'
import { Button } from '../../../ui/button'
import styles from './two-factor.module.css'

/** Ten one-time backup codes, shown once, with a download. */
export function BackupCodesList({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t: at } = useTranslation('account')
  return (
    <div className={styles.stack}>
      <p>{at('twoFactor.backup.intro')}</p>
      <ul className={styles.codes} aria-label={at('twoFactor.backup.label')}>
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <div className={styles.row}>
        <Button
          onPress={() =>
            saveFile(
              utf8(`${at('twoFactor.backup.file')}\n\n${codes.join('\n')}\n`),
              'sealpost-backup-codes.txt',
            )
          }
        >
          {at('twoFactor.backup.download')}
        </Button>
        <Button variant="primary" onPress={onDone}>
          {at('twoFactor.backup.done')}
        </Button>
      </div>
    </div>
  )
}
