import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Box, Card, CardContent, LinearProgress, MenuItem, Stack, Tab, Tabs, TextField as MuiTextField, Typography } from '@mui/material';
import { Button, Datagrid, List, TextField, Title, TopToolbar } from 'react-admin';
import { useSearchParams } from 'react-router-dom';
import AddIcon from '@mui/icons-material/Add';
import PlaylistAddIcon from '@mui/icons-material/PlaylistAdd';
import RecommendIcon from '@mui/icons-material/Recommend';
import { api } from '../../lib/api.ts';
import { ExpertDetailDialog, ExpertDialog } from './ExpertDialogs.tsx';
import { BulkDecision, BulkSubmit, EmptyHint, ExpertRowActions, RowDecision, expertColumns, returnedColumn, searchFilter, statusColumn } from './ExpertLists.tsx';
import { ImportWizard } from './ImportWizard.tsx';
import { MANAGE_TABS, RECOMMENDER_OMITS, type PoolRecord } from './types.ts';
import { useLabels } from '../../lib/labels.ts';

export function usePools(purpose?: 'manage' | 'review' | 'recommend') {
  const filter = purpose ? `&filter=${encodeURIComponent(JSON.stringify({ purpose }))}` : '';
  return useQuery({ queryKey: ['expert-pools', purpose ?? 'all'], queryFn: () => api<PoolRecord[]>(`/api/expert-pools?range=[0,499]${filter}`) });
}

export function PoolHeader({ pool }: { pool: PoolRecord }) {
  return (
    <Stack direction="row" spacing={3} sx={{ flexWrap: 'wrap', mt: 1 }} useFlexGap>
      <Typography variant="body2">系列：{pool.seriesName ?? '—'}</Typography>
      <Typography variant="body2">层级：{pool.levelNames.join('、') || '—'}</Typography>
      <Typography variant="body2">组建单位：{pool.organizerName}</Typography>
      <Typography variant="body2">备案单位：{pool.registrarName ?? '—'}</Typography>
      <Typography variant="body2">主任委员：{pool.chairs.join('、') || '—'}</Typography>
      <Typography variant="body2">副主任委员：{pool.viceChairs.join('、') || '—'}</Typography>
      <Typography variant="body2">
        在库 {pool.counts.inPool} 人（活跃 {pool.counts.activeInPool} 人）
      </Typography>
    </Stack>
  );
}

/** The organiser's lists of one committee (新增待提交 / 下级推荐待审核 / 待备案单位审核 / 在库 / 已退回). */
function ManageView({ pool }: { pool: PoolRecord }) {
  const [tab, setTab] = useState<(typeof MANAGE_TABS)[number]['status']>('draft');
  const [adding, setAdding] = useState(false);
  const [importing, setImporting] = useState(false);
  const [viewing, setViewing] = useState<number | null>(null);
  const { expertStatuses } = useLabels();
  const resource = `expert-pools/${pool.id}/experts`;
  const bulk =
    tab === 'draft' || tab === 'returned' ? (
      <BulkSubmit committeeId={pool.id} />
    ) : tab === 'recommended' ? (
      <BulkDecision path={`/api/expert-pools/${pool.id}/recommendations/review`} what="下级推荐的专家" />
    ) : (
      false
    );
  return (
    <>
      <Tabs value={tab} onChange={(_e, v: typeof tab) => setTab(v)} sx={{ mb: 1 }} variant="scrollable">
        {MANAGE_TABS.map((t) => (
          <Tab key={t.status} value={t.status} label={`${expertStatuses[t.status] ?? t.status}（${pool.counts[t.count]}）`} data-testid={`tab-${t.status}`} />
        ))}
      </Tabs>
      {tab === 'returned' ? (
        <Alert severity="info" sx={{ mb: 1 }}>
          备案单位退回的专家修改后可重新提交；组建单位退回的推荐由推荐单位修改后重新推荐。
        </Alert>
      ) : null}
      <List
        key={`${pool.id}-${tab}`}
        resource={resource}
        filter={{ status: tab }}
        storeKey={`experts.${pool.id}.${tab}`}
        disableSyncWithLocation
        title={false}
        perPage={25}
        sort={{ field: 'id', order: 'ASC' }}
        filters={searchFilter}
        empty={false}
        actions={
          <TopToolbar>
            <Button label="新增" onClick={() => setAdding(true)} data-testid="add-expert">
              <AddIcon />
            </Button>
            <Button label="批量新增" onClick={() => setImporting(true)} data-testid="import-experts">
              <PlaylistAddIcon />
            </Button>
          </TopToolbar>
        }
      >
        <Datagrid empty={<EmptyHint />} bulkActionButtons={bulk} rowClick={false} data-testid={`experts-${tab}`}>
          {expertColumns()}
          {tab === 'recommended' ? <TextField source="recommendedByUnitName" label="推荐单位" sortable={false} /> : null}
          {tab === 'recommended' ? <RowDecision path={`/api/expert-pools/${pool.id}/recommendations/review`} what="下级推荐的专家" /> : null}
          {tab === 'returned' ? returnedColumn : null}
          <ExpertRowActions side="organizer" committeeId={pool.id} onView={setViewing} />
        </Datagrid>
      </List>
      {adding ? <ExpertDialog open onClose={() => setAdding(false)} mode="create" committeeId={pool.id} /> : null}
      <ImportWizard open={importing} onClose={() => setImporting(false)} committeeId={pool.id} />
      <ExpertDetailDialog id={viewing} onClose={() => setViewing(null)} />
    </>
  );
}

