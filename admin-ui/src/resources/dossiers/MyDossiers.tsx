import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  CardContent,
  CardHeader,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  List,
  ListItemButton,
  ListItemText,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { Title, useNotify } from 'react-admin';
import { useNavigate } from 'react-router-dom';
import { api } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';

interface Dossier {
  id: number;
  activityName: string;
  year: number;
  status: string;
  statusLabel: string;
  instanceId: string | null;
  submittedAt: string | null;
  currentSteps: Array<{ taskId: string; name: string; unitName: string | null; mine: boolean }>;
  lastOpinion: { step: string | null; action: string | null; opinion: string | null; at: string } | null;
}

interface Activity {
  id: number;
  name: string;
  year: number;
  committeeUnitName: string;
}

function StartDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { data: activities = [] } = useQuery({ queryKey: ['activities'], queryFn: () => api<Activity[]>('/api/activities'), enabled: open });
  const navigate = useNavigate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const start = async (activity: Activity) => {
    try {
      const instance = await api<{ tasks: Array<{ id: string }> }>('/api/process-instances', {
        method: 'POST',
        json: { processKey: 'dossier-review', variables: { activityId: activity.id } },
      });
      await queryClient.invalidateQueries();
      onClose();
      const first = instance.tasks[0];
      if (first) navigate(`/tasks/${first.id}/handle`);
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
    }
  };
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>选择评审活动</DialogTitle>
      <DialogContent>
        {activities.length ? (
          <List>
            {activities.map((a) => (
              <ListItemButton key={a.id} onClick={() => void start(a)}>
                <ListItemText primary={a.name} secondary={`${a.year} 年度 · ${a.committeeUnitName}`} />
              </ListItemButton>
            ))}
          </List>
        ) : (
          <Typography color="text.secondary">目前没有开放申报的评审活动</Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>取消</Button>
      </DialogActions>
    </Dialog>
  );
}

/** 我的申报: each dossier, where it is now, and the last opinion. */
export function MyDossiersCard() {
  const { data = [], error } = useQuery({ queryKey: ['my-dossiers'], queryFn: () => api<Dossier[]>('/api/dossiers/mine') });
  const [starting, setStarting] = useState(false);
  const navigate = useNavigate();
  return (
    <Card>
      <CardHeader
        title="我的申报"
        action={
          <Button variant="contained" onClick={() => setStarting(true)}>
            发起申报
          </Button>
        }
      />
      <CardContent>
        {error ? <Alert severity="error">{(error as Error).message}</Alert> : null}
        {data.length ? (
          <Table size="small" data-testid="my-dossiers">
            <TableHead>
              <TableRow>
                <TableCell>评审活动</TableCell>
                <TableCell>状态</TableCell>
                <TableCell>当前环节</TableCell>
                <TableCell>最近意见</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {data.map((d) => {
                const mine = d.currentSteps.find((s) => s.mine);
                return (
                  <TableRow key={d.id}>
                    <TableCell>{d.activityName}</TableCell>
                    <TableCell>
                      <Chip size="small" label={d.statusLabel} color={d.status === 'rejected' ? 'error' : d.status === 'returned' ? 'warning' : 'default'} />
                    </TableCell>
                    <TableCell>{d.currentSteps.map((s) => (s.unitName ? `${s.name}（${s.unitName}）` : s.name)).join('、') || '—'}</TableCell>
                    <TableCell>
                      {d.lastOpinion ? (
                        <Stack>
                          <Typography variant="body2">{d.lastOpinion.opinion}</Typography>
                          <Typography variant="caption" color="text.secondary">
                            {d.lastOpinion.step} · {formatDateTime(d.lastOpinion.at)}
                          </Typography>
                        </Stack>
                      ) : (
                        '—'
                      )}
                    </TableCell>
                    <TableCell>
                      {mine ? (
                        <Button size="small" onClick={() => navigate(`/tasks/${mine.taskId}/handle`)}>
                          去办理
                        </Button>
                      ) : d.instanceId ? (
                        <Button size="small" onClick={() => navigate(`/instances/${d.instanceId}/view`)}>
                          查看进度
                        </Button>
                      ) : null}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        ) : (
          <Typography color="text.secondary">还没有申报记录</Typography>
        )}
        <StartDialog open={starting} onClose={() => setStarting(false)} />
      </CardContent>
    </Card>
  );
}

export function MyDossiersPage() {
  return (
    <>
      <Title title="我的申报" />
      <MyDossiersCard />
    </>
  );
}
