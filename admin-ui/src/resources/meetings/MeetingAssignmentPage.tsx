import { useState } from 'react';
import { Alert, Box, Button, Card, CardContent, CardHeader, Checkbox, Chip, LinearProgress, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { Title, useNotify } from 'react-admin';
import { useNavigate, useParams } from 'react-router-dom';
import { api, type ApiErrorBody } from '../../lib/api.ts';
import { downloadFrom } from '../../lib/download.ts';
import { completeStep, useMeeting, useMeetingAction } from './useMeeting.ts';
import { CandidateFilterBar, CandidatePagination, useCandidatePage } from './candidates.tsx';

interface CellProblem {
  row: number;
  column: string;
  message: string;
}

/** 人员分配: the candidates' order (reorder template import), 主审 and 辅审, and their panel; until voting opens. */
export function MeetingAssignmentPage() {
  const { id } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const notify = useNotify();
  const { data: meeting, error, refetch: refetchMeeting } = useMeeting(id);
  const list = useCandidatePage(id ? Number(id) : undefined);
  const refetch = () => Promise.all([refetchMeeting(), list.refetch()]);
  const run = useMeetingAction(refetch);
  const [selected, setSelected] = useState<number[]>([]);
  const [main, setMain] = useState('');
  const [assistants, setAssistants] = useState<number[]>([]);
  const [panel, setPanel] = useState('');
  const [problems, setProblems] = useState<CellProblem[]>([]);
  if (error) return <Alert severity="error">{(error as Error).message}</Alert>;
  if (!meeting) return <LinearProgress />;
  const editable = meeting.assignmentOpen && meeting.access === 'manage';
  const confirmed = meeting.experts.filter((e) => e.attendance === 'confirmed');
  const expertName = new Map(meeting.experts.map((e) => [e.expertId, e.name]));
  const panelName = new Map(meeting.panels.map((p) => [p.id, p.name]));
  const open = meeting.steps.find((s) => s.elementId === 'assignment')?.state === 'open';
  const toggle = (values: number[], value: number) => (values.includes(value) ? values.filter((v) => v !== value) : [...values, value]);
  const shown = list.data?.candidates ?? [];
  const shownIds = shown.map((c) => c.dossierId);
  const allShownSelected = shownIds.length > 0 && shownIds.every((d) => selected.includes(d));

  const assign = () =>
    run(async () => {
      await api(`/api/meetings/${meeting.id}/assignments`, {
        method: 'PUT',
        json: { dossierIds: selected, mainExpertId: Number(main), assistantExpertIds: assistants, ...(meeting.facts.hasPanels && panel ? { panelId: Number(panel) } : {}) },
      });
      setSelected([]);
    }, '已分配');

  const importOrder = async (file: File | undefined) => {
    if (!file) return;
    setProblems([]);
    try {
      const body = new FormData();
      body.append('file', file, file.name);
      const [stored] = await api<Array<{ id: string }>>('/api/files', { method: 'POST', body });
      const done = await api<{ count: number }>(`/api/meetings/${meeting.id}/order-import`, { method: 'POST', json: { fileId: stored!.id } });
      notify(`已按导入的顺序调整 ${done.count} 名参评人员`, { type: 'success' });
    } catch (err) {
      const details = (err as { body?: ApiErrorBody }).body?.details;
      if (Array.isArray(details)) setProblems(details as CellProblem[]);
      notify((err as Error).message, { type: 'error' });
    } finally {
      await refetch();
    }
  };

  return (
    <Box sx={{ mt: 2 }}>
      <Title title={`人员分配：${meeting.name}`} />
      <Stack direction="row" spacing={1} sx={{ mb: 1, flexWrap: 'wrap' }} useFlexGap>
        <Button onClick={() => navigate(`/meetings/${meeting.id}`)}>返回评审会议</Button>
        <Button variant="outlined" onClick={() => void downloadFrom(`/api/meetings/${meeting.id}/order-template`, '参评人员顺序.xlsx')}>
          下载调整顺序模板
        </Button>
        {editable ? (
          <Button component="label" variant="outlined">
            导入调整后的顺序
            <input hidden type="file" accept=".xlsx" onChange={(e) => void importOrder(e.target.files?.[0])} data-testid="order-import" />
          </Button>
        ) : null}
        {open ? (
          <Button variant="contained" onClick={() => run(() => completeStep(meeting, 'assignment'), '人员分配已完成，下一步：开启专家投票').then(() => navigate(`/meetings/${meeting.id}`))} data-testid="complete-assignment">
            分配完成
          </Button>
        ) : null}
      </Stack>
      {!editable ? <Alert severity="info" sx={{ mb: 2 }}>专家投票已开启或会议已结束，人员分配不能再调整。</Alert> : null}
      {problems.length ? (
        <Alert severity="error" sx={{ mb: 2 }} data-testid="order-problems">
          {problems.map((p, i) => (
            <div key={i}>{p.column ? `${p.column}${p.row}：${p.message}` : p.message}</div>
          ))}
        </Alert>
      ) : null}
      <Stack spacing={2}>
        {editable ? (
          <Card>
            <CardHeader title="批量分配" subheader={`已选 ${selected.length} 名参评人员`} />
            <CardContent>
              <Stack spacing={2}>
                <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1}>
                  <TextField select size="small" label="主审专家" value={main} onChange={(e) => setMain(e.target.value)} sx={{ minWidth: 200 }} slotProps={{ inputLabel: { shrink: true }, select: { native: true }, htmlInput: { 'data-testid': 'main-expert' } }}>
                    <option value="">（请选择）</option>
                    {confirmed.map((e) => (
                      <option key={e.expertId} value={String(e.expertId)}>
                        {e.name}
                      </option>
                    ))}
                  </TextField>
                  {meeting.facts.hasPanels ? (
                    <TextField select size="small" label="专业组" value={panel} onChange={(e) => setPanel(e.target.value)} sx={{ minWidth: 200 }} slotProps={{ inputLabel: { shrink: true }, select: { native: true }, htmlInput: { 'data-testid': 'candidate-panel' } }}>
                      <option value="">（不变）</option>
                      {meeting.panels.map((p) => (
                        <option key={p.id} value={String(p.id)}>
                          {p.name}
                        </option>
                      ))}
                    </TextField>
                  ) : null}
                </Stack>
                <Box>
                  <Typography variant="body2" sx={{ mb: 0.5 }}>
                    辅审专家（可多选）
                  </Typography>
                  <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap' }} useFlexGap>
                    {confirmed
                      .filter((e) => String(e.expertId) !== main)
                      .map((e) => (
                        <Chip key={e.expertId} label={e.name} color={assistants.includes(e.expertId) ? 'primary' : 'default'} onClick={() => setAssistants(toggle(assistants, e.expertId))} data-testid={`assistant-${e.expertId}`} />
                      ))}
                  </Stack>
                </Box>
                <Box>
                  <Button variant="contained" disabled={!selected.length || !main} onClick={assign} data-testid="assign">
                    分配给所选人员
                  </Button>
                </Box>
              </Stack>
            </CardContent>
          </Card>
        ) : null}
        <Card>
          <CardHeader title={`参评人员（${meeting.candidateSummary.total}，未分配主审 ${meeting.candidateSummary.unassigned}）`} subheader="顺序决定专业组计票、评委会计票和专家端的显示顺序；勾选可跨页累计" />
          <CardContent sx={{ overflowX: 'auto' }}>
            <CandidateFilterBar meeting={meeting} paging={list.paging} withAssigned />
            {list.error ? <Alert severity="error">{(list.error as Error).message}</Alert> : null}
            {list.isFetching ? <LinearProgress /> : null}
            <Table size="small" data-testid="assignment-candidates">
              <TableHead>
                <TableRow>
                  <TableCell padding="checkbox">
                    <Checkbox
                      disabled={!editable}
                      checked={allShownSelected}
                      onChange={(e) => setSelected(e.target.checked ? [...new Set([...selected, ...shownIds])] : selected.filter((d) => !shownIds.includes(d)))}
                      slotProps={{ input: { 'aria-label': '全选本页' } }}
                    />
                  </TableCell>
                  <TableCell>顺序</TableCell>
                  <TableCell>姓名</TableCell>
                  <TableCell>工作单位</TableCell>
                  <TableCell>申报专业</TableCell>
                  <TableCell>来源</TableCell>
                  {meeting.facts.hasPanels ? <TableCell>专业组</TableCell> : null}
                  <TableCell>主审</TableCell>
                  <TableCell>辅审</TableCell>
                  <TableCell>回避专家</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {shown.map((c) => (
                  <TableRow key={c.dossierId} data-testid={`candidate-${c.dossierId}`}>
                    <TableCell padding="checkbox">
                      <Checkbox disabled={!editable} checked={selected.includes(c.dossierId)} onChange={() => setSelected(toggle(selected, c.dossierId))} slotProps={{ input: { 'aria-label': `选择${c.name}` } }} />
                    </TableCell>
                    <TableCell>{c.orderNo}</TableCell>
                    <TableCell>{c.name}</TableCell>
                    <TableCell>{c.employer}</TableCell>
                    <TableCell>{c.specialty}</TableCell>
                    <TableCell>{c.sourceLabel}</TableCell>
                    {meeting.facts.hasPanels ? <TableCell>{c.panelId ? panelName.get(c.panelId) : '—'}</TableCell> : null}
                    <TableCell>{c.mainExpertId ? expertName.get(c.mainExpertId) : '—'}</TableCell>
                    <TableCell>{c.assistantExpertIds.map((e) => expertName.get(e)).join('、') || '—'}</TableCell>
                    <TableCell>{c.recusedExpertIds.map((e) => expertName.get(e)).join('、') || '—'}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            {list.data && !list.data.total ? <Typography color="text.secondary" sx={{ mt: 1 }}>没有符合条件的参评人员</Typography> : null}
            <CandidatePagination list={list} />
          </CardContent>
        </Card>
      </Stack>
    </Box>
  );
}
