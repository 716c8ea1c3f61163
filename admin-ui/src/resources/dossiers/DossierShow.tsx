import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { TextField } from '@mui/material';
import { Alert, Box, Button, Card, CardContent, CardHeader, Chip, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import PrintIcon from '@mui/icons-material/Print';
import { Loading, Title, useNotify } from 'react-admin';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import { CaseView } from './CaseView.tsx';
import { api } from '../../lib/api.ts';
import { downloadFrom } from '../../lib/download.ts';
import { formatDateTime } from '../../lib/format.ts';
import type { DossierProgress } from './types.ts';
import { DossierMeetingNotices } from '../meeting-prep/index.ts';
import { ResultAlert } from './DossierResult.tsx';

/** Downloads the 评审表 (PDF) of a dossier. */
export function ReviewFormButton({ id, applicantName }: { id: number; applicantName: string }) {
  const notify = useNotify();
  return (
    <Button size="small" startIcon={<PrintIcon />} onClick={() => downloadFrom(`/api/dossiers/${id}/review-form.pdf`, `评审表-${applicantName}-${id}.pdf`).catch((err: Error) => notify(err.message, { type: 'error' }))}>
      打印评审表
    </Button>
  );
}

/** 退回的问题: who returned the dossier, when, and each defect to fix. */
export function DefectsAlert({ defects }: { defects: NonNullable<DossierProgress['defects']> }) {
  return (
    <Alert severity="warning" data-testid="defects">
      <Typography variant="subtitle2">
        {defects.level ?? ''}
        {defects.unitName ? `（${defects.unitName}）` : ''}于 {formatDateTime(defects.at)} 退回，需修改的问题：
      </Typography>
      <ol style={{ margin: 0, paddingLeft: 20 }}>
        {defects.items.map((d) => (
          <li key={d}>{d}</li>
        ))}
      </ol>
    </Alert>
  );
}

/** 退回单位设置修改提交截止时间 (notice 000): offered to the unit that returned the dossier. */
function RevisionDeadline({ id }: { id: number }) {
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [at, setAt] = useState('');
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }} data-testid="revision-deadline">
      <TextField size="small" type="datetime-local" label="为申报人设置修改提交截止时间" value={at} onChange={(e) => setAt(e.target.value)} slotProps={{ inputLabel: { shrink: true } }} />
      <Button
        size="small"
        variant="outlined"
        disabled={!at}
        onClick={() =>
          api<{ label: string }>(`/api/dossiers/${id}/revision-deadline`, { method: 'PUT', json: { at } })
            .then((r) => {
              notify(`已设置：${r.label}`, { type: 'success' });
              return queryClient.invalidateQueries({ queryKey: ['dossier'] });
            })
            .catch((err: Error) => notify(err.message, { type: 'error' }))
        }
      >
        设置
      </Button>
      <Typography variant="caption" color="text.secondary">
        由退回单位设置，与评委会设置的修改提交截止时间无关
      </Typography>
    </Stack>
  );
}

/**
 * 申报详情: where the dossier is (unit and level), after a return every defect at once, the whole
 * declaration (with 修改痕迹 after a resubmission), and every step's opinion. Opened from a task
 * (`?task=`), it leads back to it.
 */
export function DossierShow() {
  const { id } = useParams();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const fromTask = search.get('task');
  const { data, error } = useQuery({ queryKey: ['dossier', id], queryFn: () => api<DossierProgress>(`/api/dossiers/${id}`) });
  if (error) return <Alert severity="error">{(error as Error).message}</Alert>;
  if (!data) return <Loading />;
  return (
    <Box sx={{ my: 2, minWidth: 0 }} data-testid="dossier-progress">
      <Title title="申报详情" />
      {fromTask ? (
        <Button startIcon={<ArrowBackIcon />} sx={{ mb: 1 }} onClick={() => navigate(`/tasks/${fromTask}/handle`)} data-testid="back-to-task">
          返回办理
        </Button>
      ) : null}
      <Card sx={{ mb: 2 }}>
        <CardHeader
          title={data.activityName}
          subheader={`${data.committeeName} · 申报人 ${data.applicantName}${data.unitName ? ` · ${data.unitName}` : ''}${data.submittedAt ? ` · 首次提交 ${formatDateTime(data.submittedAt)}` : ''}`}
          action={
            <Stack direction="row" spacing={1}>
              {data.submitTaskId ? (
                <Button variant="contained" size="small" onClick={() => navigate(`/my-dossiers/${data.id}/declaration`)}>
                  {data.status === 'returned' ? '修改并重新提交' : '填写申报材料'}
                </Button>
              ) : null}
              <ReviewFormButton id={data.id} applicantName={data.applicantName} />
            </Stack>
          }
        />
        <CardContent>
          <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 1 }}>
            <Chip label={data.statusLabel} color={data.status === 'rejected' ? 'error' : data.status === 'returned' ? 'warning' : data.status === 'received' ? 'success' : 'default'} />
            <Typography data-testid="holders">
              当前办理：
              {data.holders.length ? data.holders.map((h) => `${h.level ?? ''}${h.unitName ? `（${h.unitName}）` : ''} ${h.name}`).join('、') : '—'}
            </Typography>
          </Stack>
          {data.result ? <ResultAlert result={data.result} dossierId={data.id} /> : null}
          {data.deadline ? (
            <Alert severity={data.deadline.passed ? 'error' : 'info'} sx={{ mb: 1 }}>
              {data.deadline.label}：{formatDateTime(data.deadline.at)}
              {data.deadline.passed ? '，已经截止' : ''}
            </Alert>
          ) : null}
          {data.canSetRevisionDeadline ? <RevisionDeadline id={data.id} /> : null}
          {data.defects ? <DefectsAlert defects={data.defects} /> : null}
        </CardContent>
      </Card>
      <DossierMeetingNotices id={data.id} />
      <CaseView id={data.id} />
      <Card>
        <CardHeader title="办理过程" />
        <CardContent>
          <Box sx={{ overflowX: 'auto', width: 0, minWidth: '100%' }}>
          <Table size="small" data-testid="opinions" sx={{ minWidth: 640 }}>
            <TableHead>
              <TableRow>
                <TableCell>环节</TableCell>
                <TableCell>单位</TableCell>
                <TableCell>经办人</TableCell>
                <TableCell>结果</TableCell>
                <TableCell>意见</TableCell>
                <TableCell>时间</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.opinions.map((o, i) => (
                <TableRow key={i}>
                  <TableCell>{o.step}</TableCell>
                  <TableCell>{[o.level, o.unitName].filter(Boolean).join(' · ')}</TableCell>
                  <TableCell>{o.actorName}</TableCell>
                  <TableCell>{o.actionLabel}</TableCell>
                  <TableCell sx={{ whiteSpace: 'pre-wrap' }}>{o.opinion ?? ''}</TableCell>
                  <TableCell>{formatDateTime(o.at)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          </Box>
        </CardContent>
      </Card>
    </Box>
  );
}
