import { useState } from 'react';
import { Alert, Box, Button, Card, CardContent, CardHeader, LinearProgress, Stack, Tab, Table, TableBody, TableCell, TableHead, TableRow, Tabs, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Title } from 'react-admin';
import { api } from '../../lib/api.ts';
import { downloadFrom } from '../../lib/download.ts';
import { usePaging } from '../../lib/paging.tsx';
import { CandidateDialog, FileLink, Pager, PagingFilters, ReasonDialog, StateChip, UploadButton, usePagedQuery, useRun, type Candidate, type CandidatePage, type UnitMeeting } from './shared.tsx';

type Kind = 'direct' | 'delegated';

/**
 * 线上评审结果确认 / 线上委托结果确认 (manual §1.2.7): the confirming unit's candidates per meeting —
 * 材料审阅 (查看材料, 审阅无误, 退回补充材料), then 结果确认 (任职资格文件, 通过 / 不通过, 一键通过) and 数据导出.
 */
export function ConfirmationPage() {
  const [kind, setKind] = useState<Kind>('direct');
  const { data, error, refetch } = useQuery({ queryKey: ['result-confirmations', kind], queryFn: () => api<UnitMeeting[]>(`/api/result-confirmations?kind=${kind}`) });
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="评审结果确认" />
      <Tabs value={kind} onChange={(_, v: Kind) => setKind(v)} sx={{ mb: 2 }}>
        <Tab value="direct" label="线上评审结果确认" data-testid="tab-direct" />
        <Tab value="delegated" label="线上委托结果确认" data-testid="tab-delegated" />
      </Tabs>
      {error ? <Alert severity="error">{(error as Error).message}</Alert> : null}
      {!data && !error ? <LinearProgress /> : null}
      {data && !data.length ? <Alert severity="info">{kind === 'direct' ? '没有待确认的直接评审人员' : '没有待确认的委托评审人员'}</Alert> : null}
      <Stack spacing={2}>
        {(data ?? []).map((m) => (
          <MeetingCard key={m.meetingId} meeting={m} kind={kind} refetch={refetch} />
        ))}
      </Stack>
    </Box>
  );
}

