import type { DecryptedItem, OpenVault } from '@sealpost/core'
import { Suspense, lazy, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { withAppStrings } from '../../i18n'
import { Breadcrumb, Breadcrumbs, Input, Link, SearchField } from 'react-aria-components'
import { useLocation, useNavigate, useSearchParams } from 'react-router'
import { errorMessage } from '../../i18n/error-message'
import { Alert } from '../../ui/alert'
import { Badge } from '../../ui/badge'
import { Button } from '../../ui/button'
import { EmptyState } from '../../ui/empty-state'
import { ArrowLeftIcon, SearchIcon, VaultIcon } from '../../ui/icons'
import { FolderIcon, PlusIcon, SettingsIcon } from '../../ui/item-icons'
import { PageHeader } from '../../ui/page-header'
import { Skeleton } from '../../ui/skeleton'
import { PendingGrants } from './shared-vaults/pending-grants'
import { RekeyDueVaults, RekeyPrompt } from './shared-vaults/rekey'
import { WaitingVaults } from './shared-vaults/waiting-vaults'
import { useItemDialogs } from './use-item-dialogs'
import { ItemList } from './item-list'
import { ItemMenu } from './item-menu'
import { useVaultItems, useVaults } from './use-vaults'
import { useVaultSearch } from './use-vault-search'
import { withQuery } from '../../lib/search'
import { parseVaultPath, vaultPath } from './vault-paths'
import styles from './vault-page.module.css'
import { type VaultTree, ancestorsOf, searchItems } from './vault-tree'

// What the vault's root does not show loads when first needed (issue 15): an open entry (with
// its edit form and files) and the members of a shared vault.
const EntryDetail = lazy(async () => ({
  default: (await withAppStrings(import('./entry-detail'))).EntryDetail,
}))
const VaultMembersDialog = lazy(async () => ({
  default: (await withAppStrings(import('./shared-vaults/vault-members-dialog')))
    .VaultMembersDialog,
}))

/**
 * A vault (UI.md frame): the list of the folder shown and the open entry beside it; narrower
 * than a tablet, one or the other with Back. `/` is my vault's root.
 */
export function VaultPage() {
  const { t } = useTranslation()
  const { pathname } = useLocation()
  const here = parseVaultPath(pathname) ?? { vaultId: null, itemId: null }
  const vaults = useVaults()
  const vault = vaults.data?.find((v) =>
    here.vaultId === null ? v.kind === 'user' : v.id === here.vaultId,
  )
  const fallbackTitle = here.vaultId === null ? t('vault.myVault') : t('vault.title')

  if (vaults.isError) {
    return (
      <>
        <PageHeader title={fallbackTitle} />
        <Alert tone="error">
          {t('vault.vaultsError', { reason: errorMessage(t, vaults.error) })}
          <Button onPress={() => void vaults.refetch()}>{t('vault.retry')}</Button>
        </Alert>
      </>
    )
  }
  if (vaults.isPending) {
    return (
      <div className={styles.page}>
        <PageHeader title={fallbackTitle} />
        <PaneSkeleton />
      </div>
    )
  }
  if (!vault) {
    return (
      <>
        <PageHeader title={t('vault.title')} />
        <EmptyState
          icon={<VaultIcon />}
          title={t('vault.notAvailableTitle')}
          action={<Link href="/">{t('shell.backHome')}</Link>}
        >
          {t('vault.notAvailableBody')}
        </EmptyState>
      </>
    )
  }
  return <OpenVaultView key={vault.id} vault={vault} itemId={here.itemId} />
}

function OpenVaultView({ vault, itemId }: { vault: OpenVault; itemId: string | null }) {
  const { t } = useTranslation()
  const items = useVaultItems(vault)
  const [isMembersOpen, setMembersOpen] = useState(false)
  const title = vault.kind === 'user' ? t('vault.myVault') : vault.name

  return (
    <div className={styles.page}>
      <PageHeader
        title={title}
        eyebrow={vault.kind === 'shared' ? t('vault.sharedVault') : undefined}
        actions={
          <div className={styles.headerActions}>
            {!vault.canWrite && <Badge tone="neutral">{t('vault.readOnly')}</Badge>}
            {vault.kind === 'shared' && (
              <Button variant="quiet" onPress={() => setMembersOpen(true)}>
                <SettingsIcon />
                {t('vault.members.button')}
              </Button>
            )}
          </div>
        }
      />
      {vault.kind === 'user' && <WaitingVaults />}
      {vault.kind === 'user' && <PendingGrants />}
      {vault.kind === 'user' && <RekeyDueVaults />}
      <RekeyPrompt vault={vault} />
      {items.isPending ? (
        <PaneSkeleton />
      ) : items.isError ? (
        <Alert tone="error">
          {t('vault.itemsError', { reason: errorMessage(t, items.error) })}
          <Button onPress={() => void items.refetch()}>{t('vault.retry')}</Button>
        </Alert>
      ) : (
        items.tree && <VaultPanes vault={vault} tree={items.tree} itemId={itemId} />
      )}
      {isMembersOpen && (
        <Suspense fallback={null}>
          <VaultMembersDialog vault={vault} onClose={() => setMembersOpen(false)} />
        </Suspense>
      )}
    </div>
  )
}

function VaultPanes({
  vault,
  tree,
  itemId,
}: {
  vault: OpenVault
  tree: VaultTree<DecryptedItem>
  itemId: string | null
}) {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const [searchParams] = useSearchParams()
  const query = searchParams.get('q') ?? ''
  const search = useVaultSearch()
  const { openDialog, dialogs } = useItemDialogs()

  const item = itemId ? tree.byId.get(itemId) : undefined
  const isMissing = itemId !== null && !item
  const openEntry = item?.kind === 'entry' ? item : null
  // The list shows the folder opened, or the one holding the open entry.
  const containerId = item ? (item.kind === 'folder' ? item.id : item.parentId) : null
  const container = containerId ? tree.byId.get(containerId) : undefined
  const hits = useMemo(() => (query.trim() ? searchItems(tree, query) : null), [tree, query])
  const crumbs = container ? [...ancestorsOf(tree, container.id), container] : []
  const rootName = vault.kind === 'user' ? t('vault.myVault') : vault.name
  const containerName = container?.content.name ?? rootName
  const canAddFolder = vault.canWrite && container?.kind !== 'entry'

  const newEntry = () =>
    openDialog({
      kind: 'new-entry',
      vault,
      parentId: containerId,
      parentEntry: container?.kind === 'entry' ? container : undefined,
    })

  const emptyFolder = vault.canWrite ? (
    <EmptyState
      icon={<FolderIcon width="24" height="24" />}
      title={
        container
          ? t('vault.emptyFolderTitle')
          : vault.kind === 'user'
            ? t('vault.emptyTitle')
            : t('vault.emptySharedTitle')
      }
      level={3}
      action={
        <Button variant="primary" onPress={newEntry}>
          <PlusIcon />
          {t('vault.newEntry')}
        </Button>
      }
    >
      {container ? t('vault.emptyFolderBody') : t('vault.emptyBody')}
    </EmptyState>
  ) : (
    <EmptyState
      icon={<FolderIcon width="24" height="24" />}
      title={t('vault.emptyFolderTitle')}
      level={3}
    >
      {t('vault.emptyReadOnly')}
    </EmptyState>
  )
  const noHits = (
    <EmptyState
      icon={<SearchIcon width="24" height="24" />}
      title={t('vault.noResultsTitle')}
      level={3}
    >
      {t('vault.noResultsBody', { query })}
    </EmptyState>
  )

  return (
    <>
      <div className={styles.split} data-has-open={openEntry || isMissing ? '' : undefined}>
        <section className={styles.listPane} aria-labelledby="vault-list-title">
          <div className={styles.listHeader}>
            {hits ? (
              <div className={styles.listTitleRow}>
                <h2 id="vault-list-title" className={styles.listTitle}>
                  {t('vault.resultsFor', { query, count: hits.length })}
                </h2>
                <Button variant="quiet" onPress={() => search.onChange('')}>
                  {t('vault.clearSearch')}
                </Button>
              </div>
            ) : !container ? (
              // The vault's root: the page heading above already names it, so its list's
              // heading is for screen readers alone (the section and the outline keep it).
              <h2 id="vault-list-title" className="visually-hidden">
                {rootName}
              </h2>
            ) : (
              <>
                {container && (
                  <Breadcrumbs className={styles.crumbs} aria-label={t('vault.path')}>
                    <Breadcrumb className={styles.crumb}>
                      <Link href={vaultPath(vault)}>{rootName}</Link>
                    </Breadcrumb>
                    {crumbs.slice(0, -1).map((crumb) => (
                      <Breadcrumb key={crumb.id} className={styles.crumb}>
                        <Link href={vaultPath(vault, crumb.id)}>{crumb.content.name}</Link>
                      </Breadcrumb>
                    ))}
                  </Breadcrumbs>
                )}
                <div className={styles.listTitleRow}>
                  {container && (
                    <Button
                      variant="quiet"
                      isIconOnly
                      aria-label={t('vault.upTo', {
                        name: container.parentId
                          ? (tree.byId.get(container.parentId)?.content.name ?? rootName)
                          : rootName,
                      })}
                      onPress={() => void navigate(vaultPath(vault, container.parentId))}
                    >
                      <ArrowLeftIcon />
                    </Button>
                  )}
                  <h2 id="vault-list-title" className={styles.listTitle}>
                    {containerName}
                  </h2>
                  {container && <ItemMenu vault={vault} item={container} openDialog={openDialog} />}
                </div>
              </>
            )}
            <SearchField
              className={styles.search}
              aria-label={t('shell.searchLabel')}
              value={search.value}
              onChange={search.onChange}
            >
              <SearchIcon className={styles.searchIcon} />
              <Input className={styles.searchInput} placeholder={t('shell.searchPlaceholder')} />
            </SearchField>
            {vault.canWrite && !hits && (
              <div className={styles.listActions}>
                <Button variant="primary" onPress={newEntry}>
                  <PlusIcon />
                  {container?.kind === 'entry' ? t('vault.newSubEntry') : t('vault.newEntry')}
                </Button>
                {canAddFolder && (
                  <Button
                    onPress={() => openDialog({ kind: 'new-folder', vault, parentId: containerId })}
                  >
                    <FolderIcon />
                    {t('vault.newFolder')}
                  </Button>
                )}
              </div>
            )}
          </div>
          <div className={styles.listBody}>
            <ItemList
              vault={vault}
              tree={tree}
              containerId={containerId}
              hits={hits}
              query={query}
              openId={item?.id ?? null}
              openDialog={openDialog}
              label={hits ? t('vault.results') : t('vault.contentsOf', { name: containerName })}
              empty={hits ? noHits : emptyFolder}
            />
          </div>
        </section>
        <section className={styles.detailPane} aria-label={t('vault.detail')}>
          {openEntry ? (
            <Suspense fallback={null}>
              <EntryDetail
                key={`${openEntry.id}:${openEntry.revision}`}
                vault={vault}
                tree={tree}
                item={openEntry}
                openDialog={openDialog}
                backLabel={t('vault.backTo', { name: hits ? t('vault.results') : containerName })}
                onClose={() => void navigate(withQuery(vaultPath(vault, containerId), query))}
              />
            </Suspense>
          ) : isMissing ? (
            <EmptyState icon={<VaultIcon />} title={t('vault.goneTitle')} level={2}>
              {t('vault.goneBody')}
            </EmptyState>
          ) : (
            <EmptyState icon={<VaultIcon />} title={t('vault.noneOpenTitle')} level={2}>
              {t('vault.noneOpenBody')}
            </EmptyState>
          )}
        </section>
      </div>
      {dialogs}
    </>
  )
}

function PaneSkeleton() {
  const { t } = useTranslation()
  return (
    <div className={styles.split} aria-busy="true">
      <span className="visually-hidden" role="status">
        {t('vault.loading')}
      </span>
      <div className={styles.listPane}>
        {[0, 1, 2, 3, 4].map((row) => (
          <div key={row} className={styles.skeletonRow}>
            <Skeleton width="20px" height="20px" />
            <div className={styles.skeletonText}>
              <Skeleton width="50%" />
              <Skeleton width="30%" />
            </div>
          </div>
        ))}
      </div>
      <div className={styles.detailPane} />
    </div>
  )
}
