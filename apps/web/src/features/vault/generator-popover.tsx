import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { DialogTrigger, Popover } from 'react-aria-components'
import { Button } from '../../ui/button'
import { Checkbox } from '../../ui/checkbox'
import { RefreshIcon } from '../../ui/item-icons'
import { Slider } from '../../ui/slider'
import {
  CLASS_NAMES,
  type CharacterClass,
  DEFAULT_OPTIONS,
  type GeneratorOptions,
  MAX_LENGTH,
  MIN_LENGTH,
  generatePassword,
} from './password-generator'
import styles from './generator-popover.module.css'

/** "Generate": length and kinds of characters, a preview, and "Use this password". */
export function GeneratorPopover({
  onUse,
  isDisabled,
}: {
  onUse: (password: string) => void
  isDisabled?: boolean
}) {
  const { t } = useTranslation()
  const [isOpen, setOpen] = useState(false)
  const headingId = useId()
  return (
    <DialogTrigger isOpen={isOpen} onOpenChange={setOpen}>
      <Button isDisabled={isDisabled}>
        <RefreshIcon />
        {t('vault.generate')}
      </Button>
      {/*
       * The popover is the dialog itself, named by its heading: a popover labelled by its
       * trigger around a separate dialog is labelled content outside any landmark (axe region).
       */}
      <Popover className={styles.popover} placement="bottom end" aria-labelledby={headingId}>
        <div className={styles.dialog}>
          <Generator
            headingId={headingId}
            onUse={(password) => {
              onUse(password)
              setOpen(false)
            }}
          />
        </div>
      </Popover>
    </DialogTrigger>
  )
}

function Generator({ headingId, onUse }: { headingId: string; onUse: (password: string) => void }) {
  const { t } = useTranslation()
  const [options, setOptions] = useState<GeneratorOptions>(DEFAULT_OPTIONS)
  const [password, setPassword] = useState(() => generatePassword(DEFAULT_OPTIONS))
  const chosen = CLASS_NAMES.filter((name) => options[name])

  function change(next: GeneratorOptions) {
    setOptions(next)
    setPassword(generatePassword(next))
  }

  const classLabels: Record<CharacterClass, string> = {
    lower: t('vault.classLower'),
    upper: t('vault.classUpper'),
    digits: t('vault.classDigits'),
    symbols: t('vault.classSymbols'),
  }

  return (
    <div className={styles.generator}>
      <h2 id={headingId} className={styles.title}>
        {t('vault.generatorTitle')}
      </h2>
      <div className={styles.previewRow}>
        <output className={styles.preview} aria-label={t('vault.generatedPassword')}>
          {password}
        </output>
        <Button
          variant="quiet"
          isIconOnly
          aria-label={t('vault.regenerate')}
          onPress={() => setPassword(generatePassword(options))}
        >
          <RefreshIcon />
        </Button>
      </div>
      <Slider
        label={t('vault.length')}
        minValue={MIN_LENGTH}
        maxValue={MAX_LENGTH}
        value={options.length}
        onChange={(length) => change({ ...options, length })}
      />
      <fieldset className={styles.classes}>
        <legend className={styles.legend}>{t('vault.characters')}</legend>
        <div className={styles.classGrid}>
          {CLASS_NAMES.map((name) => (
            <Checkbox
              key={name}
              isSelected={options[name]}
              // The last kind left cannot go: a password needs at least one.
              isDisabled={options[name] && chosen.length === 1}
              onChange={(isSelected) => change({ ...options, [name]: isSelected })}
            >
              {classLabels[name]}
            </Checkbox>
          ))}
        </div>
      </fieldset>
      <Button variant="primary" onPress={() => onUse(password)}>
        {t('vault.usePassword')}
      </Button>
    </div>
  )
}
