import { fileURLToPath } from 'node:url'
import fastifyCookie from '@fastify/cookie'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import { Health } from '@sealpost/core'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import { type AppContext, type Clock, systemClock } from './app-context.js'
import type { Config } from './config.js'
import type { Db, Dialect } from './db/database.js'
import { accountRoutes } from './features/account/routes.js'
import { accountRecoveryRoutes } from './features/account-recovery/routes.js'
import { auditRoutes } from './features/audit/routes.js'
import { authRoutes } from './features/auth/routes.js'
import { createLocalEventBus, type EventBus } from './features/events/bus.js'
import { eventRoutes } from './features/events/routes.js'
import { linkRoutes } from './features/links/routes.js'
import type { Mailer } from './features/mail/mailer.js'
import { createNotices } from './features/mail/notices.js'
import { messageRoutes } from './features/messages/routes.js'
import { requestRoutes } from './features/requests/routes.js'
import { sessionRoutes } from './features/sessions/routes.js'
import { twoFactorRoutes } from './features/two-factor/routes.js'
import { uploadRoutes } from './features/uploads/routes.js'
import { vaultRoutes } from './features/vault/routes.js'
import { groupRoutes } from './features/groups/routes.js'
import { vaultGrantRoutes } from './features/vault-grants/routes.js'
import { vaultRekeyRoutes } from './features/vault-rekey/routes.js'
import { policyRoutes } from './features/policies/routes.js'
import { userRoutes } from './features/users/routes.js'
import { createWebhookWakeup } from './features/webhooks/delivery.js'
import { webhookRoutes } from './features/webhooks/routes.js'
import { loadSessionUser, requireCsrfHeader } from './http/auth.js'
import { registerErrorHandler } from './http/errors.js'
import { documentRoutes, openApiOptions } from './http/openapi.js'
import { createAttemptLimiter } from './http/attempt-limiter.js'
import { addSecurityHeaders } from './http/security-headers.js'
import { serializerCompiler } from './http/serializer.js'
import { registerWebApp } from './http/web-app.js'

const webDist = fileURLToPath(new URL('../../web/dist/', import.meta.url))

export type BuildAppOptions = {
  config: Config
  db: Db
  dialect: Dialect
  opaqueServerSetup: string
  clock?: Clock
  mailer?: Mailer
  /** Defaults to in-process delivery; main.ts passes the PostgreSQL bus when on PostgreSQL. */
  events?: EventBus
  logger?: FastifyServerOptions['logger']
  /** The built web app to serve (apps/web/dist); tests pass a folder of their own. */
  webRoot?: string
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The context the features were built with (tests run the sweeper with it). */
    ctx: AppContext
  }
}

/** Builds the whole server without listening; tests use `app.inject()`. */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const clock = options.clock ?? systemClock
  const ctx: AppContext = {
    config: options.config,
    db: options.db,
    dialect: options.dialect,
    clock,
    opaqueServerSetup: options.opaqueServerSetup,
    loginLimiter: createAttemptLimiter({
      db: options.db,
      dialect: options.dialect,
      clock,
      name: 'login',
      windowMs: 15 * 60_000,
      // The hard limit is per (username, address), so an attacker elsewhere cannot lock
      // the real user out; per username alone only backs off.
      limits: {
        ip: { max: options.config.loginAttempts.perIp },
        keyAndIp: { max: options.config.loginAttempts.perUserAndIp },
        key: { max: options.config.loginAttempts.perUser, backoff: true },
      },
      what: 'sign-in attempts',
    }),
    linkLimiter: createAttemptLimiter({
      db: options.db,
      dialect: options.dialect,
      clock,
      name: 'link',
      windowMs: 15 * 60_000,
      limits: { ip: { max: 60 }, key: { max: 30 } },
      what: 'attempts to open links',
    }),
    requestLimiter: createAttemptLimiter({
      db: options.db,
      dialect: options.dialect,
      clock,
      name: 'request',
      windowMs: 15 * 60_000,
      limits: { ip: { max: 60 }, key: { max: 30 } },
      what: 'attempts to answer requests',
    }),
    recoveryLimiter: createAttemptLimiter({
      db: options.db,
      dialect: options.dialect,
      clock,
      name: 'recovery',
      windowMs: 15 * 60_000,
      // Like sign-in: hard per (username, address), backoff only per username.
      limits: { ip: { max: 30 }, keyAndIp: { max: 5 }, key: { max: 20, backoff: true } },
      what: 'recovery attempts',
    }),
    mailer: options.mailer,
    notices: createNotices(),
    events: options.events ?? createLocalEventBus(),
    webhookWakeup: createWebhookWakeup(),
  }

  const app = Fastify({
    logger: options.logger ?? false,
    trustProxy: options.config.trustProxy,
    bodyLimit: 1024 * 1024,
    // Event streams never end by themselves; closing the server must not wait for them.
    forceCloseConnections: true,
  }).withTypeProvider<ZodTypeProvider>()
  app.decorate('ctx', ctx)
  // Closing waits for emails already on their way.
  app.addHook('onClose', () => ctx.notices.settled())
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  registerErrorHandler(app)

  await app.register(fastifyCookie)
  addSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // OPAQUE and Argon2 run as WebAssembly in the browser.
        scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: options.config.secureCookies,
    referrerPolicy: { policy: 'no-referrer' },
  })

  await app.register(fastifySwagger, openApiOptions(options.config))
  documentRoutes(app)
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' })

  // Every /api route runs in one scope whose hook checks CSRF and loads the session. The
  // hook belongs to the matched routes, so a differently spelled URL (`/%61pi/…`) that
  // reaches them still passes through it.
  await app.register(
    async (api) => {
      api.addHook('onRequest', async (request) => {
        requireCsrfHeader(request)
        await loadSessionUser(ctx, request)
      })
      api.get(
        '/health',
        { schema: { tags: ['health'], summary: 'Liveness', response: { 200: Health } } },
        () => ({ status: 'ok' as const }),
      )
      await api.register(authRoutes(ctx))
      await api.register(accountRoutes(ctx))
      await api.register(sessionRoutes(ctx))
      await api.register(twoFactorRoutes(ctx))
      await api.register(accountRecoveryRoutes(ctx))
      await api.register(userRoutes(ctx))
      await api.register(policyRoutes(ctx))
      await api.register(groupRoutes(ctx))
      await api.register(auditRoutes(ctx))
      await api.register(webhookRoutes(ctx))
      await api.register(uploadRoutes(ctx))
      await api.register(messageRoutes(ctx))
      await api.register(eventRoutes(ctx))
      await api.register(linkRoutes(ctx))
      await api.register(requestRoutes(ctx))
      await api.register(vaultRoutes(ctx))
      await api.register(vaultGrantRoutes(ctx))
      await api.register(vaultRekeyRoutes(ctx))
    },
    { prefix: '/api' },
  )

  await registerWebApp(app, options.webRoot ?? webDist)

  return app
}
