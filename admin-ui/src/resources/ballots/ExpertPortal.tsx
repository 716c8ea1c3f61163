import { useEffect, useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Accordion,
  AccordionDetails,
  AccordionSummary,
  Alert,
  AppBar,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  Container,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  IconButton,
  Paper,
  Stack,
  TextField,
  ToggleButton,
  ToggleButtonGroup,
  Toolbar,
  Typography,
  useMediaQuery,
} from '@mui/material';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import CloseIcon from '@mui/icons-material/Close';
import { Loading, useLogout } from 'react-admin';
import { Navigate, useParams } from 'react-router-dom';
import { api, session } from '../../lib/api.ts';
import type { ApiResponse } from '../../api-types.ts';
import { CaseView } from '../dossiers/CaseView.tsx';
import { FileChips, FilePreviewDialog, type PreviewFile } from '../../components/FilePreview.tsx';

type ExpertMeeting = ApiResponse<'/api/expert/meetings/{meetingId}'>;
type Choice = 'agree' | 'disagree' | 'abstain';
type Vote = { choice: Choice | null; score: number | null };

const CHOICES: Array<{ value: Choice; label: string; color: 'success' | 'error' | 'warning' }> = [
  { value: 'agree', label: '同意', color: 'success' },
  { value: 'disagree', label: '不同意', color: 'error' },
  { value: 'abstain', label: '弃权', color: 'warning' },
];

/** A meeting credential: no unit, no permission, not an applicant — it exists only for a meeting's 专家端. */
export function isMeetingExpert(user = session.user()): boolean {
  return Boolean(user && user.unitId == null && !user.isApplicant && user.permissions.length === 0);
}

