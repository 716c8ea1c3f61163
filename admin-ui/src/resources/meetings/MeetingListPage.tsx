import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Box, Button, Card, CardContent, CardHeader, Chip, Dialog, DialogActions, DialogContent, DialogTitle, LinearProgress, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { Title, useNotify } from 'react-admin';
import { useNavigate } from 'react-router-dom';
import { api, fieldErrors } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { MEETING_STATUS_COLORS, type ActivityMeetings, type MeetingRecord } from './types.ts';

const KIND_LABELS = { breakthrough: '破格评审会议', normal: '普通评审会议' } as const;

function MeetingTable({ meetings }: { meetings: MeetingRecord[] }) {
  const navigate = useNavigate();
  if (!meetings.length) return <Typography color="text.secondary">尚未召开评审会议</Typography>;
  return (
    <Box sx={{ overflowX: 'auto' }}>
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell>会议名称</TableCell>
            <TableCell>类型</TableCell>
            <TableCell>状态</TableCell>
            <TableCell>时间</TableCell>
            <TableCell>地点</TableCell>
            <TableCell align="right">参评人员</TableCell>
            <TableCell align="right">出席专家</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {meetings.map((m) => (
            <TableRow key={m.id} hover data-testid={`meeting-row-${m.id}`}>
              <TableCell>{m.name}</TableCell>
              <TableCell>{m.kindLabel}</TableCell>
              <TableCell>
                <Chip size="small" label={m.statusLabel} color={MEETING_STATUS_COLORS[m.status] ?? 'default'} />
              </TableCell>
              <TableCell>{formatDateTime(m.startsAt)}</TableCell>
              <TableCell>{m.location}</TableCell>
              <TableCell align="right">{m.candidateCount}</TableCell>
              <TableCell align="right">{m.expertCount}</TableCell>
              <TableCell>
                <Button size="small" onClick={() => navigate(`/meetings/${m.id}`)}>
                  查看
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

function CreateDialog({ activity, kind, onClose }: { activity: ActivityMeetings; kind: 'breakthrough' | 'normal'; onClose: () => void }) {
  const navigate = useNavigate();
  const notify = useNotify();
  const [name, setName] = useState(`${activity.activityName}${KIND_LABELS[kind]}`);
  const [startsAt, setStartsAt] = useState('');
  const [location, setLocation] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    try {
      const created = await api<MeetingRecord>('/api/meetings', {
        method: 'POST',
        json: { activityId: activity.activityId, kind, name, startsAt: startsAt ? new Date(startsAt).toISOString() : '', location },
      });
      notify(`已召开${KIND_LABELS[kind]}，下一步：专家抽选`, { type: 'success' });
      navigate(`/meetings/${created.id}`);
    } catch (err) {
      setErrors(fieldErrors(err));
      notify((err as Error).message, { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>召开{KIND_LABELS[kind]}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ mt: 1 }}>
          <TextField label="会议名称" value={name} onChange={(e) => setName(e.target.value)} error={Boolean(errors.name)} helperText={errors.name} required slotProps={{ htmlInput: { 'data-testid': 'meeting-name' } }} />
          <TextField
            label="会议时间"
            type="datetime-local"
            value={startsAt}
            onChange={(e) => setStartsAt(e.target.value)}
            error={Boolean(errors.startsAt)}
            helperText={errors.startsAt}
            required
            slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'meeting-starts-at' } }}
          />
          <TextField label="会议地点" value={location} onChange={(e) => setLocation(e.target.value)} error={Boolean(errors.location)} helperText={errors.location} required slotProps={{ htmlInput: { 'data-testid': 'meeting-location' } }} />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>取消</Button>
        <Button variant="contained" onClick={submit} disabled={busy}>
          召开会议
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** 评审会议管理: per published activity, its 破格评审会议 and 普通评审会议, and those the caller's committee supervises. */
export function MeetingListPage() {
  const activities = useQuery({ queryKey: ['meeting-activities'], queryFn: () => api<ActivityMeetings[]>('/api/meeting-activities') });
  const meetings = useQuery({ queryKey: ['meetings'], queryFn: () => api<MeetingRecord[]>('/api/meetings') });
  const [creating, setCreating] = useState<{ activity: ActivityMeetings; kind: 'breakthrough' | 'normal' } | null>(null);
  if (activities.error) return <Alert severity="error">{(activities.error as Error).message}</Alert>;
  if (!activities.data || !meetings.data) return <LinearProgress />;
  const own = new Set(activities.data.flatMap((a) => a.meetings.map((m) => m.id)));
  const supervised = meetings.data.filter((m) => !own.has(m.id));
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="评审会议管理" />
      {!activities.data.length ? <Alert severity="info">本单位组建的评委会没有已发布的评审活动</Alert> : null}
      <Stack spacing={2}>
        {activities.data.map((a) => (
          <Card key={a.activityId} data-testid={`activity-meetings-${a.activityId}`}>
            <CardHeader
              title={a.activityName}
              subheader={`${a.committeeName} · 已接收申报 ${a.receivedNormal + a.receivedBreakthrough} 人${a.breakthrough ? `（其中破格 ${a.receivedBreakthrough} 人）` : ''}`}
              action={
                <Stack direction="row" spacing={1}>
                  {a.creatable.map((kind) => (
                    <Button key={kind} variant="contained" size="small" onClick={() => setCreating({ activity: a, kind })}>
                      召开{KIND_LABELS[kind]}
                    </Button>
                  ))}
                </Stack>
              }
            />
            <CardContent>
              <MeetingTable meetings={a.meetings} />
            </CardContent>
          </Card>
        ))}
        {supervised.length ? (
          <Card>
            <CardHeader title="监督的评审会议" subheader="本单位评委会作为监督评委会，可查看会议和计票情况" />
            <CardContent>
              <MeetingTable meetings={supervised} />
            </CardContent>
          </Card>
        ) : null}
      </Stack>
      {creating ? <CreateDialog activity={creating.activity} kind={creating.kind} onClose={() => setCreating(null)} /> : null}
    </Box>
  );
}
