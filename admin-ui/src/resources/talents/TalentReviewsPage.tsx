import { useEffect, useState } from 'react';
import { Alert, Box, Button, Card, Checkbox, Dialog, DialogActions, DialogContent, DialogTitle, LinearProgress, Stack, Tab, Table, TableBody, TableCell, TableHead, TableRow, Tabs, TextField } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Title } from 'react-admin';
import { useSearchParams } from 'react-router-dom';
import type { ApiResponse } from '../../api-types.ts';
import { api } from '../../lib/api.ts';
import { ReasonDialog, useRun } from '../result-confirmation/shared.tsx';
import { AuditPath, StatusChip, TalentDetails, type Talent } from './shared.tsx';

type List = ApiResponse<'/api/talents'>;

/** 专技人才审核 (manual §1.2.13.1): what waits at my unit (审核, 批量审核通过), and everything submitted in my subtree. */
export function TalentReviewsPage() {
  const [view, setView] = useState<'pending' | 'all'>('pending');
  const [q, setQ] = useState('');
  const { data, error, refetch } = useQuery({ queryKey: ['talent-reviews', view, q], queryFn: () => api<List>(`/api/talents?view=${view}&limit=200${q ? `&q=${encodeURIComponent(q)}` : ''}`) });
  const run = useRun(refetch);
  const [chosen, setChosen] = useState<number[]>([]);
  const [open, setOpen] = useState<Talent | null>(null);
  // the inbox opens a task here with ?open=<registration>
  const [params, setParams] = useSearchParams();
  const opening = Number(params.get('open'));
  useEffect(() => {
    if (!opening) return;
    api<Talent>(`/api/talents/${opening}`).then(setOpen, () => undefined);
    setParams({}, { replace: true });
  }, [opening, setParams]);
  const items = data?.items ?? [];
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="专技人才审核" />
      <Stack direction="row" spacing={2} sx={{ mb: 2, alignItems: 'center', flexWrap: 'wrap' }} useFlexGap>
        <Tabs value={view} onChange={(_e, v: 'pending' | 'all') => (setView(v), setChosen([]))}>
          <Tab value="pending" label="待本单位审核" data-testid="talent-tab-pending" />
          <Tab value="all" label="本单位及下级单位全部" data-testid="talent-tab-all" />
        </Tabs>
        {view === 'all' ? <TextField size="small" label="姓名（开头）或证件号码" helperText="证件号码须完整（精确查询）" value={q} onChange={(e) => setQ(e.target.value)} /> : null}
        {view === 'pending' ? (
          <Button variant="contained" disabled={!chosen.length} data-testid="talent-pass-chosen" onClick={() => run(() => api('/api/talents/pass', { method: 'POST', json: { ids: chosen } }).then(() => setChosen([])), '所选人员已审核通过')}>
            批量审核通过（{chosen.length}）
          </Button>
        ) : null}
      </Stack>
      {error ? <Alert severity="error">{(error as Error).message}</Alert> : null}
      {!data && !error ? <LinearProgress /> : null}
      {data && !items.length ? <Alert severity="info">{view === 'pending' ? '没有待本单位审核的专技人才信息' : '没有专技人才信息'}</Alert> : null}
      {items.length ? (
        <Card>
          <Table size="small">
            <TableHead>
              <TableRow>
                {view === 'pending' ? (
                  <TableCell padding="checkbox">
                    <Checkbox size="small" checked={chosen.length === items.length} indeterminate={chosen.length > 0 && chosen.length < items.length} onChange={() => setChosen(chosen.length === items.length ? [] : items.map((x) => x.id))} />
                  </TableCell>
                ) : null}
                <TableCell>姓名</TableCell>
                <TableCell>所在单位</TableCell>
                <TableCell>专业技术人员类别</TableCell>
                <TableCell>职称情况</TableCell>
                <TableCell>学历</TableCell>
                <TableCell>状态</TableCell>
                <TableCell>当前审核单位</TableCell>
                <TableCell>操作</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {items.map((t) => (
                <TableRow key={t.id} data-testid={`talent-row-${t.personName}`}>
                  {view === 'pending' ? (
                    <TableCell padding="checkbox">
                      <Checkbox size="small" checked={chosen.includes(t.id)} onChange={() => setChosen(chosen.includes(t.id) ? chosen.filter((x) => x !== t.id) : [...chosen, t.id])} slotProps={{ input: { 'aria-label': `选择${t.personName}` } }} />
                    </TableCell>
                  ) : null}
                  <TableCell>{t.personName}</TableCell>
                  <TableCell>{t.unitName}</TableCell>
                  <TableCell>{t.categoryLabel}</TableCell>
                  <TableCell>{t.titleKind === 'title' ? t.levelLabel : t.titleKindLabel}</TableCell>
                  <TableCell>{t.educationLabel}</TableCell>
                  <TableCell>
                    <StatusChip talent={t} />
                  </TableCell>
                  <TableCell>{t.currentUnitName ?? '—'}</TableCell>
                  <TableCell>
                    <Button size="small" variant={t.reviewable ? 'contained' : 'text'} onClick={() => setOpen(t)} data-testid={`talent-open-${t.personName}`}>
                      {t.reviewable ? '审核' : '查看'}
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      ) : null}
      {open ? <ReviewDialog talent={open} onClose={() => setOpen(null)} onDone={() => void refetch()} /> : null}
    </Box>
  );
}

function ReviewDialog({ talent, onClose, onDone }: { talent: Talent; onClose: () => void; onDone: () => void }) {
  const run = useRun(onDone);
  const [asking, setAsking] = useState<'return' | 'reject' | null>(null);
  const decide = (action: 'pass' | 'return' | 'reject', opinion: string | null, done: string) =>
    run(() => api(`/api/talents/${talent.id}/review`, { method: 'POST', json: { action, opinion } }), done);
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md">
      <DialogTitle>
        专技人才审核：{talent.personName} <StatusChip talent={talent} />
      </DialogTitle>
      <DialogContent dividers>
        <Stack spacing={1.5}>
          <AuditPath talent={talent} />
          {talent.returnReason ? <Alert severity="info">上次退回原因：{talent.returnReason}</Alert> : null}
          {talent.rejectReason ? <Alert severity="error">不通过原因：{talent.rejectReason}</Alert> : null}
          <TalentDetails talent={talent} />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>关闭</Button>
        {talent.reviewable ? (
          <>
            <Button color="error" data-testid="talent-reject" onClick={() => setAsking('reject')}>
              审核不通过
            </Button>
            <Button color="warning" data-testid="talent-return" onClick={() => setAsking('return')}>
              退回修改
            </Button>
            <Button variant="contained" data-testid="talent-pass" onClick={async () => (await decide('pass', null, '审核通过，已移交上级单位')) && onClose()}>
              审核通过
            </Button>
          </>
        ) : null}
      </DialogActions>
      <ReasonDialog
        open={asking != null}
        title={asking === 'reject' ? '审核不通过' : '退回修改'}
        label={asking === 'reject' ? '不通过原因' : '退回原因'}
        confirm={asking === 'reject' ? '不通过' : '退回'}
        onClose={() => setAsking(null)}
        onSubmit={async (reason) => {
          const ok = await decide(asking!, reason, asking === 'reject' ? '已审核不通过' : '已退回本人修改');
          if (ok) onClose();
          return ok;
        }}
      />
    </Dialog>
  );
}
