import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
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
  useMediaQuery,
} from '@mui/material';
import { Title, useNotify } from 'react-admin';
import { useNavigate } from 'react-router-dom';
import { api } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import type { MyDossier, OpenActivity } from './types.ts';
import { MyMeetingNoticesCard } from '../meeting-prep/index.ts';
import { ResultLine } from './DossierResult.tsx';

/** A phone shows each row as a block of its own: a table of five columns cannot fit 390 px without scrolling sideways. */
const usePhone = () => useMediaQuery('(max-width:600px)');

/** One entry of a list shown as blocks on a phone: a title, then label–value lines. */
function PhoneItem({ title, lines, actions, testId }: { title: React.ReactNode; lines: Array<[string, React.ReactNode]>; actions: React.ReactNode; testId?: string }) {
  return (
    <Stack spacing={0.75} sx={{ py: 1.5, borderBottom: 1, borderColor: 'divider', minWidth: 0 }} data-testid={testId}>
      <Typography variant="subtitle2" sx={{ overflowWrap: 'anywhere' }}>
        {title}
      </Typography>
      {lines.map(([label, value]) => (
        <Stack key={label} direction="row" spacing={1} sx={{ minWidth: 0 }}>
          <Typography variant="body2" color="text.secondary" sx={{ flexShrink: 0, width: '5em' }}>
            {label}
          </Typography>
          <Box sx={{ minWidth: 0, flex: 1, overflowWrap: 'anywhere' }}>{value}</Box>
        </Stack>
      ))}
      <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap' }} useFlexGap>
        {actions}
      </Stack>
    </Stack>
  );
}

function StartDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { data: activities = [] } = useQuery({ queryKey: ['activities'], queryFn: () => api<OpenActivity[]>('/api/activities'), enabled: open });
  const navigate = useNavigate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const start = async (activity: OpenActivity) => {
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

/** 可申报的评审活动: published activities whose committee takes the applicant's employer. */
export function OpenActivitiesCard() {
  const { data = [], error } = useQuery({ queryKey: ['activities'], queryFn: () => api<OpenActivity[]>('/api/activities') });
  const navigate = useNavigate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const apply = async (activity: OpenActivity) => {
    try {
      const instance = await api<{ id: string }>('/api/process-instances', { method: 'POST', json: { processKey: 'dossier-review', variables: { activityId: activity.id } } });
      await queryClient.invalidateQueries();
      const mine = await api<MyDossier[]>('/api/dossiers/mine');
      const dossier = mine.find((d) => d.instanceId === instance.id);
      if (dossier) navigate(`/my-dossiers/${dossier.id}/declaration`);
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
    }
  };
  const phone = usePhone();
  const actionsOf = (a: OpenActivity) => (
    <>
      <Button size="small" onClick={() => navigate(`/published-activities/${a.id}`)}>
        通知与政策文件
      </Button>
      {a.dossierId ? (
        <Button size="small" onClick={() => navigate(`/my-dossiers/${a.dossierId}`)}>
          已申报
        </Button>
      ) : a.open ? (
        <Button size="small" variant="contained" onClick={() => void apply(a)}>
          我要申报
        </Button>
      ) : (
        <Typography variant="caption" color="text.secondary">
          {a.closedReason}
        </Typography>
      )}
    </>
  );
  return (
    <Card sx={{ mb: 2 }}>
      <CardHeader title="可申报的评审活动" subheader="工作单位在评委会评审范围内（或本地区暂无该系列评委会、须委托评审）的已发布评审活动" />
      <CardContent>
        {error ? <Alert severity="error">{(error as Error).message}</Alert> : null}
        {data.length && phone ? (
          <Box data-testid="open-activities">
            {data.map((a) => (
              <PhoneItem
                key={a.id}
                title={a.name}
                lines={[
                  ['评委会', <>{a.committeeName}{a.delegationNote ? <Typography variant="caption" color="warning.main" sx={{ display: 'block' }}>{a.delegationNote}</Typography> : null}</>],
                  ['提交截止', a.firstDeadline ? formatDateTime(a.firstDeadline) : '—'],
                ]}
                actions={actionsOf(a)}
              />
            ))}
          </Box>
        ) : data.length ? (
          <Table size="small" data-testid="open-activities">
            <TableHead>
              <TableRow>
                <TableCell>评审活动</TableCell>
                <TableCell>评委会</TableCell>
                <TableCell>个人初次提交截止</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {data.map((a) => (
                <TableRow key={a.id}>
                  <TableCell>{a.name}</TableCell>
                  <TableCell>
                    {a.committeeName}
                    {a.delegationNote ? (
                      <Typography variant="caption" color="warning.main" sx={{ display: 'block' }}>
                        {a.delegationNote}
                      </Typography>
                    ) : null}
                  </TableCell>
                  <TableCell>{a.firstDeadline ? formatDateTime(a.firstDeadline) : '—'}</TableCell>
                  <TableCell>
                    <Stack direction="row" spacing={1}>
                      {actionsOf(a)}
                    </Stack>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : (
          <Typography color="text.secondary">目前没有您可以申报的评审活动</Typography>
        )}
      </CardContent>
    </Card>
  );
}

const shanghaiDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
// 12月8日 whatever the browser's idea of zh-CN short dates ("12/8" in some)
const monthDay = (at: Date) => shanghaiDay.format(at).replace(/^\d{4}-0?(\d+)-0?(\d+)$/, '$1月$2日');
const clock = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });

/** 当前办理: who holds the dossier and until when, e.g. 成都示范科技 申报单位审核，办理期限 12月8日（还剩 3 个工作日）. */
function HolderLine({ step }: { step: MyDossier['currentSteps'][number] }) {
  const due = step.dueAt ? new Date(step.dueAt) : null;
  // a due date counted in days ends at 24:00; one in hours has its own time
  const time = due ? clock.format(due) : '';
  const when = due ? `${monthDay(due)}${time === '23:59' ? '' : ` ${time}`}` : '';
  const left = step.overdue ? '已超期' : step.workingDaysLeft === 0 ? '今天到期' : `还剩 ${step.workingDaysLeft} 个工作日`;
  return (
    <Typography variant="body2" data-testid="holder" sx={{ mb: 0.5 }}>
      当前办理：{step.unitName ?? (step.mine ? '本人' : '申报人')} {step.name}
      {due ? (
        <Typography component="span" variant="body2" color={step.overdue ? 'error' : step.workingDaysLeft === 0 ? 'warning.main' : 'text.secondary'}>
          ，办理期限 {when}（{left}）
        </Typography>
      ) : null}
    </Typography>
  );
}

/** 我的申报: each dossier, where it is now, and the last opinion. */
export function MyDossiersCard() {
  const { data = [], error } = useQuery({ queryKey: ['my-dossiers'], queryFn: () => api<MyDossier[]>('/api/dossiers/mine') });
  const [starting, setStarting] = useState(false);
  const navigate = useNavigate();
  const phone = usePhone();
  const statusOf = (d: MyDossier) => (
    <Stack spacing={0.5} sx={{ alignItems: 'flex-start' }}>
      <Chip size="small" label={d.statusLabel} color={d.status === 'rejected' ? 'error' : d.status === 'returned' ? 'warning' : 'default'} />
      {d.result ? <ResultLine result={d.result} dossierId={d.id} /> : null}
    </Stack>
  );
  const opinionOf = (d: MyDossier) =>
    d.lastOpinion ? (
      <Stack>
        <Typography variant="body2">{d.lastOpinion.opinion}</Typography>
        <Typography variant="caption" color="text.secondary">
          {d.lastOpinion.step} · {formatDateTime(d.lastOpinion.at)}
        </Typography>
      </Stack>
    ) : (
      '—'
    );
  const deadlineOf = (d: MyDossier) => (d.deadline ? `${formatDateTime(d.deadline.at)}${d.deadline.passed ? '（已截止）' : ''}` : '—');
  const actionsOf = (d: MyDossier) => {
    const mine = d.currentSteps.find((s) => s.mine);
    return (
      <>
        {mine && !d.deadline?.passed ? (
          <Button size="small" variant="contained" onClick={() => navigate(`/my-dossiers/${d.id}/declaration`)}>
            填写申报材料
          </Button>
        ) : null}
        <Button size="small" onClick={() => navigate(`/my-dossiers/${d.id}`)}>
          申报详情
        </Button>
        {mine && !d.deadline?.passed ? (
          <Button size="small" onClick={() => navigate(`/tasks/${mine.taskId}/handle`)}>
            去办理
          </Button>
        ) : d.instanceId ? (
          <Button size="small" onClick={() => navigate(`/instances/${d.instanceId}/view`)}>
            查看进度
          </Button>
        ) : null}
      </>
    );
  };
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
        {data.length && phone ? (
          <Box data-testid="my-dossiers">
            {data.map((d) => (
              <PhoneItem
                key={d.id}
                testId="my-dossier"
                title={d.activityName}
                lines={[
                  ['状态', statusOf(d)],
                  ...(d.currentSteps.length ? ([['当前环节', d.currentSteps.map((s) => <HolderLine key={s.taskId} step={s} />)]] as Array<[string, React.ReactNode]>) : []),
                  ...(d.lastOpinion ? ([['最近意见', opinionOf(d)]] as Array<[string, React.ReactNode]>) : []),
                  ...(d.deadline ? ([['提交截止', deadlineOf(d)]] as Array<[string, React.ReactNode]>) : []),
                ]}
                actions={actionsOf(d)}
              />
            ))}
          </Box>
        ) : data.length ? (
          <Table size="small" data-testid="my-dossiers">
            <TableHead>
              <TableRow>
                <TableCell>评审活动</TableCell>
                <TableCell>状态</TableCell>
                <TableCell>当前环节</TableCell>
                <TableCell>最近意见</TableCell>
                <TableCell>提交截止</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {data.map((d) => (
                <TableRow key={d.id}>
                  <TableCell>{d.activityName}</TableCell>
                  <TableCell>{statusOf(d)}</TableCell>
                  <TableCell>{d.currentSteps.length ? d.currentSteps.map((s) => <HolderLine key={s.taskId} step={s} />) : '—'}</TableCell>
                  <TableCell>{opinionOf(d)}</TableCell>
                  <TableCell>{deadlineOf(d)}</TableCell>
                  <TableCell>
                    <Stack direction="row" spacing={1}>
                      {actionsOf(d)}
                    </Stack>
                  </TableCell>
                </TableRow>
              ))}
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
      <MyMeetingNoticesCard />
      <OpenActivitiesCard />
      <MyDossiersCard />
    </>
  );
}