/** A unit below the organiser: 推荐专家 and the state of its own recommendations. */
function RecommendView({ pool }: { pool: PoolRecord }) {
  const [adding, setAdding] = useState(false);
  const [viewing, setViewing] = useState<number | null>(null);
  return (
    <>
      <Alert severity="info" sx={{ mb: 1 }}>
        推荐的专家由评委会组建单位（{pool.organizerName}）审核；被退回的可修改后重新推荐。
      </Alert>
      <List
        key={pool.id}
        resource={`expert-pools/${pool.id}/experts`}
        storeKey={`recommendations.${pool.id}`}
        disableSyncWithLocation
        title={false}
        perPage={25}
        sort={{ field: 'id', order: 'DESC' }}
        filters={searchFilter}
        empty={false}
        actions={
          <TopToolbar>
            <Button label="推荐专家" onClick={() => setAdding(true)} data-testid="recommend-expert">
              <RecommendIcon />
            </Button>
          </TopToolbar>
        }
      >
        <Datagrid empty={<EmptyHint />} bulkActionButtons={false} rowClick={false} data-testid="recommendations">
          {expertColumns()}
          {statusColumn}
          {returnedColumn}
          <ExpertRowActions side="recommender" committeeId={pool.id} onView={setViewing} />
        </Datagrid>
      </List>
      {adding ? <ExpertDialog open onClose={() => setAdding(false)} mode="recommend" committeeId={pool.id} omit={RECOMMENDER_OMITS} /> : null}
      <ExpertDetailDialog id={viewing} onClose={() => setViewing(null)} />
    </>
  );
}

/** 专家库管理 (manual §1.2.2.3): pick a committee, then manage its pool, or recommend experts to it from below. */
export function ExpertsPage() {
  const [params, setParams] = useSearchParams();
  const { data, isLoading, error } = usePools();
  const pools = (data ?? []).filter((p) => p.roles.manage || p.roles.recommend);
  const wanted = Number(params.get('committee'));
  const pool = pools.find((p) => p.id === wanted) ?? pools[0];
  return (
    <Box sx={{ mt: 1 }}>
      <Title title="专家库管理" />
      <Card sx={{ mb: 2 }}>
        <CardContent>
          {isLoading ? <LinearProgress /> : null}
          {error ? <Alert severity="error">{(error as Error).message}</Alert> : null}
          {!isLoading && !pools.length ? <Alert severity="info">没有可管理或可推荐专家的评委会：专家库属于评委会，由组建单位管理，组建单位的下级单位可推荐专家。</Alert> : null}
          {pool ? (
            <>
              <MuiTextField
                select
                label="选择评委会"
                value={pool.id}
                onChange={(e) => setParams({ committee: String(e.target.value) })}
                sx={{ minWidth: 420 }}
                size="small"
                data-testid="committee-picker"
              >
                {pools.map((p) => (
                  <MenuItem key={p.id} value={p.id}>
                    {p.name}
                    {p.roles.manage ? '' : '（推荐专家）'}
                  </MenuItem>
                ))}
              </MuiTextField>
              <PoolHeader pool={pool} />
            </>
          ) : null}
        </CardContent>
      </Card>
      {pool ? pool.roles.manage ? <ManageView key={pool.id} pool={pool} /> : <RecommendView key={pool.id} pool={pool} /> : null}
    </Box>
  );
}
