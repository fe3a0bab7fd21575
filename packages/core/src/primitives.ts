/**
 * Low-level building blocks under the protocol: AES-GCM with a caller-chosen IV, HKDF,
 * X25519, Ed25519, HPKE and raw envelopes. Product code calls the protocol functions of
 * `@sealpost/core` instead; only the vectors, tests and the benchmark import these (lint
 * enforces it), so a misuse such as a repeated IV cannot start in an app.
 */
export * from './crypto/aes-gcm.js'
export * from './crypto/hkdf.js'
export * from './crypto/x25519.js'
export * from './crypto/ed25519.js'
export * from './crypto/hpke.js'
export * from './crypto/envelope.js'
