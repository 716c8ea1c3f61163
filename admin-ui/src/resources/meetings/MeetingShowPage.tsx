import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  CardHeader,
  Chip,
  Grid,
  LinearProgress,
  List,
  ListItem,
  ListItemText,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { Title } from 'react-admin';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../../lib/api.ts';
import { downloadFile, downloadFrom } from '../../lib/download.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ATTENDANCE_LABELS, MEETING_STATUS_COLORS, STEP_STATE_LABELS, type MeetingDetail } from './types.ts';
import { useMeeting, useMeetingAction } from './useMeeting.ts';
import { CandidateFilterBar, CandidatePagination, useCandidatePage } from './candidates.tsx';

const STATE_COLORS: Record<string, 'success' | 'warning' | 'default'> = { done: 'success', open: 'warning', pending: 'default', skipped: 'default' };

/** The steps of the meeting's flow: which is open, and a way to the page where it is worked. */
function Steps({ meeting }: { meeting: MeetingDetail }) {
  const navigate = useNavigate();
  return (
    <List dense data-testid="meeting-steps">
      {meeting.steps.map((s, i) => (
        <ListItem
          key={s.elementId}
          data-testid={`step-${s.elementId}`}
          secondaryAction={
            s.state === 'open' && s.page && meeting.access === 'manage' && !s.page.startsWith('/expert/') ? (
              <Button size="small" variant="contained" onClick={() => navigate(s.page as string)}>
                去办理
              </Button>
            ) : null
          }
        >
          <ListItemText
            primary={
              <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                <span>
                  {i + 1}. {s.name}
                </span>
                <Chip size="small" label={STEP_STATE_LABELS[s.state]} color={STATE_COLORS[s.state]} variant={s.state === 'skipped' ? 'outlined' : 'filled'} />
              </Stack>
            }
            secondary={s.state === 'open' && s.taskIds.length > 1 ? `${s.taskIds.length} 份表决票未提交` : s.doneBy ? `办理人：${s.doneBy}` : null}
          />
        </ListItem>
      ))}
    </List>
  );
}

/** 评审方案: the supervising committee, the review materials, the exports. */
function Plan({ meeting, refetch }: { meeting: MeetingDetail; refetch: () => unknown }) {
  const run = useMeetingAction(refetch);
  const manage = meeting.access === 'manage';
  const options = useQuery({
    queryKey: ['meeting-supervisors', meeting.id],
    queryFn: () => api<Array<{ id: number; name: string }>>(`/api/meetings/${meeting.id}/supervisor-options`),
    enabled: manage,
  });
  const [supervisor, setSupervisor] = useState<string>(meeting.supervisorCommitteeId ? String(meeting.supervisorCommitteeId) : '');
  useEffect(() => setSupervisor(meeting.supervisorCommitteeId ? String(meeting.supervisorCommitteeId) : ''), [meeting.supervisorCommitteeId]);
  const save = (materials: MeetingDetail['materials'], supervisorId: string) =>
    run(
      () => api(`/api/meetings/${meeting.id}/plan`, { method: 'PUT', json: { supervisorCommitteeId: supervisorId ? Number(supervisorId) : null, materials, version: meeting.version } }),
      '评审方案已保存',
    );
  const uploadMaterials = (files: FileList | null) =>
    run(async () => {
      if (!files?.length) return;
      const body = new FormData();
      for (const f of Array.from(files)) body.append('file', f, f.name);
      const stored = await api<MeetingDetail['materials']>('/api/files', { method: 'POST', body });
      await api(`/api/meetings/${meeting.id}/plan`, {
        method: 'PUT',
        json: { supervisorCommitteeId: meeting.supervisorCommitteeId, materials: [...meeting.materials, ...stored], version: meeting.version },
      });
    }, '评审材料已上传');
  const exports = [
    ['roster', '报评人员名册'],
    ['summary', '申报人员汇总表'],
    ['experts', '参评专家信息'],
  ] as const;
  return (
    <Stack spacing={2}>
      {manage ? (
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ alignItems: { sm: 'center' } }}>
          <TextField
            select
            size="small"
            label="监督评委会"
            value={supervisor}
            onChange={(e) => setSupervisor(e.target.value)}
            sx={{ minWidth: 320 }}
            slotProps={{ inputLabel: { shrink: true }, select: { native: true }, htmlInput: { 'data-testid': 'supervisor-select' } }}
          >
            <option value="">（不设监督评委会）</option>
            {(options.data ?? []).map((o) => (
              <option key={o.id} value={String(o.id)}>
                {o.name}
              </option>
            ))}
          </TextField>
          <Button variant="outlined" onClick={() => save(meeting.materials, supervisor)} sx={{ flexShrink: 0, whiteSpace: 'nowrap' }}>
            保存监督评委会
          </Button>
        </Stack>
      ) : (
        <Typography>监督评委会：{meeting.supervisorName ?? '未设置'}</Typography>
      )}
      <Box>
        <Typography variant="subtitle2">评审材料</Typography>
        {meeting.materials.length ? (
          <List dense>
            {meeting.materials.map((f) => (
              <ListItem
                key={f.id}
                secondaryAction={
                  manage ? (
                    <Button size="small" color="error" onClick={() => save(meeting.materials.filter((m) => m.id !== f.id), supervisor)}>
                      移除
                    </Button>
                  ) : null
                }
              >
                <ListItemText primary={<Button size="small" onClick={() => void downloadFile(f.id, f.name)}>{f.name}</Button>} />
              </ListItem>
            ))}
          </List>
        ) : (
          <Typography color="text.secondary">尚未上传评审材料</Typography>
        )}
        {manage ? (
          <Button component="label" variant="outlined" size="small">
            上传评审材料
            <input hidden type="file" multiple onChange={(e) => void uploadMaterials(e.target.files)} data-testid="materials-input" />
          </Button>
        ) : null}
      </Box>
      <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap' }} useFlexGap>
        {exports.map(([key, label]) => (
          <Button key={key} variant="outlined" size="small" onClick={() => void downloadFrom(`/api/meetings/${meeting.id}/exports/${key}`, `${meeting.name}${label}.xlsx`)}>
            导出{label}
          </Button>
        ))}
      </Stack>
    </Stack>
  );
}

