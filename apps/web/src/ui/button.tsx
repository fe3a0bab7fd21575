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
  ...props
}: ButtonProps) {
  const classes = [
    styles.button,
    styles[variant],
    isIconOnly ? styles.icon : undefined,
    isWide ? styles.wide : undefined,
    className,
  ]
  return <AriaButton {...props} className={classes.filter(Boolean).join(' ')} />
}
