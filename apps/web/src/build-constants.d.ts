/**
 * Set by the Vite configs: the public build's URL of the copied-items island (its module and
 * CSS, from vite.island.config.ts's manifest); null in the app, which loads those parts itself.
 */
declare const __LINK_ITEMS__: { js: string; css: string[] } | null

/** True in the public pages' build (vite.public.config.ts), false in the app's and the island's. */
declare const __PUBLIC_BUILD__: boolean
