import { ApiError } from '@sealpost/core'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { type ReactNode, Suspense, lazy } from 'react'
import { RouterProvider as AriaRouterProvider } from 'react-aria-components'
import { useTranslation } from 'react-i18next'
import { Outlet, createBrowserRouter, useHref, useNavigate } from 'react-router'
import { RouterProvider } from 'react-router/dom'
import { withAppStrings } from './i18n'
import { SessionGate } from './shell/session-gate'
import { ErrorPage } from './shell/error-page'
import { PageProgress } from './ui/progress'
import { Toasts } from './ui/toast'

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx answer will not change by asking again; network and 5xx get two more tries.
      retry: (failures, error) =>
        !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
    },
    mutations: { retry: false },
  },
})

/** Lets react-aria links and menu items navigate through the router. */
function Root() {
  const navigate = useNavigate()
  return (
    <AriaRouterProvider navigate={(path) => void navigate(path)} useHref={useHref}>
      <Outlet />
      <Toasts />
    </AriaRouterProvider>
  )
}

/*
 * Pages load with their route (issue 15): signing in downloads the sign-in page, not the vault,
 * the messages and the administration; each comes when first opened. The signed-in pages are
 * React.lazy, not the router's `lazy`, which would load them with the sign-in page: the router
 * loads every matched route's module before the session gate has decided anything. Each brings
 * the catalogue's words beyond the sign-in page's (withAppStrings).
 */
const page = {
  invite: async () => ({
    Component: (await withAppStrings(import('./features/account/invite/invite-page'))).InvitePage,
  }),
  recover: async () => ({
    Component: (await withAppStrings(import('./features/account/recovery/recover-page')))
      .RecoverPage,
  }),
  reset: async () => ({
    Component: (await withAppStrings(import('./features/account/recovery/reset-page'))).ResetPage,
  }),
  link: async () => ({
    Component: (await withAppStrings(import('./features/messages/links/link-page'))).LinkPage,
  }),
  request: async () => ({
    Component: (await withAppStrings(import('./features/messages/requests/request-page')))
      .RequestPage,
  }),
}

const Shell = lazy(async () => ({ default: (await withAppStrings(import('./shell/shell'))).Shell }))
const VaultPage = lazy(async () => ({
  default: (await withAppStrings(import('./features/vault/vault-page'))).VaultPage,
}))
const MessagesPage = lazy(async () => ({
  default: (await withAppStrings(import('./shell/messages-route'))).MessagesRoute,
}))
const UsersPage = lazy(async () => ({
  default: (await withAppStrings(import('./features/admin/users/users-page'))).UsersPage,
}))
const GroupsPage = lazy(async () => ({
  default: (await withAppStrings(import('./features/admin/groups/groups-page'))).GroupsPage,
}))
const PoliciesPage = lazy(async () => ({
  default: (await withAppStrings(import('./features/admin/policies/policies-page'))).PoliciesPage,
}))
const AuditPage = lazy(async () => ({
  default: (await withAppStrings(import('./features/admin/audit/audit-page'))).AuditPage,
}))
const NotFoundPage = lazy(async () => ({
  default: (await withAppStrings(import('./shell/not-found-page'))).NotFoundPage,
}))
const WebhooksPage = lazy(async () => ({
  default: (await withAppStrings(import('./features/admin/webhooks/webhooks-page'))).WebhooksPage,
}))

/** A signed-in page while its code loads. */
function Loading({ children }: { children: ReactNode }) {
  const { t } = useTranslation()
  return <Suspense fallback={<PageProgress label={t('app.loading')} />}>{children}</Suspense>
}

const router = createBrowserRouter([
  {
    element: <Root />,
    errorElement: <ErrorPage />,
    children: [
      { path: 'invite', lazy: page.invite },
      { path: 'recover', lazy: page.recover },
      { path: 'reset', lazy: page.reset },
      // Public (S21): no session gate, so opening a link asks the server nothing first. The
      // server answers /s/* and /r/* with public.html (their own small bundle); these routes
      // serve the dev server and a navigation inside the app.
      { path: 's/:id', lazy: page.link },
      // Public too: someone answering a request for a secret, with or without an account.
      { path: 'r/:id', lazy: page.request },
      {
        element: <SessionGate />,
        children: [
          {
            element: (
              <Loading>
                <Shell />
              </Loading>
            ),
            children: [
              {
                index: true,
                element: (
                  <Loading>
                    <VaultPage />
                  </Loading>
                ),
              },
              {
                path: 'vault/:vaultId/:itemId?',
                element: (
                  <Loading>
                    <VaultPage />
                  </Loading>
                ),
              },
              {
                path: 'messages/*',
                element: (
                  <Loading>
                    <MessagesPage />
                  </Loading>
                ),
              },
              {
                path: 'admin/users',
                element: (
                  <Loading>
                    <UsersPage />
                  </Loading>
                ),
              },
              {
                path: 'admin/groups',
                element: (
                  <Loading>
                    <GroupsPage />
                  </Loading>
                ),
              },
              {
                path: 'admin/policies',
                element: (
                  <Loading>
                    <PoliciesPage />
                  </Loading>
                ),
              },
              {
                path: 'admin/audit',
                element: (
                  <Loading>
                    <AuditPage />
                  </Loading>
                ),
              },
              {
                path: 'admin/webhooks',
                element: (
                  <Loading>
                    <WebhooksPage />
                  </Loading>
                ),
              },
              {
                path: '*',
                element: (
                  <Loading>
                    <NotFoundPage />
                  </Loading>
                ),
              },
            ],
          },
        ],
      },
    ],
  },
])

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  )
}
