import { useState } from 'react';
import { Alert, Box, Button, Chip, Dialog, DialogActions, DialogContent, DialogTitle, LinearProgress, Stack, TextField, Typography } from '@mui/material';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useNotify } from 'react-admin';
import type { ApiResponse } from '../../api-types.ts';
import { api } from '../../lib/api.ts';
import { downloadFile } from '../../lib/download.ts';
import { ListPager, NameFilter, type Paging } from '../../lib/paging.tsx';

export type UnitMeeting = ApiResponse<'/api/result-confirmations'>[number];
export type CandidatePage = ApiResponse<'/api/result-confirmations/{meetingId}/candidates'>;
export type Candidate = CandidatePage['candidates'][number];
export type OrganiserView = ApiResponse<'/api/meetings/{meetingId}/confirmation'>;
type Detail = ApiResponse<'/api/result-confirmations/{meetingId}/candidates/{dossierId}'>;

const STATE_COLORS: Record<Candidate['state'], 'info' | 'warning' | 'success' | 'error'> = { confirming: 'info', supplement: 'warning', passed: 'success', failed: 'error' };

export function StateChip({ candidate }: { candidate: Candidate }) {
  return <Chip size="small" label={candidate.stateLabel} color={STATE_COLORS[candidate.state]} data-testid={`state-${candidate.dossierId}`} />;
}

/** One page of a list the API pages ({ total, candidates }), the previous page kept while the next loads. */
export function usePagedQuery<T>(key: unknown[], url: string) {
  return useQuery({ queryKey: [...key, url], queryFn: () => api<T>(url), placeholderData: keepPreviousData });
}

/** 状态 and 姓名（开头） above a confirmation list. */
export function PagingFilters({ paging, counts }: { paging: Paging; counts?: { confirming: number; supplement: number; passed: number; failed: number } }) {
  const label = (text: string, n?: number) => (n == null ? text : `${text}（${n}）`);
  return (
    <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ mb: 1 }}>
      <NameFilter paging={paging} testId="confirmation-name" />
      <TextField select size="small" label="状态" value={paging.filter('state')} onChange={(e) => paging.setFilter('state', e.target.value)} sx={{ minWidth: 160 }} slotProps={{ inputLabel: { shrink: true }, select: { native: true }, htmlInput: { 'data-testid': 'confirmation-state' } }}>
        <option value="">全部</option>
        <option value="confirming">{label('确认中', counts?.confirming)}</option>
        <option value="supplement">{label('补充材料', counts?.supplement)}</option>
        <option value="passed">{label('确认通过', counts?.passed)}</option>
        <option value="failed">{label('不通过', counts?.failed)}</option>
      </TextField>
    </Stack>
  );
}

/** 第 a–b 人，共 n 人. */
export const Pager = ({ paging, total }: { paging: Paging; total: number }) => <ListPager paging={paging} total={total} testId="confirmation-pagination" />;

/** Runs a change, says how it went in Chinese, and reloads the page's data. */
export function useRun(refetch: () => unknown) {
  const notify = useNotify();
  return async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      notify(done, { type: 'success' });
      return true;
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
      return false;
    } finally {
      await refetch();
    }
  };
}

/** Uploads one file to the file store and answers its id. */
export async function uploadOne(file: File): Promise<string> {
  const body = new FormData();
  body.append('file', file, file.name);
  const [stored] = await api<Array<{ id: string }>>('/api/files', { method: 'POST', body });
  if (!stored) throw new Error('上传失败');
  return stored.id;
}

/** A file picker button that uploads and hands the id on. */
export function UploadButton({ label, onUploaded, testId }: { label: string; onUploaded: (fileId: string) => Promise<unknown>; testId: string }) {
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  return (
    <Button component="label" variant="outlined" size="small" disabled={busy}>
      {label}
      <input
        hidden
        type="file"
        accept=".pdf,.jpg,.jpeg,.png,.doc,.docx"
        data-testid={testId}
        onChange={async (e) => {
          const file = e.target.files?.[0];
          if (!file) return;
          setBusy(true);
          try {
            await onUploaded(await uploadOne(file));
          } catch (err) {
            notify((err as Error).message, { type: 'error' });
          } finally {
            setBusy(false);
            e.target.value = '';
          }
        }}
      />
    </Button>
  );
}

