// Types for build-freshness.mjs, so TypeScript tests can import it.

export type Build = { output: string; sources: string[] }

export const BUILDS: Build[]

/** The builds (all, or those of `packages` such as 'apps/server') whose output is missing or old. */
export function staleBuilds(packages?: string[]): Build[]

/** Throws, naming the remedy, unless the builds of `packages` are up to date. */
export function assertFreshBuilds(packages: string[]): void