function MeetingCard({ meeting, kind, refetch: refetchMeetings }: { meeting: UnitMeeting; kind: Kind; refetch: () => unknown }) {
  const base = `/api/result-confirmations/${meeting.meetingId}`;
  const paging = usePaging();
  const list = usePagedQuery<CandidatePage>(['result-confirmation-candidates'], `${base}/candidates?kind=${kind}&${paging.params.toString()}`);
  const run = useRun(() => Promise.all([refetchMeetings(), list.refetch()]));
  const [viewing, setViewing] = useState<number | null>(null);
  const [returning, setReturning] = useState<Candidate | null>(null);
  const [refusing, setRefusing] = useState<Candidate | null>(null);
  const { counts } = meeting;
  const waiting = counts.confirming;
  const all = counts.confirming + counts.supplement + counts.passed + counts.failed;
  return (
    <Card data-testid={`meeting-${meeting.meetingId}`}>
      <CardHeader
        title={`${meeting.committeeName} · ${meeting.meetingName}`}
        subheader={`${meeting.activityName}，共 ${all} 人，确认中 ${waiting} 人，补充材料 ${counts.supplement} 人，确认通过 ${counts.passed} 人，不通过 ${counts.failed} 人`}
        action={
          <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap' }} useFlexGap>
            <UploadButton
              label={meeting.qualificationFile ? '重新上传任职资格文件' : '上传任职资格文件'}
              testId="qualification-upload"
              onUploaded={(fileId) => run(() => api(`${base}/qualification-file`, { method: 'PUT', json: { fileId } }), '任职资格文件已上传')}
            />
            <Button
              variant="contained"
              size="small"
              disabled={!waiting}
              data-testid="pass-all"
              onClick={() =>
                run(async () => {
                  const r = await api<{ passed: number; remaining: number }>(`${base}/pass-all?kind=${kind}`, { method: 'POST' });
                  if (r.remaining) throw new Error(`已通过 ${r.passed} 人；另有 ${r.remaining} 人正在补充材料或在其他审核岗位，未通过`);
                }, '已一键通过')
              }
            >
              一键通过
            </Button>
            <Button size="small" onClick={() => run(() => downloadFrom(`${base}/export?kind=${kind}`, `${meeting.meetingName}-评审结果确认.xlsx`), '已导出')}>
              数据导出
            </Button>
          </Stack>
        }
      />
      <CardContent sx={{ overflowX: 'auto' }}>
        <Typography variant="body2" sx={{ mb: 1 }} data-testid="qualification-file">
          任职资格文件：{meeting.qualificationFile ? <FileLink file={meeting.qualificationFile} testId="qualification-download" /> : '未上传（确认通过前须上传）'}
        </Typography>
        <PagingFilters paging={paging} counts={counts} />
        {list.error ? <Alert severity="error">{(list.error as Error).message}</Alert> : null}
        {list.isFetching ? <LinearProgress /> : null}
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>姓名</TableCell>
              <TableCell>工作单位</TableCell>
              <TableCell>系列 / 专业 / 层级</TableCell>
              <TableCell>评审结果</TableCell>
              <TableCell>状态</TableCell>
              <TableCell>当前环节</TableCell>
              <TableCell>操作</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {(list.data?.candidates ?? []).map((c) => (
              <TableRow key={c.dossierId} data-testid={`row-${c.dossierId}`}>
                <TableCell>{c.applicantName}</TableCell>
                <TableCell>{c.employer}</TableCell>
                <TableCell>{[c.series, c.specialty, c.level].filter(Boolean).join(' / ')}</TableCell>
                <TableCell>{c.reviewResult}</TableCell>
                <TableCell>
                  <StateChip candidate={c} />
                  {c.state === 'failed' && c.reason ? <Typography variant="caption" sx={{ display: 'block' }}>{c.reason}</Typography> : null}
                  {c.state === 'supplement' && c.returnReason ? <Typography variant="caption" sx={{ display: 'block' }}>{c.returnReason}</Typography> : null}
                </TableCell>
                <TableCell>{c.openStep ?? '—'}</TableCell>
                <TableCell>
                  <Stack direction="row" spacing={0.5} sx={{ flexWrap: 'wrap' }} useFlexGap>
                    <Button size="small" onClick={() => setViewing(c.dossierId)}>
                      查看材料
                    </Button>
                    {c.step === 'review' ? (
                      <>
                        <Button size="small" color="warning" data-testid={`return-${c.dossierId}`} onClick={() => setReturning(c)}>
                          退回补充材料
                        </Button>
                        <Button size="small" variant="outlined" data-testid={`reviewed-${c.dossierId}`} onClick={() => run(() => api(`${base}/candidates/${c.dossierId}/review`, { method: 'POST', json: { action: 'pass', taskId: c.taskId ?? undefined } }), '审阅无误，进入结果确认')}>
                          审阅无误
                        </Button>
                      </>
                    ) : null}
                    {c.step === 'decision' ? (
                      <>
                        <Button size="small" variant="contained" color="success" data-testid={`pass-${c.dossierId}`} onClick={() => run(() => api(`${base}/candidates/${c.dossierId}/decision`, { method: 'POST', json: { passed: true, taskId: c.taskId ?? undefined } }), '确认通过')}>
                          通过
                        </Button>
                        <Button size="small" color="error" data-testid={`reject-${c.dossierId}`} onClick={() => setRefusing(c)}>
                          不通过
                        </Button>
                      </>
                    ) : null}
                  </Stack>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {list.data && !list.data.total ? <Typography color="text.secondary" sx={{ mt: 1 }}>没有符合条件的人员</Typography> : null}
        <Pager paging={paging} total={list.data?.total ?? 0} />
      </CardContent>
      <CandidateDialog meetingId={meeting.meetingId} dossierId={viewing} onClose={() => setViewing(null)} />
      <ReasonDialog
        open={returning != null}
        title={`退回补充材料：${returning?.applicantName ?? ''}`}
        label="退回原因"
        confirm="退回评委会"
        onClose={() => setReturning(null)}
        onSubmit={(reason) => run(() => api(`${base}/candidates/${returning!.dossierId}/review`, { method: 'POST', json: { action: 'return', reason, taskId: returning!.taskId ?? undefined } }), '已退回评委会补充材料')}
      />
      <ReasonDialog
        open={refusing != null}
        title={`确认不通过：${refusing?.applicantName ?? ''}`}
        label="不通过原因（申报人本年度评审申报视为不通过）"
        confirm="确认不通过"
        onClose={() => setRefusing(null)}
        onSubmit={(reason) => run(() => api(`${base}/candidates/${refusing!.dossierId}/decision`, { method: 'POST', json: { passed: false, reason, taskId: refusing!.taskId ?? undefined } }), '已确认不通过')}
      />
    </Card>
  );
}