/** 评审会议详情: the flow's steps, the candidates, the experts and the 评审方案. */
export function MeetingShowPage() {
  const { id } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const { data: meeting, error, refetch } = useMeeting(id);
  const list = useCandidatePage(id ? Number(id) : undefined);
  if (error) return <Alert severity="error">{(error as Error).message}</Alert>;
  if (!meeting) return <LinearProgress />;
  const expertName = new Map(meeting.experts.map((e) => [e.expertId, e.name]));
  const panelName = new Map(meeting.panels.map((p) => [p.id, p.name]));
  return (
    <Box sx={{ mt: 2 }}>
      <Title title={meeting.name} />
      <Stack direction="row" spacing={1} sx={{ mb: 1, flexWrap: 'wrap' }} useFlexGap>
        <Button onClick={() => navigate('/meetings')}>返回评审会议管理</Button>
        {meeting.access === 'manage' && meeting.facts.hasPanels ? <Button onClick={() => navigate(`/meetings/${meeting.id}/panels`)}>专家分组</Button> : null}
        {meeting.access === 'manage' ? <Button onClick={() => navigate(`/meetings/${meeting.id}/assignment`)}>人员分配</Button> : null}
        {meeting.access === 'manage' ? <Button onClick={() => navigate(`/meetings/${meeting.id}/objections`)}>公示有异议人员</Button> : null}
        {meeting.kind === 'normal' ? <Button onClick={() => navigate(`/meetings/${meeting.id}/publicity`)}>评审结果公示</Button> : null}
        {meeting.access === 'manage' ? <Button onClick={() => navigate(`/activities/${meeting.activityId}/scoring`)}>评分标准</Button> : null}
        {meeting.access === 'manage' && meeting.status === 'closed' ? <Button onClick={() => navigate(`/meetings/${meeting.id}/confirmation`)}>评审结果确认</Button> : null}
      </Stack>
      {meeting.access === 'read' ? <Alert severity="info" sx={{ mb: 2 }}>本单位评委会是该会议的监督评委会：只能查看，不能修改。</Alert> : null}
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, md: 5 }}>
          <Card>
            <CardHeader
              title={meeting.name}
              subheader={
                <span>
                  {meeting.kindLabel} · {meeting.activityName}
                </span>
              }
              action={<Chip label={meeting.statusLabel} color={MEETING_STATUS_COLORS[meeting.status] ?? 'default'} />}
            />
            <CardContent>
              <Typography variant="body2">会议时间：{formatDateTime(meeting.startsAt)}</Typography>
              <Typography variant="body2">会议地点：{meeting.location}</Typography>
              <Typography variant="body2">
                笔试：{meeting.facts.hasExam ? '有' : '无'} · 答辩：{meeting.facts.hasDefense ? '有' : '无'} · 专业组：
                {meeting.facts.hasPanels ? `设（${meeting.facts.panelMethod === 'score' ? '打分' : '投票'}）` : '不设'}
              </Typography>
              <Steps meeting={meeting} />
            </CardContent>
          </Card>
        </Grid>
        <Grid size={{ xs: 12, md: 7 }}>
          <Stack spacing={2}>
            <Card>
              <CardHeader title={`参评人员（${meeting.candidateSummary.total}）`} />
              <CardContent sx={{ overflowX: 'auto' }}>
                <CandidateFilterBar meeting={meeting} paging={list.paging} />
                {list.error ? <Alert severity="error">{(list.error as Error).message}</Alert> : null}
                {list.isFetching ? <LinearProgress /> : null}
                <Table size="small" data-testid="meeting-candidates">
                  <TableHead>
                    <TableRow>
                      <TableCell>顺序</TableCell>
                      <TableCell>姓名</TableCell>
                      <TableCell>工作单位</TableCell>
                      <TableCell>申报专业</TableCell>
                      <TableCell>来源</TableCell>
                      {meeting.facts.hasPanels ? <TableCell>专业组</TableCell> : null}
                      <TableCell>主审</TableCell>
                      <TableCell>状态</TableCell>
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {(list.data?.candidates ?? []).map((c) => (
                      <TableRow key={c.dossierId}>
                        <TableCell>{c.orderNo}</TableCell>
                        <TableCell>
                          {c.name}
                          {c.objection ? <Chip size="small" color="error" label="公示有异议" sx={{ ml: 1 }} /> : null}
                        </TableCell>
                        <TableCell>{c.employer}</TableCell>
                        <TableCell>{c.specialty}</TableCell>
                        <TableCell>{c.sourceLabel}</TableCell>
                        {meeting.facts.hasPanels ? <TableCell>{c.panelId ? panelName.get(c.panelId) : '—'}</TableCell> : null}
                        <TableCell>{c.mainExpertId ? expertName.get(c.mainExpertId) : '—'}</TableCell>
                        <TableCell>{c.statusLabel}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
                {list.data && !list.data.total ? <Typography color="text.secondary" sx={{ mt: 1 }}>没有符合条件的参评人员</Typography> : null}
                <CandidatePagination list={list} />
              </CardContent>
            </Card>
            <Card>
              <CardHeader title={`专家（${meeting.experts.length}）`} />
              <CardContent sx={{ overflowX: 'auto' }}>
                {meeting.experts.length ? (
                  <Table size="small" data-testid="meeting-experts">
                    <TableHead>
                      <TableRow>
                        <TableCell>姓名</TableCell>
                        <TableCell>工作单位</TableCell>
                        <TableCell>专业</TableCell>
                        <TableCell>正选/候补</TableCell>
                        <TableCell>出席</TableCell>
                        {meeting.facts.hasPanels ? <TableCell>专业组</TableCell> : null}
                        <TableCell>评审账号</TableCell>
                      </TableRow>
                    </TableHead>
                    <TableBody>
                      {meeting.experts.map((e) => (
                        <TableRow key={e.expertId}>
                          <TableCell>
                            {e.name}
                            {e.isChair ? '（主任委员）' : ''}
                          </TableCell>
                          <TableCell>{e.employer}</TableCell>
                          <TableCell>{e.specialty}</TableCell>
                          <TableCell>{e.role === 'principal' ? '正选' : '候补'}</TableCell>
                          <TableCell>{ATTENDANCE_LABELS[e.attendance]}</TableCell>
                          {meeting.facts.hasPanels ? <TableCell>{e.panelId ? `${panelName.get(e.panelId)}${e.isLeader ? '（组长）' : ''}` : '—'}</TableCell> : null}
                          <TableCell>{e.hasCredential ? '已发放' : '未发放'}</TableCell>
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                ) : (
                  <Typography color="text.secondary">尚未抽选专家</Typography>
                )}
              </CardContent>
            </Card>
            <Card>
              <CardHeader title="评审方案" />
              <CardContent>
                <Plan meeting={meeting} refetch={refetch} />
              </CardContent>
            </Card>
          </Stack>
        </Grid>
      </Grid>
    </Box>
  );
}