function PortalBar({ title }: { title: string }) {
  const logout = useLogout();
  return (
    <AppBar position="sticky" color="primary" elevation={1}>
      <Toolbar variant="dense" sx={{ gap: 1 }}>
        <Typography variant="subtitle1" sx={{ flex: 1, minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
          专家端 · {title}
        </Typography>
        <Typography variant="body2" sx={{ display: { xs: 'none', sm: 'block' } }}>
          {session.user()?.displayName}
        </Typography>
        <Button color="inherit" size="small" onClick={() => logout()}>
          退出
        </Button>
      </Toolbar>
    </AppBar>
  );
}

/** 专家端 landing: the meetings of this credential (one, normally: it opens at once). */
export function ExpertHomePage() {
  const { data, error } = useQuery({ queryKey: ['expert-meetings'], queryFn: () => api<ApiResponse<'/api/expert/meetings'>>('/api/expert/meetings') });
  if (!session.token()) return <Navigate to="/login" replace />;
  if (data?.length === 1) return <Navigate to={`/expert/meetings/${data[0]!.id}`} replace />;
  return (
    <Box>
      <PortalBar title="评审会议" />
      <Container maxWidth="md" sx={{ py: 2 }}>
        {error ? <Alert severity="error">{(error as Error).message}</Alert> : null}
        {!data ? <Loading /> : null}
        {data && !data.length ? <Alert severity="info">本账号没有可参加的评审会议</Alert> : null}
        <Stack spacing={1}>
          {(data ?? []).map((m) => (
            <Button key={m.id} variant="outlined" href={`#/expert/meetings/${m.id}`}>
              {m.name}
            </Button>
          ))}
        </Stack>
      </Container>
    </Box>
  );
}

function ScoringStandard({ scoring }: { scoring: ExpertMeeting['scoring'] }) {
  return (
    <Accordion disableGutters data-testid="scoring-standard">
      <AccordionSummary expandIcon={<ExpandMoreIcon />}>
        <Typography>评分标准（满分 {scoring.maxTotal} 分）</Typography>
      </AccordionSummary>
      <AccordionDetails>
        {scoring.items.length ? (
          <Stack spacing={0.5}>
            {scoring.items.map((i) => (
              <Typography key={i.name} variant="body2">
                {i.name}：{i.maxPoints} 分{i.description ? `（${i.description}）` : ''}
              </Typography>
            ))}
          </Stack>
        ) : (
          <Typography variant="body2" color="text.secondary">
            评委会尚未设置评分项，按百分制打分。
          </Typography>
        )}
      </AccordionDetails>
    </Accordion>
  );
}

/** 评审材料: the organiser's uploads in 评审方案; a click opens a PDF or image in the page (others download from there). */
function ReviewMaterials({ materials, onOpen }: { materials: ExpertMeeting['materials']; onOpen: (file: PreviewFile) => void }) {
  return (
    <Accordion disableGutters defaultExpanded={materials.length > 0} data-testid="review-materials">
      <AccordionSummary expandIcon={<ExpandMoreIcon />}>
        <Typography>评审材料（{materials.length} 个）</Typography>
      </AccordionSummary>
      <AccordionDetails>
        {materials.length ? <FileChips files={materials} onOpen={onOpen} /> : <Typography variant="body2" color="text.secondary">评委会尚未上传评审材料。</Typography>}
      </AccordionDetails>
    </Accordion>
  );
}

function CandidateCard({
  candidate,
  method,
  maxScore,
  vote,
  editable,
  onChange,
  onOpen,
}: {
  candidate: ExpertMeeting['candidates'][number];
  method: 'vote' | 'score';
  maxScore: number;
  vote: Vote;
  editable: boolean;
  onChange: (v: Vote) => void;
  onOpen: () => void;
}) {
  const done = method === 'vote' ? vote.choice != null : vote.score != null;
  return (
    <Card variant="outlined" data-testid="candidate" data-dossier={candidate.dossierId} sx={{ borderColor: done ? 'success.light' : undefined }}>
      <CardContent sx={{ display: 'flex', flexWrap: 'wrap', gap: 1.5, alignItems: 'center', py: 1.5, '&:last-child': { pb: 1.5 } }}>
        <Box sx={{ flex: '1 1 220px', minWidth: 0 }}>
          <Typography variant="subtitle1">
            {candidate.orderNo}. {candidate.applicantName}
            {candidate.panelName ? <Chip size="small" label={candidate.panelName} sx={{ ml: 1 }} /> : null}
          </Typography>
          <Typography variant="body2" color="text.secondary" sx={{ overflowWrap: 'anywhere' }}>
            {candidate.employerName ?? '—'}
            {candidate.panelScore != null ? ` · 专业组平均分 ${candidate.panelScore}` : ''}
          </Typography>
        </Box>
        <Button size="small" variant="text" onClick={onOpen}>
          查看申报材料
        </Button>
        {method === 'vote' ? (
          <ToggleButtonGroup
            exclusive
            size="small"
            value={vote.choice}
            disabled={!editable}
            onChange={(_e, value: Choice | null) => value && onChange({ ...vote, choice: value })}
            aria-label={`${candidate.applicantName}的表决`}
          >
            {CHOICES.map((c) => (
              <ToggleButton key={c.value} value={c.value} color={c.color} sx={{ px: 2 }}>
                {c.label}
              </ToggleButton>
            ))}
          </ToggleButtonGroup>
        ) : (
          <TextField
            size="small"
            type="number"
            label={`分数（0–${maxScore}）`}
            value={vote.score ?? ''}
            disabled={!editable}
            onChange={(e) => onChange({ ...vote, score: e.target.value === '' ? null : Number(e.target.value) })}
            slotProps={{ htmlInput: { min: 0, max: maxScore, step: 0.5, 'aria-label': `${candidate.applicantName}的分数` } }}
            sx={{ width: 140 }}
          />
        )}
      </CardContent>
    </Card>
  );
}

/** 专家端: the round's candidates in the meeting's order, each dossier, the votes (保存 / 提交表决票). */
export function ExpertMeetingPage() {
  const { meetingId } = useParams();
  const client = useQueryClient();
  const phone = useMediaQuery('(max-width:600px)');
  const key = ['expert-meeting', meetingId];
  const { data, error, refetch } = useQuery({ queryKey: key, queryFn: () => api<ExpertMeeting>(`/api/expert/meetings/${meetingId}`) });
  const [votes, setVotes] = useState<Record<number, Vote>>({});
  const [open, setOpen] = useState<ExpertMeeting['candidates'][number] | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [material, setMaterial] = useState<PreviewFile | null>(null);
  const [message, setMessage] = useState<{ severity: 'success' | 'error' | 'info'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!data) return;
    setVotes(Object.fromEntries(data.candidates.map((c) => [c.dossierId, { choice: c.choice, score: c.score }])));
  }, [data]);

  const method = data?.round?.method ?? 'vote';
  const editable = Boolean(data?.ballot?.editable);
  const given = useMemo(() => Object.entries(votes).filter(([, v]) => (method === 'vote' ? v.choice != null : v.score != null)), [votes, method]);
  if (!session.token()) return <Navigate to="/login" replace />;
  const payload = () => given.map(([id, v]) => ({ dossierId: Number(id), ...(method === 'vote' ? { choice: v.choice } : { score: v.score }) }));

  const send = async (submit: boolean) => {
    setBusy(true);
    setMessage(null);
    try {
      await api(`/api/expert/meetings/${meetingId}/ballot${submit ? '/submit' : ''}`, { method: submit ? 'POST' : 'PUT', json: { votes: payload() } });
      await client.invalidateQueries({ queryKey: key });
      setMessage({ severity: 'success', text: submit ? '表决票已提交' : '已保存，可继续修改' });
    } catch (err) {
      setMessage({ severity: 'error', text: (err as Error).message });
      if ((err as { status?: number }).status === 409) void refetch();
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  if (error) {
    return (
      <Box>
        <PortalBar title="评审会议" />
        <Container sx={{ py: 2 }}>
          <Alert severity="error">{(error as Error).message}</Alert>
        </Container>
      </Box>
    );
  }
  if (!data) return <Loading />;
  const total = data.candidates.length;
  return (
    <Box sx={{ pb: 10 }} data-testid="expert-portal">
      <PortalBar title={data.meeting.name} />
      <Container maxWidth="lg" sx={{ py: 2, px: { xs: 1, sm: 2 } }}>
        <Stack spacing={1.5}>
          <Box>
            <Typography variant="h6">{data.meeting.name}</Typography>
            <Typography variant="body2" color="text.secondary">
              {data.meeting.committeeName} · {data.meeting.activityName}
            </Typography>
          </Box>
          {data.round ? (
            <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }}>
              <Chip color="primary" label={data.round.label} />
              <Chip variant="outlined" label={`方式：${data.round.methodLabel}`} />
              {data.ballot ? <Chip data-testid="ballot-status" color={data.ballot.status === 'submitted' ? 'success' : data.ballot.status === 'returned' ? 'warning' : 'default'} label={`表决票：${data.ballot.statusLabel}`} /> : null}
            </Stack>
          ) : (
            <Alert severity="info">当前没有进行中的投票，请等待评委会开启投票后刷新。</Alert>
          )}
          {data.ballot?.status === 'returned' ? <Alert severity="warning">评委会已将您的表决票回退，请修改后重新提交。</Alert> : null}
          {data.ballot?.status === 'submitted' ? <Alert severity="success">表决票已提交，不能修改；确需修改的，请联系评委会回退。</Alert> : null}
          {data.ballot?.status === 'absent' ? <Alert severity="info">您已被标记为本轮缺席。</Alert> : null}
          {message ? (
            <Alert severity={message.severity} data-testid="portal-message" onClose={() => setMessage(null)}>
              {message.text}
            </Alert>
          ) : null}
          <ScoringStandard scoring={data.scoring} />
          <ReviewMaterials materials={data.materials} onOpen={setMaterial} />
          <Typography variant="subtitle2" color="text.secondary">
            参评人员（按会议顺序，共 {total} 人）
          </Typography>
          <Stack spacing={1}>
            {data.candidates.map((c) => (
              <CandidateCard
                key={c.dossierId}
                candidate={c}
                method={method}
                maxScore={data.scoring.maxTotal}
                vote={votes[c.dossierId] ?? { choice: null, score: null }}
                editable={editable}
                onChange={(v) => setVotes((all) => ({ ...all, [c.dossierId]: v }))}
                onOpen={() => setOpen(c)}
              />
            ))}
          </Stack>
        </Stack>
      </Container>
      {data.round ? (
        <Paper elevation={6} square sx={{ position: 'fixed', bottom: 0, left: 0, right: 0, px: 2, py: 1, display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap', zIndex: 10 }}>
          <Typography sx={{ flex: 1 }} data-testid="progress">
            已表决 {given.length} / {total}
          </Typography>
          <Button variant="outlined" disabled={!editable || busy} onClick={() => void send(false)}>
            保存
          </Button>
          <Button variant="contained" disabled={!editable || busy} onClick={() => setConfirming(true)}>
            提交表决票
          </Button>
        </Paper>
      ) : null}
      <Dialog open={confirming} onClose={() => setConfirming(false)}>
        <DialogTitle>提交表决票</DialogTitle>
        <DialogContent>
          <Typography>
            {given.length < total ? `还有 ${total - given.length} 名参评人员未表决，提交将被拒绝。` : `已对全部 ${total} 名参评人员表决。`}提交后不能修改，确定提交？
          </Typography>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(false)}>取消</Button>
          <Button variant="contained" disabled={busy} onClick={() => void send(true)}>
            确定提交
          </Button>
        </DialogActions>
      </Dialog>
      <Dialog open={open != null} onClose={() => setOpen(null)} fullScreen={phone} fullWidth maxWidth="lg">
        <DialogTitle sx={{ display: 'flex', alignItems: 'center' }}>
          <Box sx={{ flex: 1 }}>
            {open?.orderNo}. {open?.applicantName} 的申报材料
          </Box>
          <IconButton aria-label="关闭" onClick={() => setOpen(null)}>
            <CloseIcon />
          </IconButton>
        </DialogTitle>
        <DialogContent dividers>{open ? <CaseView id={open.dossierId} /> : null}</DialogContent>
      </Dialog>
      <FilePreviewDialog file={material} onClose={() => setMaterial(null)} />
    </Box>
  );
}
