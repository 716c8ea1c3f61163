import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Checkbox,
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
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { Title, useNotify } from 'react-admin';
import { api, fieldErrors } from '../../lib/api.ts';
import { ATTENDANCE, roleLabel, type AttendanceAnswer, type AttendanceData, type AttendanceExpert, type AttendanceRequest } from './types.ts';

const errorMessage = (e: unknown) => (e as Error)?.message ?? '操作失败';
const EVENT: Record<string, string> = { confirm: '确认出席', cancel: '取消出席', promote: '递补为正选', executive_chair: '指定为执行主任' };

/** 取消出席 asks why (the phone call's answer), for one expert or a selection. */
function CancelDialog({ names, onClose, onCancel }: { names: string[]; onClose: () => void; onCancel: (reason: string) => Promise<Record<string, string> | null> }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>取消出席</DialogTitle>
      <DialogContent>
        <Typography variant="body2" sx={{ mb: 1 }}>
          {names.join('、')}
        </Typography>
        <TextField autoFocus fullWidth multiline minRows={2} label="取消原因" value={reason} onChange={(e) => setReason(e.target.value)} error={!!error} helperText={error} slotProps={{ htmlInput: { 'data-testid': 'cancel-reason' } }} />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>返回</Button>
        <Button
          color="error"
          variant="contained"
          data-testid="cancel-confirm"
          onClick={async () => {
            const problems = await onCancel(reason);
            setError(problems?.reason);
          }}
        >
          取消出席
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** 确认出席 (manual §1.2.5.5 (3)): after each phone call, confirm or cancel; a cancelled principal's seat goes to the group's next alternate. */
export function AttendancePage() {
  const { meetingId = '' } = useParams();
  // another meeting starts with nothing selected
  return <MeetingAttendance key={meetingId} meetingId={meetingId} />;
}

function MeetingAttendance({ meetingId }: { meetingId: string }) {
  const notify = useNotify();
  const client = useQueryClient();
  const { data, error, isLoading } = useQuery({ queryKey: ['attendance', meetingId], queryFn: () => api<AttendanceData>(`/api/meetings/${meetingId}/attendance`) });
  const [chosen, setChosen] = useState<number[]>([]);
  const [cancelling, setCancelling] = useState<AttendanceExpert[] | null>(null);
  const [promoted, setPromoted] = useState<AttendanceAnswer | null>(null);
  if (isLoading) return <LinearProgress />;
  if (error || !data) return <Alert severity="error">{errorMessage(error)}</Alert>;
  const reload = () => client.invalidateQueries({ queryKey: ['attendance', meetingId] });
  const send = async (body: AttendanceRequest): Promise<Record<string, string> | null> => {
    try {
      const answer = await api<AttendanceAnswer>(`/api/meetings/${meetingId}/attendance`, { method: 'POST', json: body });
      notify(`${body.action === 'confirm' ? '已确认出席' : '已取消出席'}：${answer.changed} 名`, { type: 'success' });
      setPromoted(answer.promoted.length || answer.unfilled.length ? answer : null);
      setChosen([]);
      setCancelling(null);
      await reload();
      return null;
    } catch (e) {
      notify(errorMessage(e), { type: 'error' });
      return fieldErrors(e);
    }
  };
  const naming = async (expertId: number) => {
    try {
      await api(`/api/meetings/${meetingId}/executive-chair`, { method: 'POST', json: { expertId } });
      notify('已指定执行主任', { type: 'success' });
      await reload();
    } catch (e) {
      notify(errorMessage(e), { type: 'error' });
    }
  };
  const open = data.experts.filter((e) => e.attendance !== 'cancelled');
  const selected = data.experts.filter((e) => chosen.includes(e.expertId));
  const confirmedChairs = data.experts.filter((e) => e.isChair && e.role === 'principal' && e.attendance === 'confirmed');
  const manage = data.canManage;
  const toggle = (id: number) => setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id]));
  const count = (f: (e: AttendanceExpert) => boolean) => data.experts.filter(f).length;
  return (
    <Box sx={{ mt: 1, maxWidth: '100%' }}>
      <Title title={`确认出席 — ${data.meeting.name}`} />
      {data.drawId == null ? (
        <Alert severity="info">尚未采用抽选结果：请先在专家抽选页面抽选并采用。</Alert>
      ) : (
        <>
          {data.problems.length ? (
            <Alert severity="warning" data-testid="attendance-problems">
              <Typography variant="body2">确认出席尚未完成：</Typography>
              {data.problems.map((p) => (
                <Typography key={p} variant="body2">
                  · {p}
                </Typography>
              ))}
            </Alert>
          ) : (
            <Alert severity="success" data-testid="attendance-done">
              出席确认已满足要求，可在待办事项中办理“出席确认完成”。
            </Alert>
          )}
          {promoted ? (
            <Alert severity="info" sx={{ mt: 1 }} data-testid="attendance-promoted" onClose={() => setPromoted(null)}>
              {promoted.promoted.map((p) => `第${p.groupNo}组候补专家${p.name}递补${p.replacing}`).join('；')}
              {promoted.unfilled.length ? `${promoted.promoted.length ? '；' : ''}${promoted.unfilled.join('、')}已无候补专家可递补` : ''}
            </Alert>
          ) : null}
          <Card sx={{ mt: 2 }}>
            <CardContent>
              <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap' }} useFlexGap>
                <Typography variant="body2">
                  正选 {count((e) => e.role === 'principal' && e.attendance !== 'cancelled')} 名（已确认 {count((e) => e.role === 'principal' && e.attendance === 'confirmed')}，待确认{' '}
                  {count((e) => e.role === 'principal' && e.attendance === 'pending')}），候补 {count((e) => e.role === 'alternate' && e.attendance !== 'cancelled')} 名，已取消 {count((e) => e.attendance === 'cancelled')} 名
                </Typography>
                <Box sx={{ flex: 1 }} />
                {manage ? (
                  <>
                    <Button variant="contained" disabled={!selected.length} onClick={() => send({ expertIds: chosen, action: 'confirm' })} data-testid="batch-confirm">
                      确认出席（{selected.length}）
                    </Button>
                    <Button color="error" variant="outlined" disabled={!selected.length} onClick={() => setCancelling(selected)} data-testid="batch-cancel">
                      取消出席（{selected.length}）
                    </Button>
                  </>
                ) : null}
              </Stack>
              <Table size="small" sx={{ mt: 1, '& td, & th': { px: 0.75 } }} data-testid="attendance-table">
                <TableHead>
                  <TableRow>
                    <TableCell padding="checkbox">
                      {manage ? (
                        <Checkbox
                          size="small"
                          checked={open.length > 0 && open.every((e) => chosen.includes(e.expertId))}
                          onChange={(_e, on) => setChosen(on ? open.map((e) => e.expertId) : [])}
                          slotProps={{ input: { 'aria-label': '全选' } }}
                        />
                      ) : null}
                    </TableCell>
                    <TableCell>小组</TableCell>
                    <TableCell>身份</TableCell>
                    <TableCell>姓名</TableCell>
                    <TableCell>工作单位</TableCell>
                    <TableCell>联系电话</TableCell>
                    <TableCell>现职称</TableCell>
                    <TableCell>标记</TableCell>
                    <TableCell>回避</TableCell>
                    <TableCell>出席情况</TableCell>
                    <TableCell>操作</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {data.experts.map((e) => (
                    <TableRow key={e.expertId} data-testid={`attendance-row-${e.expertId}`} sx={e.attendance === 'cancelled' ? { opacity: 0.6 } : undefined}>
                      <TableCell padding="checkbox">
                        <Checkbox size="small" disabled={!manage || e.attendance === 'cancelled'} checked={chosen.includes(e.expertId)} onChange={() => toggle(e.expertId)} slotProps={{ input: { 'aria-label': `选择${e.name}` } }} />
                      </TableCell>
                      <TableCell>第{e.groupNo}组</TableCell>
                      <TableCell>
                        {roleLabel(e)}
                        {e.promotedFor ? <Typography variant="caption" sx={{ display: 'block' }}>递补{e.promotedFor}</Typography> : null}
                      </TableCell>
                      <TableCell>{e.name}</TableCell>
                      <TableCell>{e.employer}</TableCell>
                      <TableCell>{e.phone}</TableCell>
                      <TableCell>{e.currentTitle}</TableCell>
                      <TableCell>
                        <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: 'wrap' }}>
                          {e.isChair ? <Chip size="small" label={e.isExecutiveChair ? '执行主任' : '主任委员'} color={e.isExecutiveChair ? 'primary' : 'default'} /> : null}
                          {e.lastYearChair ? <Chip size="small" label="上年度主任委员" /> : null}
                          {e.outside ? <Chip size="small" label="外地" /> : null}
                        </Stack>
                      </TableCell>
                      <TableCell>{e.recusals.length ? `回避：${e.recusals.map((r) => r.applicantName).join('、')}` : ''}</TableCell>
                      <TableCell>
                        {ATTENDANCE[e.attendance]}
                        {e.cancelReason ? <Typography variant="caption" sx={{ display: 'block' }}>{e.cancelReason}</Typography> : null}
                      </TableCell>
                      <TableCell sx={{ whiteSpace: 'nowrap' }}>
                        {manage && e.attendance === 'pending' ? (
                          <Button size="small" onClick={() => send({ expertIds: [e.expertId], action: 'confirm' })} data-testid={`confirm-${e.expertId}`}>
                            确认
                          </Button>
                        ) : null}
                        {manage && e.attendance !== 'cancelled' ? (
                          <Button size="small" color="error" onClick={() => setCancelling([e])} data-testid={`cancel-${e.expertId}`}>
                            取消
                          </Button>
                        ) : null}
                        {manage && confirmedChairs.length > 1 && e.isChair && e.role === 'principal' && e.attendance === 'confirmed' && !e.isExecutiveChair ? (
                          <Button size="small" onClick={() => naming(e.expertId)} data-testid={`executive-${e.expertId}`}>
                            设为执行主任
                          </Button>
                        ) : null}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </CardContent>
          </Card>
          <Card sx={{ mt: 2 }}>
            <CardContent>
              <Typography variant="h6">办理记录</Typography>
              {data.events.length === 0 ? <Typography variant="body2">暂无</Typography> : null}
              {data.events.map((ev) => (
                <Typography key={ev.id} variant="body2">
                  {new Date(ev.at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })} {ev.actorName}：{ev.expertName}
                  {EVENT[ev.action] ?? ev.action}
                  {ev.reason ? `（${ev.reason}）` : ''}
                </Typography>
              ))}
            </CardContent>
          </Card>
        </>
      )}
      {cancelling ? <CancelDialog names={cancelling.map((e) => e.name)} onClose={() => setCancelling(null)} onCancel={(reason) => send({ expertIds: cancelling.map((e) => e.expertId), action: 'cancel', reason })} /> : null}
    </Box>
  );
}
