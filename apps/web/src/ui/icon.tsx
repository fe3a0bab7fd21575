import type { SVGProps } from 'react'

/*
 * Every icon draws with `Icon`; the alerts' two icons live here, not in icons.tsx, because the
 * sign-in page shows them: it then downloads these and not the app's ~30 others (issue 15).
 */

export type IconProps = SVGProps<SVGSVGElement>

/** The one drawing style of every icon: 24-unit grid, 1.8 stroke, hidden from screen readers. */
export function Icon({ children, size = 20, ...props }: IconProps & { size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      {...props}
    >
      {children}
    </svg>
  )
}

export function InfoIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <circle cx="12" cy="12" r="9" />
      <path d="M12 11v6M12 7.5v.01" />
    </Icon>
  )
}

export function AlertIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M12 3 2 20h20z" />
      <path d="M12 10v4M12 17v.01" />
    </Icon>
  )
}