/** A dialog asking for a reason (退回补充材料, 不通过, 补充说明); the API decides whether it is enough. */
export function ReasonDialog(props: { open: boolean; title: string; label: string; confirm: string; onClose: () => void; onSubmit: (reason: string) => Promise<boolean> }) {
  const [reason, setReason] = useState('');
  return (
    <Dialog open={props.open} onClose={props.onClose} fullWidth maxWidth="sm">
      <DialogTitle>{props.title}</DialogTitle>
      <DialogContent>
        <TextField autoFocus fullWidth multiline minRows={3} label={props.label} value={reason} onChange={(e) => setReason(e.target.value)} sx={{ mt: 1 }} slotProps={{ htmlInput: { 'data-testid': 'reason-input' } }} />
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>取消</Button>
        <Button
          variant="contained"
          data-testid="reason-submit"
          onClick={async () => {
            if (await props.onSubmit(reason)) {
              setReason('');
              props.onClose();
            }
          }}
        >
          {props.confirm}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** The dossier's plain fields shown beside the result (系列, 专业, 层级 are shown above, by their labels). */
const FIELD_LABELS: Record<string, string> = {
  birthDate: '出生日期',
  phone: '联系电话',
  currentTitle: '现职称',
  currentTitleDate: '取得现职称时间',
  school: '毕业院校',
  major: '所学专业',
  graduationDate: '毕业时间',
  workStartDate: '参加工作时间',
  continuingEducationHours: '继续教育学时',
  workSummary: '工作总结',
};

/** The candidate's dossier and the meeting's result, read-only. */
export function CandidateDialog({ meetingId, dossierId, onClose }: { meetingId: number; dossierId: number | null; onClose: () => void }) {
  const { data, error } = useQuery({
    queryKey: ['confirmation-candidate', meetingId, dossierId],
    queryFn: () => api<Detail>(`/api/result-confirmations/${meetingId}/candidates/${dossierId}`),
    enabled: dossierId != null,
  });
  const plain = data ? Object.keys(FIELD_LABELS).filter((k) => data.dossierData[k] != null).map((k) => [k, data.dossierData[k]] as const) : [];
  return (
    <Dialog open={dossierId != null} onClose={onClose} fullWidth maxWidth="md">
      <DialogTitle>申报材料与评审结果</DialogTitle>
      <DialogContent dividers>
        {error ? <Alert severity="error">{(error as Error).message}</Alert> : null}
        {!data && !error ? <LinearProgress /> : null}
        {data ? (
          <Stack spacing={1.5}>
            <Typography variant="subtitle1">
              {data.candidate.applicantName}（{data.candidate.employer ?? '—'}）
            </Typography>
            <Typography variant="body2">
              {data.meeting.committeeName} · {data.meeting.meetingName}：<b>{data.candidate.reviewResult}</b>
            </Typography>
            <Typography variant="body2">
              {[data.candidate.series, data.candidate.specialty, data.candidate.level].filter(Boolean).join(' · ')}
            </Typography>
            {data.candidate.returnReason ? <Alert severity="warning">退回补充材料（{data.candidate.returnCount} 次）：{data.candidate.returnReason}</Alert> : null}
            <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 2, rowGap: 0.5, m: 0 }}>
              {plain.map(([k, v]) => (
                <Box key={k} sx={{ display: 'contents' }}>
                  <Box component="dt" sx={{ color: 'text.secondary' }}>
                    {FIELD_LABELS[k]}
                  </Box>
                  <Box component="dd" sx={{ m: 0 }}>
                    {String(v)}
                  </Box>
                </Box>
              ))}
            </Box>
          </Stack>
        ) : null}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>关闭</Button>
      </DialogActions>
    </Dialog>
  );
}

/** An uploaded file's name as a download link, in the running text (its name as written). */
export function FileLink({ file, testId }: { file: { id: string; name: string }; testId: string }) {
  return (
    <Button size="small" sx={{ p: 0, minWidth: 0, verticalAlign: 'baseline', textTransform: 'none' }} data-testid={testId} onClick={() => void downloadFile(file.id, file.name)}>
      {file.name}
    </Button>
  );
}

