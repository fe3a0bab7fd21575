import { ApiError } from '@sealpost/core'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { type ReactNode, Suspense, lazy } from 'react'
import { RouterProvider as AriaRouterProvider } from 'react-aria-components'
import { useTranslation } from 'react-i18next'
import {
  BrowserRouter,
  Outlet,
  Route,
  Routes,
  useHref,
  useLocation,
  useNavigate,
} from 'react-router'
import { withAdminStrings, withAppStrings, withVaultStrings } from './i18n'
import { SessionGate } from './shell/session-gate'
import { PageErrorBoundary } from './shell/error-page'
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

/**
 * Lets react-aria links and menu items navigate through the router; a page that fails to render
 * shows the crash page until the address changes.
 */
function Root() {
  const navigate = useNavigate()
  const location = useLocation()
  return (
    <AriaRouterProvider navigate={(path) => void navigate(path)} useHref={useHref}>
      <PageErrorBoundary resetKey={location.key}>
        <Outlet />
      </PageErrorBoundary>
      <Toasts />
    </AriaRouterProvider>
  )
}

/*
 * Pages load with their route (issue 15): signing in downloads the sign-in page, not the vault,
 * the messages and the administration; each comes when first opened, with the catalogue's words
 * beyond the sign-in page's (withAppStrings). The router is React Router's declarative one: the
 * data router (loaders, actions, fetchers), which the app does not use, weighed ~16 KiB gzip
 * more on every page.
 */
const InvitePage = lazy(async () => ({
  default: (await withAppStrings(import('./features/account/invite/invite-page'))).InvitePage,
}))
const RecoverPage = lazy(async () => ({
  default: (await withAppStrings(import('./features/account/recovery/recover-page'))).RecoverPage,
}))
const ResetPage = lazy(async () => ({
  default: (await withAppStrings(import('./features/account/recovery/reset-page'))).ResetPage,
}))
const LinkPage = lazy(async () => ({
  default: (await withAppStrings(import('./features/messages/links/link-page'))).LinkPage,
}))
const RequestPage = lazy(async () => ({
  default: (await withAppStrings(import('./features/messages/requests/request-page'))).RequestPage,
}))

const Shell = lazy(async () => ({
  default: (await withVaultStrings(import('./shell/shell'))).Shell,
}))
const VaultPage = lazy(async () => ({
  default: (await withVaultStrings(import('./features/vault/vault-page'))).VaultPage,
}))
const MessagesPage = lazy(async () => ({
  default: (await withAppStrings(import('./shell/messages-route'))).MessagesRoute,
}))
const UsersPage = lazy(async () => ({
  default: (await withAdminStrings(import('./features/admin/users/users-page'))).UsersPage,
}))
const GroupsPage = lazy(async () => ({
  default: (await withAdminStrings(import('./features/admin/groups/groups-page'))).GroupsPage,
}))
const PoliciesPage = lazy(async () => ({
  default: (await withAdminStrings(import('./features/admin/policies/policies-page'))).PoliciesPage,
}))
const AuditPage = lazy(async () => ({
  default: (await withAdminStrings(import('./features/admin/audit/audit-page'))).AuditPage,
}))
const NotFoundPage = lazy(async () => ({
  default: (await withAppStrings(import('./shell/not-found-page'))).NotFoundPage,
}))
const WebhooksPage = lazy(async () => ({
  default: (await withAdminStrings(import('./features/admin/webhooks/webhooks-page'))).WebhooksPage,
}))

/** A page while its code loads. */
function Loading({ children }: { children: ReactNode }) {
  const { t } = useTranslation()
  return <Suspense fallback={<PageProgress label={t('app.loading')} />}>{children}</Suspense>
}

function AppRoutes() {
  return (
    <Routes>
      <Route element={<Root />}>
        <Route
          path="invite"
          element={
            <Loading>
              <InvitePage />
            </Loading>
          }
        />
        <Route
          path="recover"
          element={
            <Loading>
              <RecoverPage />
            </Loading>
          }
        />
        <Route
          path="reset"
          element={
            <Loading>
              <ResetPage />
            </Loading>
          }
        />
        {/* Public (S21): no session gate, so opening a link asks the server nothing first. The
            server answers /s/* and /r/* with public.html (their own small bundle); these routes
            serve the dev server and a navigation inside the app. */}
        <Route
          path="s/:id"
          element={
            <Loading>
              <LinkPage />
            </Loading>
          }
        />
        {/* Public too: someone answering a request for a secret, with or without an account. */}
        <Route
          path="r/:id"
          element={
            <Loading>
              <RequestPage />
            </Loading>
          }
        />
        <Route element={<SessionGate />}>
          <Route
            element={
              <Loading>
                <Shell />
              </Loading>
            }
          >
            <Route
              index
              element={
                <Loading>
                  <VaultPage />
                </Loading>
              }
            />
            <Route
              path="vault/:vaultId/:itemId?"
              element={
                <Loading>
                  <VaultPage />
                </Loading>
              }
            />
            <Route
              path="messages/*"
              element={
                <Loading>
                  <MessagesPage />
                </Loading>
              }
            />
            <Route
              path="admin/users"
              element={
                <Loading>
                  <UsersPage />
                </Loading>
              }
            />
            <Route
              path="admin/groups"
              element={
                <Loading>
                  <GroupsPage />
                </Loading>
              }
            />
            <Route
              path="admin/policies"
              element={
                <Loading>
                  <PoliciesPage />
                </Loading>
              }
            />
            <Route
              path="admin/audit"
              element={
                <Loading>
                  <AuditPage />
                </Loading>
              }
            />
            <Route
              path="admin/webhooks"
              element={
                <Loading>
                  <WebhooksPage />
                </Loading>
              }
            />
            <Route
              path="*"
              element={
                <Loading>
                  <NotFoundPage />
                </Loading>
              }
            />
          </Route>
        </Route>
      </Route>
    </Routes>
  )
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
    </QueryClientProvider>
  )
}
