import type { Ref } from 'react'
import {
  Button,
  Calendar,
  CalendarCell,
  CalendarGrid,
  DateInput,
  DatePicker,
  DateSegment,
  Dialog,
  FieldError,
  Group,
  Heading,
  I18nProvider,
  Label,
  Popover,
  Text,
} from 'react-aria-components'
import { useTranslation } from 'react-i18next'
import { useLocale } from '../lib/use-locale'
import styles from './date-time-field.module.css'
import { ChevronDownIcon } from './icons'
import { formatLocalDateTime, localDateTimeOf, parseLocalDateTime } from './local-date-time'

export type DateTimeFieldProps = {
  label: string
  /** A local date and time to the minute, "2026-11-27T10:30"; '' for none. */
  value: string
  /** Called with '' while the date is cleared or incomplete. */
  onChange: (value: string) => void
  onBlur?: () => void
  /** The earliest and latest times offered; the calendar greys out the days outside them. */
  min?: Date
  max?: Date
  description?: string
  /** Shown under the field and marks it invalid. */
  error?: string
  isDisabled?: boolean
  name?: string
  /** The segments' group; the first segment takes the focus when a form points at the field. */
  groupRef?: Ref<HTMLDivElement>
  className?: string
}

/**
 * A date and time in the user's locale's order and clock (day first in en-GB, a 24-hour
 * clock in most of Europe): each part is typed or stepped with the arrow keys, or the day
 * is picked in a calendar.
 */
export function DateTimeField({
  label,
  value,
  onChange,
  onBlur,
  min,
  max,
  description,
  error,
  isDisabled,
  name,
  groupRef,
  className,
}: DateTimeFieldProps) {
  const { t } = useTranslation()
  const locale = useLocale()
  return (
    // React Aria reads the browser's language by default; the app's locale decides instead.
    <I18nProvider locale={locale}>
      <DatePicker
        value={parseLocalDateTime(value)}
        onChange={(picked) => onChange(formatLocalDateTime(picked))}
        onBlur={onBlur}
        minValue={min ? localDateTimeOf(min) : undefined}
        maxValue={max ? localDateTimeOf(max) : undefined}
        granularity="minute"
        // Parts keep their width as they are typed: "08:05", not "8:5".
        shouldForceLeadingZeros
        // The form's own rules decide what is wrong, and say it in words (error).
        isInvalid={Boolean(error)}
        validationBehavior="aria"
        isDisabled={isDisabled}
        name={name}
        className={[styles.field, className].filter(Boolean).join(' ')}
      >
        <Label className={styles.label}>{label}</Label>
        <Group ref={groupRef} className={styles.group}>
          <DateInput className={styles.input}>
            {(segment) => <DateSegment segment={segment} className={styles.segment} />}
          </DateInput>
          <Button className={styles.trigger} aria-label={t('dateTimeField.openCalendar')}>
            <ChevronDownIcon />
          </Button>
        </Group>
        {description && (
          <Text slot="description" className={styles.description}>
            {description}
          </Text>
        )}
        <FieldError className={styles.error}>{error}</FieldError>
        <Popover className={styles.popover} placement="bottom end">
          <Dialog className={styles.dialog}>
            <Calendar className={styles.calendar}>
              <header className={styles.header}>
                <Button
                  slot="previous"
                  className={styles.step}
                  aria-label={t('dateTimeField.previousMonth')}
                >
                  <ChevronDownIcon className={styles.previous} />
                </Button>
                <Heading className={styles.heading} />
                <Button
                  slot="next"
                  className={styles.step}
                  aria-label={t('dateTimeField.nextMonth')}
                >
                  <ChevronDownIcon className={styles.next} />
                </Button>
              </header>
              <CalendarGrid className={styles.grid}>
                {(date) => <CalendarCell date={date} className={styles.cell} />}
              </CalendarGrid>
            </Calendar>
          </Dialog>
        </Popover>
      </DatePicker>
    </I18nProvider>
  )
}
