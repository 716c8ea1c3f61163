import { useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  CardHeader,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  LinearProgress,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import RefreshIcon from '@mui/icons-material/Refresh';
import { Loading, Title, useNotify } from 'react-admin';
import { useParams } from 'react-router-dom';
import { api, authFetch } from '../../lib/api.ts';
import { downloadFrom } from '../../lib/download.ts';
import { ListPager, NameFilter, usePaging } from '../../lib/paging.tsx';
import { formatDateTime } from '../../lib/format.ts';
import type { ApiResponse } from '../../api-types.ts';

type Tally = ApiResponse<'/api/meetings/{meetingId}/tally'>;
type Round = Tally['rounds'][number];
type Expert = Round['experts'][number];
type ResultsPage = ApiResponse<'/api/meetings/{meetingId}/tally/rounds/{roundId}/results'>;

const pct = (v: number | null) => (v == null ? '—' : `${v}%`);
const STATUS_COLOR: Record<string, 'default' | 'success' | 'warning' | 'info'> = { submitted: 'success', returned: 'warning', absent: 'info', draft: 'default' };

/** 发放专家账号: issues the credentials of the experts who have none and downloads the sheet. */
export function CredentialSheetButton({ meetingId, name }: { meetingId: number | string; name: string }) {
  const notify = useNotify();
  const issue = async () => {
    try {
      const res = await authFetch(`/api/meetings/${meetingId}/credentials`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      if (!res.ok) throw new Error(((await res.json().catch(() => ({}))) as { message?: string }).message ?? '发放失败');
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = `${name}-专家账号单.pdf`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      notify('专家账号已发放，请打印账号单', { type: 'success' });
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
    }
  };
  return (
    <Button variant="outlined" onClick={() => void issue()}>
      发放专家账号
    </Button>
  );
}

function ExpertsTable({ round, readOnly, tallyOpen, onAct }: { round: Round; readOnly: boolean; tallyOpen: boolean; onAct: (kind: 'return' | 'absent', expert: Expert) => void }) {
  const open = round.status === 'voting';
  return (
    <TableContainer>
      <Table size="small" data-testid="tally-experts">
        <TableHead>
          <TableRow>
            <TableCell>专家</TableCell>
            <TableCell>状态</TableCell>
            {round.method === 'vote' ? (
              <>
                <TableCell align="right">同意</TableCell>
                <TableCell align="right">不同意</TableCell>
                <TableCell align="right">弃权</TableCell>
              </>
            ) : null}
            <TableCell align="right">未投</TableCell>
            {round.method === 'vote' ? (
              <>
                <TableCell align="right">通过率</TableCell>
                <TableCell align="right">弃权率</TableCell>
              </>
            ) : null}
            <TableCell>提交时间</TableCell>
            {!readOnly && open ? <TableCell>操作</TableCell> : null}
          </TableRow>
        </TableHead>
        <TableBody>
          {round.experts.map((e) => (
            <TableRow key={e.expertId} data-expert={e.name}>
              <TableCell>{e.name}</TableCell>
              <TableCell>
                <Chip size="small" color={STATUS_COLOR[e.status] ?? 'default'} label={e.statusLabel} />
              </TableCell>
              {round.method === 'vote' ? (
                <>
                  <TableCell align="right">{e.agree}</TableCell>
                  <TableCell align="right">{e.disagree}</TableCell>
                  <TableCell align="right">{e.abstain}</TableCell>
                </>
              ) : null}
              <TableCell align="right">{e.notVoted}</TableCell>
              {round.method === 'vote' ? (
                <>
                  <TableCell align="right">{pct(e.passRate)}</TableCell>
                  <TableCell align="right">{pct(e.abstainRate)}</TableCell>
                </>
              ) : null}
              <TableCell>{e.submittedAt ? formatDateTime(e.submittedAt) : '—'}</TableCell>
              {!readOnly && open ? (
                <TableCell>
                  {e.status === 'submitted' && tallyOpen ? (
                    <Button size="small" onClick={() => onAct('return', e)}>
                      回退
                    </Button>
                  ) : null}
                  {e.status === 'draft' || e.status === 'returned' ? (
                    <Button size="small" color="warning" onClick={() => onAct('absent', e)}>
                      缺席
                    </Button>
                  ) : null}
                </TableCell>
              ) : null}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

/** 参评人员结果 of one round, a page at a time (a meeting of 3,000 is not sent whole), newest after every change. */
function ResultsTable({ meetingId, round }: { meetingId: string; round: Round }) {
  const paging = usePaging();
  const { data, error, isFetching } = useQuery({
    queryKey: ['meeting-tally-results', meetingId, round.id, paging.params.toString()],
    queryFn: () => api<ResultsPage>(`/api/meetings/${meetingId}/tally/rounds/${round.id}/results?${paging.params.toString()}`),
    placeholderData: keepPreviousData,
  });
  return (
    <TableContainer>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }}>
        <NameFilter paging={paging} testId="tally-result-name" />
        <Typography variant="body2" color="text.secondary" sx={{ whiteSpace: 'nowrap' }}>
          本轮参评 {round.resultCount} 人
        </Typography>
      </Stack>
      {error ? <Alert severity="error">{(error as Error).message}</Alert> : null}
      {isFetching ? <LinearProgress /> : null}
      <Table size="small" data-testid="tally-results">
        <TableHead>
          <TableRow>
            <TableCell>序号</TableCell>
            <TableCell>姓名</TableCell>
            <TableCell>工作单位</TableCell>
            {round.method === 'vote' ? (
              <>
                <TableCell align="right">同意</TableCell>
                <TableCell align="right">不同意</TableCell>
                <TableCell align="right">弃权</TableCell>
              </>
            ) : (
              <TableCell align="right">平均分</TableCell>
            )}
            <TableCell align="right">未投</TableCell>
            {round.kind === 'plenary' ? <TableCell align="right">专业组平均分</TableCell> : null}
            <TableCell>结果</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {(data?.results ?? []).map((r) => (
            <TableRow key={r.dossierId} data-candidate={r.applicantName}>
              <TableCell>{r.orderNo}</TableCell>
              <TableCell>{r.applicantName}</TableCell>
              <TableCell>{r.employerName ?? '—'}</TableCell>
              {round.method === 'vote' ? (
                <>
                  <TableCell align="right">{r.agree}</TableCell>
                  <TableCell align="right">{r.disagree}</TableCell>
                  <TableCell align="right">{r.abstain}</TableCell>
                </>
              ) : (
                <TableCell align="right">{r.averageScore ?? '—'}</TableCell>
              )}
              <TableCell align="right">{r.notVoted}</TableCell>
              {round.kind === 'plenary' ? <TableCell align="right">{r.panelScore ?? '—'}</TableCell> : null}
              <TableCell>
                {r.passed == null ? '—' : <Chip size="small" color={r.passed ? 'success' : 'default'} label={round.status === 'voting' ? `当前${r.resultLabel}` : r.resultLabel} />}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {data && !data.total ? <Typography color="text.secondary" sx={{ mt: 1 }}>没有符合条件的参评人员</Typography> : null}
      <ListPager paging={paging} total={data?.total ?? 0} />
    </TableContainer>
  );
}

/** 计票: each round's experts and results; 回退, 缺席 and 计票完成 for the organiser, read-only for the supervising committee. */
export function TallyPage() {
  const { meetingId } = useParams();
  const notify = useNotify();
  const client = useQueryClient();
  const key = ['meeting-tally', meetingId];
  const { data, error, refetch, isFetching } = useQuery({ queryKey: key, queryFn: () => api<Tally>(`/api/meetings/${meetingId}/tally`) });
  const [acting, setActing] = useState<{ kind: 'return' | 'absent'; expert: Expert } | null>(null);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const post = async (path: string, json: unknown, done: string) => {
    try {
      const next = await api<Tally>(`/api/meetings/${meetingId}/tally/${path}`, { method: 'POST', json });
      client.setQueryData(key, next);
      await client.invalidateQueries({ queryKey: ['meeting-tally-results', meetingId] });
      setProblem(null);
      notify(done, { type: 'success' });
      return true;
    } catch (err) {
      setProblem((err as Error).message);
      return false;
    }
  };

  if (error) return <Alert severity="error">{(error as Error).message}</Alert>;
  if (!data) return <Loading />;
  const name = data.meeting.name;
  return (
    <Box sx={{ mt: 2 }} data-testid="tally-page">
      <Title title={`计票：${name}`} />
      <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center', mb: 2 }}>
        <Typography variant="h6" sx={{ flex: 1, minWidth: 240 }}>
          {name} · 计票
          {data.readOnly ? <Chip size="small" label="监督（只读）" sx={{ ml: 1 }} /> : null}
        </Typography>
        <Button startIcon={<RefreshIcon />} disabled={isFetching} onClick={() => void refetch().then(() => client.invalidateQueries({ queryKey: ['meeting-tally-results', meetingId] }))}>
          刷新
        </Button>
        <Button onClick={() => void downloadFrom(`/api/meetings/${meetingId}/tally.xlsx`, `${name}-表决票结果.xlsx`)}>导出 Excel</Button>
        <Button onClick={() => void downloadFrom(`/api/meetings/${meetingId}/tally.pdf`, `${name}-表决票结果.pdf`)}>导出 PDF</Button>
        {!data.readOnly ? <CredentialSheetButton meetingId={meetingId!} name={name} /> : null}
        {!data.readOnly ? (
          <Button variant="contained" disabled={!data.tallyOpen} onClick={() => void post('pass', {}, '计票完成')}>
            计票完成
          </Button>
        ) : null}
      </Stack>
      {data.waitingFor.length ? (
        <Alert severity="info" sx={{ mb: 2 }} data-testid="waiting">
          尚有 {data.waitingFor.length} 名出席专家未提交表决票：{data.waitingFor.join('、')}。全部提交（或标记缺席）后才能计票完成。
        </Alert>
      ) : null}
      {problem ? (
        <Alert severity="error" sx={{ mb: 2 }} data-testid="tally-error" onClose={() => setProblem(null)}>
          {problem}
        </Alert>
      ) : null}
      {!data.rounds.length ? <Alert severity="info">尚未开启专家投票</Alert> : null}
      <Stack spacing={2}>
        {data.rounds.map((round) => (
          <Card key={round.id} data-testid="tally-round">
            <CardHeader
              title={round.label}
              subheader={`${round.methodLabel} · ${round.statusLabel} · 确认出席 ${round.confirmed} 人，实到 ${round.attending} 人（须至少 ${round.quorum} 人）`}
              action={<Chip color={round.valid ? 'success' : 'error'} label={round.valid ? '本轮有效' : '出席人数不足，本轮无效'} />}
            />
            <CardContent sx={{ pt: 0 }}>
              <Typography variant="subtitle2" sx={{ mb: 1 }}>
                专家投票进度
              </Typography>
              <ExpertsTable round={round} readOnly={data.readOnly} tallyOpen={data.tallyOpen} onAct={(kind, expert) => setActing({ kind, expert })} />
              <Typography variant="subtitle2" sx={{ mt: 2, mb: 1 }}>
                参评人员结果（同意票达到实到人数三分之二为通过；弃权不计为同意）
              </Typography>
              <ResultsTable meetingId={meetingId!} round={round} />
            </CardContent>
          </Card>
        ))}
      </Stack>
      <Dialog open={acting != null} onClose={() => setActing(null)} fullWidth maxWidth="sm">
        <DialogTitle>{acting?.kind === 'return' ? `回退 ${acting.expert.name} 的表决票` : `标记 ${acting?.expert.name} 缺席`}</DialogTitle>
        <DialogContent>
          <TextField autoFocus fullWidth multiline minRows={2} label="原因" value={reason} onChange={(e) => setReason(e.target.value)} sx={{ mt: 1 }} />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setActing(null)}>取消</Button>
          <Button
            variant="contained"
            onClick={async () => {
              if (!acting) return;
              const ok = await post(acting.kind, { expertId: acting.expert.expertId, opinion: reason }, acting.kind === 'return' ? '已回退' : '已标记缺席');
              if (ok) {
                setActing(null);
                setReason('');
              }
            }}
          >
            确定
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
