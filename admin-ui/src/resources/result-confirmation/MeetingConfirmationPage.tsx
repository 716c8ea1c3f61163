import { useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  CardHeader,
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
import { Title } from 'react-admin';
import { useNavigate, useParams } from 'react-router-dom';
import { api, fieldErrors } from '../../lib/api.ts';
import { usePaging } from '../../lib/paging.tsx';
import { CandidateDialog, FileLink, Pager, PagingFilters, ReasonDialog, StateChip, UploadButton, usePagedQuery, useRun, type Candidate, type OrganiserView } from './shared.tsx';

/**
 * 评审结果确认 on the organiser's side (manual §1.2.6 step 7): every candidate's state (确认中 /
 * 补充材料 / 确认通过 / 不通过), 补充材料, then for the confirmed ones 批量设置职称文件文号,
 * 提交发证信息, 上传评审工作报告, and 办结 once the certificates are issued.
 */
export function MeetingConfirmationPage() {
  const { meetingId } = useParams<{ meetingId: string }>();
  const navigate = useNavigate();
  const paging = usePaging();
  const { data, error, refetch, isFetching } = usePagedQuery<OrganiserView>(['meeting-confirmation', meetingId], `/api/meetings/${meetingId}/confirmation?${paging.params.toString()}`);
  const run = useRun(refetch);
  const [selected, setSelected] = useState<number[]>([]);
  const [viewing, setViewing] = useState<number | null>(null);
  const [supplementing, setSupplementing] = useState<Candidate | null>(null);
  const [numbering, setNumbering] = useState(false);
  // a refused 办结 names the candidates still waiting for a certificate: kept on the page, not only in a toast
  const [closeError, setCloseError] = useState<string | null>(null);
  if (error) return <Alert severity="error">{(error as Error).message}</Alert>;
  if (!data) return <LinearProgress />;
  const base = `/api/meetings/${data.meetingId}/confirmation`;
  // 批量设置职称文件文号: the confirmed not yet handed over, selected across pages
  const selectable = data.candidates.filter((c) => c.state === 'passed' && !c.handedAt).map((c) => c.dossierId);
  const allSelectableChosen = selectable.length > 0 && selectable.every((d) => selected.includes(d));
  const toggle = (id: number) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));
  return (
    <Box sx={{ mt: 2 }}>
      <Title title={`评审结果确认：${data.meetingName}`} />
      <Stack direction="row" spacing={1} sx={{ mb: 1, flexWrap: 'wrap' }} useFlexGap>
        <Button onClick={() => navigate(`/meetings/${data.meetingId}`)}>返回评审会议</Button>
      </Stack>
      {!data.started ? <Alert severity="info">公示结束后，评审通过的人员移交确认单位确认，进度在此显示。</Alert> : null}
      {data.closedAt ? (
        <Alert severity="success" sx={{ mb: 2 }}>
          本次评审结果确认已办结
        </Alert>
      ) : null}
      {closeError ? (
        <Alert severity="warning" sx={{ mb: 2 }} data-testid="close-error" onClose={() => setCloseError(null)}>
          {closeError}
        </Alert>
      ) : null}
      <Stack direction="row" spacing={1} sx={{ mb: 2, flexWrap: 'wrap' }} useFlexGap data-testid="counts">
        <Chip label={`确认中 ${data.counts.confirming}`} color="info" />
        <Chip label={`补充材料 ${data.counts.supplement}`} color="warning" />
        <Chip label={`确认通过 ${data.counts.passed}`} color="success" />
        <Chip label={`不通过 ${data.counts.failed}`} color="error" />
      </Stack>
      <Card>
        <CardHeader
          title="评审结果确认"
          subheader="确认通过后依次：批量设置职称文件文号、提交发证信息、上传评审工作报告；证书全部发放后办结"
          action={
            <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap' }} useFlexGap>
              <Button size="small" variant="outlined" disabled={!selected.length} onClick={() => setNumbering(true)} data-testid="set-document-no">
                批量设置职称文件文号{selected.length ? `（已选 ${selected.length} 人）` : ''}
              </Button>
              <Button
                size="small"
                variant="outlined"
                disabled={!data.counts.notHandedOver}
                data-testid="handover"
                onClick={() =>
                  run(async () => {
                    const r = await api<{ handedOver: number }>(`${base}/handover`, { method: 'POST' });
                    if (!r.handedOver) throw new Error('没有新的人员提交发证信息');
                  }, '已提交发证信息')
                }
              >
                提交发证信息
              </Button>
              <UploadButton label={data.report ? '重新上传评审工作报告' : '上传评审工作报告'} testId="report-upload" onUploaded={(fileId) => run(() => api(`${base}/report`, { method: 'PUT', json: { fileId } }), '评审工作报告已上传')} />
              <Button size="small" variant="contained" disabled={Boolean(data.closedAt)} data-testid="close" onClick={() =>
                  run(async () => {
                    setCloseError(null);
                    await api(`${base}/close`, { method: 'POST' }).catch((err: Error) => {
                      setCloseError(err.message);
                      throw err;
                    });
                  }, '已办结')
                }
              >
                办结
              </Button>
            </Stack>
          }
        />
        <CardContent sx={{ overflowX: 'auto' }}>
          <Typography variant="body2" sx={{ mb: 1 }} data-testid="report">
            评审工作报告：{data.report ? <FileLink file={data.report} testId="report-download" /> : '未上传'}
          </Typography>
          <PagingFilters paging={paging} counts={data.counts} />
          {isFetching ? <LinearProgress /> : null}
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell padding="checkbox">
                  {selectable.length ? (
                    <Checkbox
                      size="small"
                      checked={allSelectableChosen}
                      onChange={(e) => setSelected((s) => (e.target.checked ? [...new Set([...s, ...selectable])] : s.filter((d) => !selectable.includes(d))))}
                      slotProps={{ input: { 'aria-label': '全选本页确认通过的人员' } }}
                    />
                  ) : null}
                </TableCell>
                <TableCell>姓名</TableCell>
                <TableCell>工作单位</TableCell>
                <TableCell>确认单位</TableCell>
                <TableCell>状态</TableCell>
                <TableCell>当前环节</TableCell>
                <TableCell>职称文件文号</TableCell>
                <TableCell>批准日期</TableCell>
                <TableCell>发证信息</TableCell>
                <TableCell>操作</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.candidates.map((c) => (
                <TableRow key={c.dossierId} data-testid={`row-${c.dossierId}`}>
                  <TableCell padding="checkbox">
                    {c.state === 'passed' && !c.handedAt ? <Checkbox size="small" checked={selected.includes(c.dossierId)} onChange={() => toggle(c.dossierId)} slotProps={{ input: { 'aria-label': `选择${c.applicantName}` } }} /> : null}
                  </TableCell>
                  <TableCell>{c.applicantName}</TableCell>
                  <TableCell>{c.employer}</TableCell>
                  <TableCell>
                    {c.unitName}
                    {c.delegated ? '（委托）' : ''}
                  </TableCell>
                  <TableCell>
                    <StateChip candidate={c} />
                    {c.state === 'supplement' && c.returnReason ? <Typography variant="caption" sx={{ display: 'block' }}>退回原因：{c.returnReason}</Typography> : null}
                    {c.state === 'failed' && c.reason ? <Typography variant="caption" sx={{ display: 'block' }}>{c.reason}</Typography> : null}
                  </TableCell>
                  <TableCell>{c.openStep ?? '—'}</TableCell>
                  <TableCell>{c.documentNo ?? '—'}</TableCell>
                  <TableCell>{c.approvalDate ?? '—'}</TableCell>
                  <TableCell>
                    {c.certified ? '证书已发放' : c.handedAt ? '已提交' : '—'}
                    {!c.handedAt && c.certificateReturnReason ? (
                      <Typography variant="caption" color="warning.main" sx={{ display: 'block' }} data-testid={`certificate-return-${c.dossierId}`}>
                        发证单位取消发证：{c.certificateReturnReason}（可重新提交发证信息）
                      </Typography>
                    ) : null}
                  </TableCell>
                  <TableCell>
                    <Stack direction="row" spacing={0.5}>
                      <Button size="small" onClick={() => setViewing(c.dossierId)}>
                        查看
                      </Button>
                      {c.step === 'supplement' ? (
                        <Button size="small" variant="contained" color="warning" data-testid={`supplement-${c.dossierId}`} onClick={() => setSupplementing(c)}>
                          补充材料
                        </Button>
                      ) : null}
                    </Stack>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {data.started && !data.total ? <Typography color="text.secondary" sx={{ mt: 1 }}>没有符合条件的人员</Typography> : null}
          <Pager paging={paging} total={data.total} />
        </CardContent>
      </Card>
      <CandidateDialog meetingId={data.meetingId} dossierId={viewing} onClose={() => setViewing(null)} />
      <ReasonDialog
        open={supplementing != null}
        title={`补充材料：${supplementing?.applicantName ?? ''}（退回原因：${supplementing?.returnReason ?? ''}）`}
        label="补充说明"
        confirm="补充完成，重新提交"
        onClose={() => setSupplementing(null)}
        onSubmit={(note) => run(() => api(`${base}/supplements/${supplementing!.dossierId}`, { method: 'POST', json: { note } }), '已重新提交确认单位')}
      />
      <DocumentNoDialog
        open={numbering}
        count={selected.length}
        onClose={() => setNumbering(false)}
        onSubmit={async (documentNo, approvalDate) => {
          await api(`${base}/document-numbers`, { method: 'PUT', json: { dossierIds: selected, documentNo, approvalDate } });
          setSelected([]);
          await refetch();
        }}
      />
    </Box>
  );
}

/** 批量设置职称文件文号: the API checks the form X〔YYYY〕N号 and the year; its message is shown on the field. */
function DocumentNoDialog(props: { open: boolean; count: number; onClose: () => void; onSubmit: (documentNo: string, approvalDate: string) => Promise<void> }) {
  const [documentNo, setDocumentNo] = useState('');
  const [approvalDate, setApprovalDate] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  return (
    <Dialog open={props.open} onClose={props.onClose} fullWidth maxWidth="sm">
      <DialogTitle>批量设置职称文件文号（{props.count} 人）</DialogTitle>
      <DialogContent>
        {message ? (
          <Alert severity="error" sx={{ mb: 1 }} data-testid="document-no-error">
            {message}
          </Alert>
        ) : null}
        <TextField
          fullWidth
          label="职称文件文号"
          placeholder="川人社职〔2026〕12号"
          value={documentNo}
          onChange={(e) => setDocumentNo(e.target.value)}
          error={Boolean(errors.documentNo)}
          helperText={errors.documentNo ?? '格式 X〔YYYY〕N号，年份须与批准日期的年份一致'}
          sx={{ mt: 1 }}
          slotProps={{ htmlInput: { 'data-testid': 'document-no' } }}
        />
        <TextField
          fullWidth
          type="date"
          label="批准日期"
          value={approvalDate}
          onChange={(e) => setApprovalDate(e.target.value)}
          error={Boolean(errors.approvalDate)}
          helperText={errors.approvalDate}
          sx={{ mt: 2 }}
          slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'approval-date' } }}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>取消</Button>
        <Button
          variant="contained"
          data-testid="document-no-submit"
          onClick={async () => {
            try {
              await props.onSubmit(documentNo, approvalDate);
              setErrors({});
              setMessage(null);
              props.onClose();
            } catch (err) {
              setErrors(fieldErrors(err));
              setMessage((err as Error).message);
            }
          }}
        >
          保存
        </Button>
      </DialogActions>
    </Dialog>
  );
}
