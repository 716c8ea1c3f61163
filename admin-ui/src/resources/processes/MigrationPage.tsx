import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  LinearProgress,
  MenuItem,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { Loading, Title, useNotify } from 'react-admin';
import { api } from '../../lib/api.ts';
import type { ApiResponse } from '../../api-types.ts';

type ProcessSummary = ApiResponse<'/api/process-definitions'>[number];
type Plan = ApiResponse<'/api/process-definitions/{key}/migrations/plan', 'post'>;
type Run = ApiResponse<'/api/process-definitions/{key}/migrations/{id}'>;

/** 迁移运行中实例: choose the versions, look at the dry run, map refused elements, run it and watch the progress. */
export function MigrationPage() {
  const { key = '' } = useParams();
  const navigate = useNavigate();
  const notify = useNotify();
  const { data: processes, isPending } = useQuery({ queryKey: ['process-definitions'], queryFn: () => api<ProcessSummary[]>('/api/process-definitions') });
  const process = processes?.find((p) => p.key === key);
  const [from, setFrom] = useState<number | ''>('');
  const [to, setTo] = useState<number | ''>('');
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [plan, setPlan] = useState<Plan | null>(null);
  const [run, setRun] = useState<Run | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!process) return;
    const source = process.versions.find((v) => v.version !== process.latestVersion && v.running > 0);
    setFrom((f) => (f === '' ? (source?.version ?? '') : f));
    setTo((t) => (t === '' ? process.latestVersion : t));
  }, [process]);

  useEffect(() => {
    if (!run || run.status !== 'running') return;
    const timer = setTimeout(() => {
      void api<Run>(`/api/process-definitions/${encodeURIComponent(key)}/migrations/${run.id}`).then(setRun, () => undefined);
    }, 500);
    return () => clearTimeout(timer);
  }, [run, key]);

  if (isPending) return <Loading />;
  if (!process) return <Alert severity="error">流程“{key}”不存在</Alert>;

  const body = () => ({ fromVersion: Number(from), toVersion: Number(to), mapping });
  const dryRun = async () => {
    setBusy(true);
    try {
      setPlan(await api<Plan>(`/api/process-definitions/${encodeURIComponent(key)}/migrations/plan`, { method: 'POST', json: body() }));
      setRun(null);
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
    }
    setBusy(false);
  };
  const execute = async () => {
    setBusy(true);
    try {
      setRun(await api<Run>(`/api/process-definitions/${encodeURIComponent(key)}/migrations`, { method: 'POST', json: body() }));
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
    }
    setBusy(false);
  };
  const done = run ? run.migrated + run.already + run.refused + run.failed : 0;

  return (
    <Box sx={{ mt: 2 }} data-testid="migration-page">
      <Title title="迁移运行中实例" />
      <Stack direction="row" sx={{ mb: 1, alignItems: 'center' }}>
        <Typography variant="h5" sx={{ flex: 1 }}>
          迁移运行中实例：{process.name}
        </Typography>
        <Button onClick={() => navigate('/process-definitions')}>返回流程管理</Button>
      </Stack>
      <Card sx={{ mb: 2 }}>
        <CardContent>
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: { sm: 'center' } }}>
            <TextField select label="源版本" value={from} onChange={(e) => { setFrom(Number(e.target.value)); setPlan(null); }} sx={{ minWidth: 200 }} slotProps={{ htmlInput: { 'data-testid': 'migration-from' } }}>
              {process.versions.map((v) => (
                <MenuItem key={v.version} value={v.version}>
                  第 {v.version} 版（运行中 {v.running}）
                </MenuItem>
              ))}
            </TextField>
            <TextField select label="目标版本" value={to} onChange={(e) => { setTo(Number(e.target.value)); setPlan(null); setMapping({}); }} sx={{ minWidth: 200 }} slotProps={{ htmlInput: { 'data-testid': 'migration-to' } }}>
              {process.versions.map((v) => (
                <MenuItem key={v.version} value={v.version}>
                  第 {v.version} 版{v.version === process.latestVersion ? '（最新）' : ''}
                </MenuItem>
              ))}
            </TextField>
            <Button variant="outlined" disabled={from === '' || to === '' || from === to || busy} onClick={() => void dryRun()} data-testid="migration-plan">
              试运行
            </Button>
            <Button variant="contained" disabled={!plan || plan.counts.ok === 0 || busy || run?.status === 'running'} onClick={() => void execute()} data-testid="migration-run">
              执行迁移
            </Button>
          </Stack>
        </CardContent>
      </Card>
      {run ? (
        <Card sx={{ mb: 2 }} data-testid="migration-progress">
          <CardContent>
            <Typography>
              {run.status === 'running' ? '迁移中' : run.status === 'done' ? '迁移完成' : '迁移中断'}：共 {run.total} 个，已迁移 {run.migrated}，此前已迁移 {run.already}，未迁移 {run.refused}，失败 {run.failed}
            </Typography>
            <LinearProgress variant="determinate" value={run.total ? (100 * done) / run.total : 100} sx={{ my: 1 }} />
            {run.error ? <Alert severity="error">{run.error}</Alert> : null}
            {run.problems.map((p) => (
              <Typography key={p.instanceId} variant="body2" color="error">
                {p.instanceId.slice(0, 8)}：{p.reason}
              </Typography>
            ))}
          </CardContent>
        </Card>
      ) : null}
      {plan ? (
        <Card>
          <CardContent sx={{ overflowX: 'auto' }}>
            <Typography sx={{ mb: 1 }}>
              共 {plan.counts.total} 个运行中实例：可迁移 {plan.counts.ok}，不能迁移 {plan.counts.refused}
              {plan.counts.refused ? '（为不能迁移的元素选择目标元素后重新试运行）' : ''}
            </Typography>
            <Table size="small" data-testid="migration-plan-table">
              <TableHead>
                <TableRow>
                  <TableCell>实例</TableCell>
                  <TableCell>业务编号</TableCell>
                  <TableCell>当前元素 → 目标元素</TableCell>
                  <TableCell>结果</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {plan.instances.map((i) => (
                  <TableRow key={i.instanceId} data-testid="migration-plan-row">
                    <TableCell>
                      <code>{i.instanceId.slice(0, 8)}</code>
                    </TableCell>
                    <TableCell>{i.businessKey ?? '—'}</TableCell>
                    <TableCell>
                      {i.elements.map((e) => (
                        <Stack key={e.elementId} direction="row" spacing={1} sx={{ alignItems: 'center', mb: 0.5 }}>
                          <span>{e.elementName ?? e.elementId} →</span>
                          {e.ok ? (
                            <span>{e.targetName ?? e.targetId}</span>
                          ) : (
                            <TextField
                              select
                              size="small"
                              label="目标元素"
                              value={mapping[e.elementId] ?? ''}
                              onChange={(ev) => setMapping((m) => ({ ...m, [e.elementId]: ev.target.value }))}
                              sx={{ minWidth: 160 }}
                              slotProps={{ htmlInput: { 'data-testid': `mapping-${e.elementId}` } }}
                            >
                              {plan.targets.map((t) => (
                                <MenuItem key={t.id} value={t.id}>
                                  {t.name ?? t.id}
                                </MenuItem>
                              ))}
                            </TextField>
                          )}
                        </Stack>
                      ))}
                    </TableCell>
                    <TableCell>
                      {i.status === 'ok' ? <Chip size="small" color="success" label="可迁移" /> : <Chip size="small" color="error" label="不能迁移" />}
                      {i.reason ? (
                        <Typography variant="body2" color="text.secondary">
                          {i.reason}
                        </Typography>
                      ) : null}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      ) : null}
    </Box>
  );
}
