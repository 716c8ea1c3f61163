import { Alert, Box, Button, Card, CardContent, CardHeader, LinearProgress, Stack, Table, TableBody, TableCell, TableHead, TableRow } from '@mui/material';
import { Title } from 'react-admin';
import { useNavigate, useParams } from 'react-router-dom';
import { completeStep, useMeeting, useMeetingAction } from './useMeeting.ts';

/** 开启专家投票: every confirmed expert needs a meeting credential; the API refuses otherwise, naming them. */
export function MeetingOpenVotingPage() {
  const { id } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const { data: meeting, error, refetch } = useMeeting(id);
  const run = useMeetingAction(refetch);
  if (error) return <Alert severity="error">{(error as Error).message}</Alert>;
  if (!meeting) return <LinearProgress />;
  const confirmed = meeting.experts.filter((e) => e.attendance === 'confirmed');
  const open = meeting.steps.find((s) => s.elementId === 'open_voting')?.state === 'open';
  return (
    <Box sx={{ mt: 2 }}>
      <Title title={`开启专家投票：${meeting.name}`} />
      <Stack direction="row" spacing={1} sx={{ mb: 1 }}>
        <Button onClick={() => navigate(`/meetings/${meeting.id}`)}>返回评审会议</Button>
        {open ? (
          <Button variant="contained" onClick={() => run(() => completeStep(meeting, 'open_voting'), '已开启专家投票').then(() => navigate(`/meetings/${meeting.id}`))} data-testid="complete-open-voting">
            开启投票
          </Button>
        ) : null}
      </Stack>
      <Card>
        <CardHeader title={`确认出席的专家（${confirmed.length}）`} subheader="开启投票后每位出席专家收到一份表决票，人员分配和分组不能再调整" />
        <CardContent sx={{ overflowX: 'auto' }}>
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell>姓名</TableCell>
                <TableCell>工作单位</TableCell>
                <TableCell>评审账号</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {confirmed.map((e) => (
                <TableRow key={e.expertId}>
                  <TableCell>{e.name}</TableCell>
                  <TableCell>{e.employer}</TableCell>
                  <TableCell>{e.hasCredential ? '已发放' : '未发放'}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </CardContent>
      </Card>
    </Box>
  );
}
