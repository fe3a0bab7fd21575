import { Button as AriaButton, type ButtonProps as AriaButtonProps } from 'react-aria-components'
import styles from './button.module.css'

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'quiet'

export type ButtonProps = Omit<AriaButtonProps, 'className'> & {
  variant?: ButtonVariant
  /** Square button that holds only an icon; give it an aria-label. */
  isIconOnly?: boolean
  isWide?: boolean
  className?: string
}

/** Every clickable action. "danger" is for destructive actions only. */
export function Button({
  variant = 'secondary',
  isIconOnly = false,
  isWide = false,
  className,
  isPending = false,
  ...props
}: ButtonProps) {
  const classes = [
    styles.button,
    styles[variant],
    isIconOnly ? styles.icon : undefined,
    isWide ? styles.wide : undefined,
    isPending ? styles.pending : undefined,
    className,
  ]
  /*
   * Busy: still focusable, but it does nothing and cannot submit. This is react-aria's
   * isPending without its announcement, which points its live region at the button by id and
   * leaves an empty role="img" there when the button goes (a dialog that closes on success);
   * each busy form says what is happening in its own progress line instead.
   */
  const busy: Partial<AriaButtonProps> & Record<string, unknown> = isPending
    ? {
        onPress: undefined,
        onPressStart: undefined,
        onPressEnd: undefined,
        onPressUp: undefined,
        onPressChange: undefined,
        type: props.type === 'submit' ? 'button' : props.type,
        'aria-disabled': true,
      }
    : {}
  return <AriaButton {...props} {...busy} className={classes.filter(Boolean).join(' ')} />
}
