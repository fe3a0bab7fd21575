import { utf8 } from '@sealpost/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { saveFile } from '../../../lib/save-file'
import { Button } from '../../../ui/button'
import { Checkbox } from '../../../ui/checkbox'
import styles from './recovery-code-kit.module.css'

/**
 * A new recovery code, shown once: in groups to write down, printable (only this card is
 * printed) and downloadable as a text file. Done waits until the user says it is kept.
 */
export function RecoveryCodeKit({
  code,
  username,
  onDone,
}: {
  code: string
  username: string
  onDone: () => void
}) {
  const { t: at } = useTranslation('account')
  const [isKept, setKept] = useState(false)
  const kitText = at('recovery.kit.file', {
    username,
    code,
    origin: window.location.origin,
  })
  return (
    <div className={styles.kit}>
      <div className={styles.printable}>
        <h2 className={styles.title}>{at('recovery.kit.title')}</h2>
        <p>{at('recovery.kit.for', { username, origin: window.location.origin })}</p>
        <code className={styles.code} aria-label={at('recovery.kit.codeLabel')}>
          {code.split('-').map((group, index) => (
            <span key={index}>{group}</span>
          ))}
        </code>
        <p className={styles.help}>{at('recovery.kit.help')}</p>
      </div>
      <p className={styles.once}>{at('recovery.kit.once')}</p>
      <div className={styles.actions}>
        <Button onPress={() => window.print()}>{at('recovery.kit.print')}</Button>
        <Button onPress={() => saveFile(utf8(kitText), 'sealpost-recovery-code.txt')}>
          {at('recovery.kit.download')}
        </Button>
      </div>
      <Checkbox isSelected={isKept} onChange={setKept}>
        {at('recovery.kit.kept')}
      </Checkbox>
      <Button variant="primary" isWide isDisabled={!isKept} onPress={onDone}>
        {at('recovery.kit.done')}
      </Button>
    </div>
  )
}
