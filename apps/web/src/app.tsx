import { ApiError } from '@sealpost/core'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { RouterProvider as AriaRouterProvider } from 'react-aria-components'
import { Outlet, createBrowserRouter, useHref, useNavigate } from 'react-router'
import { RouterProvider } from 'react-router/dom'
import { UsersPage } from './features/admin-users/users-page'
import { InvitePage } from './features/invite/invite-page'
import { LinkPage } from './features/links/link-page'
import { MessagesPage } from './features/messages/messages-page'
import { RequestPage } from './features/requests/request-page'
import { RecoverPage } from './features/recovery/recover-page'
import { ResetPage } from './features/recovery/reset-page'
import { SessionGate } from './features/session/session-gate'
import { ErrorPage } from './features/shell/error-page'
import { NotFoundPage } from './features/shell/not-found-page'
import { Shell } from './features/shell/shell'
import { VaultPage } from './features/vault/vault-page'
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

const router = createBrowserRouter([
  {
    element: <Root />,
    errorElement: <ErrorPage />,
    children: [
      { path: 'invite', element: <InvitePage /> },
      { path: 'recover', element: <RecoverPage /> },
      { path: 'reset', element: <ResetPage /> },
      // Public (S21): no session gate, so opening a link asks the server nothing first.
      { path: 's/:id', element: <LinkPage /> },
      // Public too: someone answering a request for a secret, with or without an account.
      { path: 'r/:id', element: <RequestPage /> },
      {
        element: <SessionGate />,
        children: [
          {
            element: <Shell />,
            children: [
              { index: true, element: <VaultPage /> },
              { path: 'vault/:vaultId/:itemId?', element: <VaultPage /> },
              { path: 'messages/*', element: <MessagesPage /> },
              { path: 'admin/users', element: <UsersPage /> },
              { path: '*', element: <NotFoundPage /> },
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
