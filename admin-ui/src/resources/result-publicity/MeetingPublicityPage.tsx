import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Box, Button, Card, CardContent, CardHeader, Chip, Dialog, DialogActions, DialogContent, DialogTitle, Link, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { Loading, Title, useNotify } from 'react-admin';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../../lib/api.ts';
import { downloadFile } from '../../lib/download.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ComplaintDialog } from './ComplaintDialog.tsx';
import { PiiReveal } from '../../components/PiiReveal.tsx';
import { PublicityNoticeView } from './PublicityNoticeView.tsx';
import { COMPLAINT_STATUS_COLORS, type MeetingPublicity } from './types.ts';

type Conclusion = { taskId: string; action: 'uphold' | 'dismiss'; candidateName: string };

/** 调查核实: the conclusion with its 核实意见 (for 属实, the reason the applicant reads), completing the complaint's task. */
function ConcludeDialog({ conclusion, onClose, onDone }: { conclusion: Conclusion | null; onClose: () => void; onDone: () => void }) {
  const notify = useNotify();
  const [opinion, setOpinion] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!conclusion) return null;
  const upheld = conclusion.action === 'uphold';
  const submit = async () => {
    try {
      await api(`/api/tasks/${conclusion.taskId}/complete`, { method: 'POST', json: { action: conclusion.action, opinion } });
      notify(upheld ? `投诉属实，已撤销${conclusion.candidateName}的评审结果` : '投诉不属实，维持评审结果', { type: 'success' });
      setOpinion('');
      setError(null);
      onDone();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>
        调查核实：{conclusion.candidateName}（{upheld ? '属实' : '不属实'}）
      </DialogTitle>
      <DialogContent>
        {upheld ? <Alert severity="warning" sx={{ mb: 2 }}>属实将撤销该参评人员的评审结果，核实意见作为撤销原因，申报人可见。</Alert> : null}
        <TextField required fullWidth multiline minRows={3} label="核实意见" name="opinion" value={opinion} onChange={(e) => setOpinion(e.target.value)} error={Boolean(error)} helperText={error ?? ''} />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>取消</Button>
        <Button variant="contained" color={upheld ? 'error' : 'primary'} onClick={() => void submit()}>
          确定
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** 评审结果公示 (committee): publish, the notice, complaints with their state, 录入线下投诉结果. */
export function MeetingPublicityPage() {
  const { meetingId } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [offline, setOffline] = useState(false);
  const [conclusion, setConclusion] = useState<Conclusion | null>(null);
  const key = ['meeting-publicity', meetingId];
  const { data, error } = useQuery({ queryKey: key, queryFn: () => api<MeetingPublicity>(`/api/meetings/${meetingId}/publicity`) });
  if (error) return <Alert severity="error">{(error as Error).message}</Alert>;
  if (!data) return <Loading />;
  const { notice } = data;
  const manage = data.access === 'manage';

  return (
    <Box sx={{ my: 2 }} data-testid="meeting-publicity">
      <Title title="评审结果公示" />
      <Stack direction="row" spacing={1} sx={{ mb: 1, flexWrap: 'wrap' }} useFlexGap>
        <Button onClick={() => navigate(`/meetings/${meetingId}`)}>返回评审会议</Button>
        {manage && data.publishTaskId ? (
          <Button variant="contained" onClick={() => navigate(`/tasks/${data.publishTaskId}/handle`)}>
            发布公示公告
          </Button>
        ) : null}
        {manage && notice && notice.status === 'published' ? (
          <Button variant="outlined" onClick={() => setOffline(true)}>
            录入线下投诉结果
          </Button>
        ) : null}
      </Stack>
      {!manage ? <Alert severity="info" sx={{ mb: 2 }}>本单位评委会是该会议的监督评委会：只能查看，不能发布或办理投诉。</Alert> : null}
      {!notice ? <Alert severity="info">评审会议结束后进入评审结果公示。</Alert> : null}
      {notice && notice.status === 'drafting' ? <Alert severity="info">请点击“发布公示公告”，填写公示期（不少于5个工作日）和联系方式；系统生成公示公告并在系统首页公示。</Alert> : null}
      {notice && notice.status !== 'drafting' ? (
        <Card sx={{ mb: 2 }}>
          <CardContent>
            <PublicityNoticeView notice={notice} />
          </CardContent>
        </Card>
      ) : null}
      {notice && notice.status !== 'drafting' ? (
        <Card>
          <CardHeader title="投诉" subheader={`共 ${data.complaints.length} 件，调查核实中 ${data.complaints.filter((c) => c.status === 'investigating').length} 件`} />
          <CardContent>
            {data.complaints.length ? (
              <Box sx={{ overflowX: 'auto' }}>
                <Table size="small" sx={{ minWidth: 900 }} data-testid="publicity-complaints">
                  <TableHead>
                    <TableRow>
                      <TableCell>被投诉人</TableCell>
                      <TableCell>来源</TableCell>
                      <TableCell>投诉人</TableCell>
                      <TableCell>投诉原因</TableCell>
                      <TableCell>佐证材料</TableCell>
                      <TableCell>提交时间</TableCell>
                      <TableCell>状态</TableCell>
                      <TableCell>核实结论</TableCell>
                      <TableCell />
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {data.complaints.map((c) => (
                      <TableRow key={c.id} data-testid="complaint-row">
                        <TableCell>{c.candidateName}</TableCell>
                        <TableCell>{c.kindLabel}</TableCell>
                        <TableCell>
                          {c.complainantName}
                          {/* masked; the organiser's clerk who investigates opens them with 查看 (audited) to call back */}
                          {c.complainantIdentity ? (
                            <Box sx={{ display: 'block' }}>
                              {manage && c.complainantIdentity.includes('*') ? (
                                <PiiReveal variant="caption" text={c.complainantIdentity} url={`/api/meetings/${c.meetingId}/publicity/complaints/${c.id}/pii?field=idNumber`} testId="complainant-identity-view" />
                              ) : (
                                <Typography variant="caption">{c.complainantIdentity}</Typography>
                              )}
                            </Box>
                          ) : null}
                          {c.complainantPhone ? (
                            <Box sx={{ display: 'block' }}>
                              {manage ? (
                                <PiiReveal variant="caption" text={c.complainantPhone} url={`/api/meetings/${c.meetingId}/publicity/complaints/${c.id}/pii?field=phone`} testId="complainant-phone-view" />
                              ) : (
                                <Typography variant="caption">{c.complainantPhone}</Typography>
                              )}
                            </Box>
                          ) : null}
                        </TableCell>
                        <TableCell sx={{ maxWidth: 260 }}>{c.reason}</TableCell>
                        <TableCell>
                          {c.evidence.map((f) => (
                            <Link key={f.id} component="button" variant="body2" sx={{ display: 'block' }} onClick={() => void downloadFile(f.id, f.name)}>
                              {f.name}
                            </Link>
                          ))}
                        </TableCell>
                        <TableCell>{formatDateTime(c.createdAt)}</TableCell>
                        <TableCell>
                          <Chip size="small" label={c.statusLabel} color={COMPLAINT_STATUS_COLORS[c.status] ?? 'default'} />
                        </TableCell>
                        <TableCell sx={{ maxWidth: 240 }}>{c.conclusion ?? ''}</TableCell>
                        <TableCell>
                          {manage && c.taskId ? (
                            <Stack direction="row" spacing={1}>
                              <Button size="small" color="error" onClick={() => setConclusion({ taskId: c.taskId!, action: 'uphold', candidateName: c.candidateName })}>
                                属实
                              </Button>
                              <Button size="small" onClick={() => setConclusion({ taskId: c.taskId!, action: 'dismiss', candidateName: c.candidateName })}>
                                不属实
                              </Button>
                            </Stack>
                          ) : null}
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </Box>
            ) : (
              <Typography color="text.secondary">暂无投诉</Typography>
            )}
          </CardContent>
        </Card>
      ) : null}
      <ConcludeDialog
        conclusion={conclusion}
        onClose={() => setConclusion(null)}
        onDone={() => {
          setConclusion(null);
          void queryClient.invalidateQueries({ queryKey: key });
        }}
      />
      {notice ? (
        <ComplaintDialog
          open={offline}
          offline
          url={`/api/meetings/${meetingId}/publicity/complaints`}
          candidates={notice.candidates}
          onClose={() => setOffline(false)}
          onFiled={() => {
            setOffline(false);
            void queryClient.invalidateQueries({ queryKey: key });
          }}
        />
      ) : null}
    </Box>
  );
}
