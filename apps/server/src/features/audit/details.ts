const MIB = 1024 * 1024

/**
 * A size as the audit log keeps it: a class, not the byte count, so the log says "a large
 * message" without narrowing down which file it carried.
 */
export function sizeClass(bytes: number): string {
  if (bytes < MIB) return 'under 1 MiB'
  if (bytes < 10 * MIB) return '1-10 MiB'
  if (bytes < 100 * MIB) return '10-100 MiB'
  return '100 MiB or more'
}
