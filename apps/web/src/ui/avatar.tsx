import styles from './avatar.module.css'

/** Up to two initials: first letters of the first and last words of the name. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean)
  const first = words[0]?.[0] ?? '?'
  const last = words.length > 1 ? (words.at(-1)?.[0] ?? '') : ''
  return (first + last).toUpperCase()
}

/** Initials in a circle; decorative, the surrounding control carries the name. */
export function Avatar({ name, size = 'normal' }: { name: string; size?: 'normal' | 'large' }) {
  return (
    <span className={`${styles.avatar} ${size === 'large' ? styles.large : ''}`} aria-hidden="true">
      {initialsOf(name)}
    </span>
  )
}
