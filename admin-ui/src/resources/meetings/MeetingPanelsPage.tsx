import { useState } from 'react';
import { Alert, Box, Button, Card, CardContent, CardHeader, Chip, LinearProgress, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { Title } from 'react-admin';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../../lib/api.ts';
import { completeStep, useMeeting, useMeetingAction } from './useMeeting.ts';

/** 专家分组: panels of the meeting, each confirmed expert in one, one 组长 per panel. */
export function MeetingPanelsPage() {
  const { id } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const { data: meeting, error, refetch } = useMeeting(id);
  const run = useMeetingAction(refetch);
  const [name, setName] = useState('');
  const [specialty, setSpecialty] = useState('');
  if (error) return <Alert severity="error">{(error as Error).message}</Alert>;
  if (!meeting) return <LinearProgress />;
  const editable = meeting.assignmentOpen && meeting.access === 'manage';
  const confirmed = meeting.experts.filter((e) => e.attendance === 'confirmed');
  const open = meeting.steps.find((s) => s.elementId === 'panels')?.state === 'open';
  const addPanel = () =>
    run(async () => {
      await api(`/api/meetings/${meeting.id}/panels`, { method: 'POST', json: { name, specialty: specialty || null } });
      setName('');
      setSpecialty('');
    }, '已新增专业组');
  return (
    <Box sx={{ mt: 2 }}>
      <Title title={`专家分组：${meeting.name}`} />
      <Stack direction="row" spacing={1} sx={{ mb: 1 }}>
        <Button onClick={() => navigate(`/meetings/${meeting.id}`)}>返回评审会议</Button>
        {open ? (
          <Button variant="contained" onClick={() => run(() => completeStep(meeting, 'panels'), '专家分组已完成，下一步：人员分配').then(() => navigate(`/meetings/${meeting.id}`))} data-testid="complete-panels">
            分组完成
          </Button>
        ) : null}
      </Stack>
      {!editable ? <Alert severity="info" sx={{ mb: 2 }}>专家投票已开启或会议已结束，分组不能再调整。</Alert> : null}
      <Stack spacing={2}>
        <Card>
          <CardHeader title="专业组" />
          <CardContent>
            {editable ? (
              <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ mb: 2 }}>
                <TextField size="small" label="专业组名称" value={name} onChange={(e) => setName(e.target.value)} slotProps={{ htmlInput: { 'data-testid': 'panel-name' } }} />
                <TextField size="small" label="专业" value={specialty} onChange={(e) => setSpecialty(e.target.value)} slotProps={{ htmlInput: { 'data-testid': 'panel-specialty' } }} />
                <Button variant="outlined" onClick={addPanel} disabled={!name.trim()} sx={{ flexShrink: 0, whiteSpace: 'nowrap' }}>
                  新增专业组
                </Button>
              </Stack>
            ) : null}
            {meeting.panels.length ? (
              <Stack spacing={1} data-testid="panel-list">
                {meeting.panels.map((p) => {
                  const members = confirmed.filter((e) => e.panelId === p.id);
                  return (
                    <Stack key={p.id} direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }} useFlexGap>
                      <Typography sx={{ minWidth: 120 }}>
                        {p.name}
                        {p.specialty ? `（${p.specialty}）` : ''}
                      </Typography>
                      {members.map((e) => (
                        <Chip key={e.expertId} size="small" label={`${e.name}${e.isLeader ? ' · 组长' : ''}`} color={e.isLeader ? 'primary' : 'default'} />
                      ))}
                      {!members.length ? <Typography color="text.secondary">暂无专家</Typography> : null}
                      {editable ? (
                        <Button size="small" color="error" onClick={() => run(() => api(`/api/meetings/${meeting.id}/panels/${p.id}`, { method: 'DELETE' }), '已删除专业组')}>
                          删除
                        </Button>
                      ) : null}
                    </Stack>
                  );
                })}
              </Stack>
            ) : (
              <Typography color="text.secondary">尚未设置专业组</Typography>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader title={`确认出席的专家（${confirmed.length}）`} />
          <CardContent sx={{ overflowX: 'auto' }}>
            <Table size="small" data-testid="panel-experts">
              <TableHead>
                <TableRow>
                  <TableCell>姓名</TableCell>
                  <TableCell>工作单位</TableCell>
                  <TableCell>专业</TableCell>
                  <TableCell>专业组</TableCell>
                  <TableCell>组长</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {confirmed.map((e) => (
                  <TableRow key={e.expertId} data-testid={`panel-expert-${e.expertId}`}>
                    <TableCell>{e.name}</TableCell>
                    <TableCell>{e.employer}</TableCell>
                    <TableCell>{e.specialty}</TableCell>
                    <TableCell>
                      <TextField
                        select
                        size="small"
                        value={e.panelId ? String(e.panelId) : ''}
                        disabled={!editable}
                        onChange={(ev) => run(() => api(`/api/meetings/${meeting.id}/panel-members`, { method: 'PUT', json: { expertIds: [e.expertId], panelId: ev.target.value ? Number(ev.target.value) : null } }))}
                        slotProps={{ select: { native: true }, htmlInput: { 'data-testid': `panel-of-${e.expertId}`, 'aria-label': `${e.name}的专业组` } }}
                      >
                        <option value="">（未分组）</option>
                        {meeting.panels.map((p) => (
                          <option key={p.id} value={String(p.id)}>
                            {p.name}
                          </option>
                        ))}
                      </TextField>
                    </TableCell>
                    <TableCell>
                      {e.isLeader ? (
                        <Chip size="small" color="primary" label="组长" />
                      ) : e.panelId && editable ? (
                        <Button size="small" onClick={() => run(() => api(`/api/meetings/${meeting.id}/panels/${e.panelId}/leader`, { method: 'PUT', json: { expertId: e.expertId } }), `已指定${e.name}为组长`)} data-testid={`leader-${e.expertId}`}>
                          设为组长
                        </Button>
                      ) : null}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      </Stack>
    </Box>
  );
}
