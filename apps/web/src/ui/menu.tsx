import type { ReactNode } from 'react'
import {
  Header,
  Menu as AriaMenu,
  MenuItem as AriaMenuItem,
  type MenuItemProps as AriaMenuItemProps,
  type MenuProps as AriaMenuProps,
  MenuSection as AriaMenuSection,
  type MenuSectionProps as AriaMenuSectionProps,
  Popover,
  Separator,
} from 'react-aria-components'
import { CheckIcon } from './icons'
import styles from './menu.module.css'

/** A menu in a popover; put it inside a MenuTrigger after the button that opens it. */
export function Menu<T extends object>({
  children,
  placement = 'bottom end',
  ...props
}: Omit<AriaMenuProps<T>, 'className'> & { placement?: 'bottom end' | 'bottom start' }) {
  return (
    <Popover className={styles.popover} placement={placement}>
      <AriaMenu {...props} className={styles.menu}>
        {children}
      </AriaMenu>
    </Popover>
  )
}

export function MenuItem({
  children,
  isDanger = false,
  ...props
}: Omit<AriaMenuItemProps, 'className' | 'children'> & {
  children: ReactNode
  isDanger?: boolean
}) {
  const textValue = props.textValue ?? (typeof children === 'string' ? children : undefined)
  return (
    <AriaMenuItem
      {...props}
      textValue={textValue}
      className={`${styles.item} ${isDanger ? styles.danger : ''}`}
    >
      {({ selectionMode, isSelected }) => (
        <>
          {selectionMode !== 'none' && (
            <span className={styles.check}>{isSelected && <CheckIcon />}</span>
          )}
          {children}
        </>
      )}
    </AriaMenuItem>
  )
}

export function MenuSection<T extends object>({
  title,
  children,
  ...props
}: Omit<AriaMenuSectionProps<T>, 'className' | 'children'> & {
  title?: string
  children: ReactNode
}) {
  return (
    <AriaMenuSection {...props}>
      {title && <Header className={styles.sectionHeader}>{title}</Header>}
      {children}
    </AriaMenuSection>
  )
}

export function MenuSeparator() {
  return <Separator className={styles.separator} />
}
