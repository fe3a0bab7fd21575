/*
 * The credential password generator. Randomness comes from crypto.getRandomValues (never
 * Math.random), drawn without modulo bias, and every chosen character class appears at least
 * once.
 */

export const MIN_LENGTH = 12
export const MAX_LENGTH = 64
export const DEFAULT_LENGTH = 20

export const CHARACTER_CLASSES = {
  lower: 'abcdefghijklmnopqrstuvwxyz',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  // No quotes, backslash or space: they break too many login forms and shells.
  symbols: '!#$%&()*+,-./:;<=>?@[]^_{|}~',
} as const

export type CharacterClass = keyof typeof CHARACTER_CLASSES
export const CLASS_NAMES = Object.keys(CHARACTER_CLASSES) as CharacterClass[]

export type GeneratorOptions = { length: number } & Record<CharacterClass, boolean>

export const DEFAULT_OPTIONS: GeneratorOptions = {
  length: DEFAULT_LENGTH,
  lower: true,
  upper: true,
  digits: true,
  symbols: true,
}

/** A uniform integer in [0, max) from the platform's CSPRNG, by rejection sampling. */
export function randomBelow(max: number): number {
  if (!Number.isInteger(max) || max < 1 || max > 2 ** 32) throw new RangeError('bad range')
  // The largest multiple of max that fits in 32 bits; draws at or above it would bias.
  const limit = 2 ** 32 - (2 ** 32 % max)
  const buffer = new Uint32Array(1)
  for (;;) {
    crypto.getRandomValues(buffer)
    const value = buffer[0] ?? 0
    if (value < limit) return value % max
  }
}

function pick(alphabet: string, random: (max: number) => number): string {
  return alphabet.charAt(random(alphabet.length))
}

/**
 * A password of `length` characters (clamped to 12–64) with at least one of each chosen
 * class. `random` is for tests; it must return a uniform integer in [0, max).
 */
export function generatePassword(
  options: GeneratorOptions,
  random: (max: number) => number = randomBelow,
): string {
  const classes = CLASS_NAMES.filter((name) => options[name])
  if (classes.length === 0) throw new Error('choose at least one kind of character')
  const length = Math.min(MAX_LENGTH, Math.max(MIN_LENGTH, Math.round(options.length)))
  const all = classes.map((name) => CHARACTER_CLASSES[name]).join('')
  const chars = classes.map((name) => pick(CHARACTER_CLASSES[name], random))
  while (chars.length < length) chars.push(pick(all, random))
  // Fisher–Yates, so the guaranteed characters do not always lead.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = random(i + 1)
    const swap = chars[i] ?? ''
    chars[i] = chars[j] ?? ''
    chars[j] = swap
  }
  return chars.join('')
}

/** Which classes a password uses; for tests and the generator's own checks. */
export function classesIn(password: string): Set<CharacterClass> {
  const found = new Set<CharacterClass>()
  for (const name of CLASS_NAMES) {
    if ([...password].some((c) => CHARACTER_CLASSES[name].includes(c))) found.add(name)
  }
  return found
}
