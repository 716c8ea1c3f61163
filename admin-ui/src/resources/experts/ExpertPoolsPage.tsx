import { useState } from 'react';
import { Alert, Box, Button as MuiButton, Card, CardContent, LinearProgress, Stack, Tab, Table, TableBody, TableCell, TableHead, TableRow, Tabs, Typography } from '@mui/material';
import { Datagrid, List, Title } from 'react-admin';
import { useSearchParams } from 'react-router-dom';
import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import { ExpertDetailDialog } from './ExpertDialogs.tsx';
import { BulkDecision, EmptyHint, ExpertRowActions, RowDecision, expertColumns, returnedColumn, searchFilter } from './ExpertLists.tsx';
import { PoolHeader, usePools } from './ExpertsPage.tsx';
import type { PoolRecord } from './types.ts';

const REVIEW_TABS = [
  { status: 'pending', label: '待审核' },
  { status: 'in_pool', label: '在库' },
  { status: 'returned', label: '已退回' },
] as const;

/** One committee's submitted experts: pass or return each, or a selection at once. */
function PoolReview({ pool, initialTab, onBack }: { pool: PoolRecord; initialTab: string; onBack: () => void }) {
  const [tab, setTab] = useState<(typeof REVIEW_TABS)[number]['status']>(REVIEW_TABS.find((t) => t.status === initialTab)?.status ?? 'pending');
  const [viewing, setViewing] = useState<number | null>(null);
  const path = `/api/expert-pools/${pool.id}/review`;
  return (
    <>
      <Card sx={{ mb: 2 }}>
        <CardContent>
          <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
            <MuiButton startIcon={<ArrowBackIcon />} onClick={onBack}>
              返回
            </MuiButton>
            <Typography variant="h6">{pool.name}</Typography>
          </Stack>
          <PoolHeader pool={pool} />
        </CardContent>
      </Card>
      <Tabs value={tab} onChange={(_e, v: typeof tab) => setTab(v)} sx={{ mb: 1 }}>
        {REVIEW_TABS.map((t) => (
          <Tab key={t.status} value={t.status} label={t.status === 'pending' ? `${t.label}（${pool.counts.pending}）` : t.status === 'in_pool' ? `${t.label}（${pool.counts.inPool}）` : t.label} />
        ))}
      </Tabs>
      <List
        key={`${pool.id}-${tab}`}
        resource={`expert-pools/${pool.id}/experts`}
        filter={tab === 'returned' ? { status: tab, returnedStage: 'registrar' } : { status: tab }}
        storeKey={`expert-review.${pool.id}.${tab}`}
        disableSyncWithLocation
        title={false}
        perPage={25}
        sort={{ field: 'id', order: 'ASC' }}
        filters={searchFilter}
        empty={false}
        actions={false}
      >
        <Datagrid empty={<EmptyHint />} bulkActionButtons={tab === 'pending' ? <BulkDecision path={path} what="专家" /> : false} rowClick={false} data-testid={`review-${tab}`}>
          {expertColumns()}
          {tab === 'returned' ? returnedColumn : null}
          {tab === 'pending' ? <RowDecision path={path} what="专家" /> : null}
          <ExpertRowActions side="registrar" committeeId={pool.id} onView={setViewing} />
        </Datagrid>
      </List>
      <ExpertDetailDialog id={viewing} onClose={() => setViewing(null)} />
    </>
  );
}

/** 专家库审核 (manual §1.2.2.4, 图 2.2.27): the committees filed with this unit, their experts in the pool and waiting. */
export function ExpertPoolsPage() {
  const [params, setParams] = useSearchParams();
  const { data = [], isLoading, error } = usePools('review');
  const open = data.find((p) => p.id === Number(params.get('committee')));
  if (open) return (
    <Box sx={{ mt: 1 }}>
      <Title title="专家库审核" />
      <PoolReview key={open.id} pool={open} initialTab={params.get('tab') ?? 'pending'} onBack={() => setParams({})} />
    </Box>
  );
  return (
    <Box sx={{ mt: 1 }}>
      <Title title="专家库审核" />
      <Card>
        <CardContent>
          {isLoading ? <LinearProgress /> : null}
          {error ? <Alert severity="error">{(error as Error).message}</Alert> : null}
          {!isLoading && !data.length ? <Alert severity="info">没有在本单位备案的评委会。</Alert> : null}
          {data.length ? (
            <Table size="small" data-testid="expert-pools">
              <TableHead>
                <TableRow>
                  <TableCell>序号</TableCell>
                  <TableCell>评委会名称</TableCell>
                  <TableCell>系列</TableCell>
                  <TableCell>层级</TableCell>
                  <TableCell>主任委员</TableCell>
                  <TableCell>副主任委员</TableCell>
                  <TableCell>在库专家数</TableCell>
                  <TableCell>待审专家数</TableCell>
                  <TableCell>操作</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {data.map((p, i) => (
                  <TableRow key={p.id}>
                    <TableCell>{i + 1}</TableCell>
                    <TableCell>{p.name}</TableCell>
                    <TableCell>{p.seriesName ?? '—'}</TableCell>
                    <TableCell>{p.levelNames.join('、') || '—'}</TableCell>
                    <TableCell>{p.chairs.join('、') || '—'}</TableCell>
                    <TableCell>{p.viceChairs.join('、') || '—'}</TableCell>
                    <TableCell>{p.counts.inPool}人</TableCell>
                    <TableCell>{p.counts.pending}人</TableCell>
                    <TableCell>
                      {p.counts.pending ? (
                        <MuiButton size="small" onClick={() => setParams({ committee: String(p.id), tab: 'pending' })} data-testid={`review-pool-${p.id}`}>
                          审核
                        </MuiButton>
                      ) : null}
                      <MuiButton size="small" onClick={() => setParams({ committee: String(p.id), tab: 'in_pool' })}>
                        查看详情
                      </MuiButton>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          ) : null}
        </CardContent>
      </Card>
    </Box>
  );
}
