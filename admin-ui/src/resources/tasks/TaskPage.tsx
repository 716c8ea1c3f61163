import { useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useFormContext } from 'react-hook-form';
import { Link, Navigate, useNavigate, useParams } from 'react-router-dom';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  CardHeader,
  Chip,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Divider,
  Grid,
  Stack,
  ToggleButton,
  ToggleButtonGroup,
  Typography,
} from '@mui/material';
import { Form, Loading, ResourceContextProvider, Title, useNotify } from 'react-admin';
import { api, fieldErrors } from '../../lib/api.ts';
import { fieldsOf, formForAction, type FormSchema } from '../../lib/schema.ts';
import { formatDateTime } from '../../lib/format.ts';
import { downloadFrom } from '../../lib/download.ts';
import { inputsFor } from '../../components/inputFor.tsx';
import { SubmissionView } from '../../components/SubmissionView.tsx';
import { HistoryTimeline } from '../../components/HistoryTimeline.tsx';
import { OpinionField } from '../../components/OpinionField.tsx';
import type { ApiResponse } from '../../api-types.ts';

type TaskAnswer = ApiResponse<'/api/tasks/{id}'>;

/** The task page's answer; the forms' JSON Schema is read as the console's form schema. */
export type TaskDetail = Omit<TaskAnswer, 'form' | 'submissions'> & {
  form: FormSchema | null;
  submissions: Array<Omit<TaskAnswer['submissions'][number], 'schema'> & { schema: FormSchema | null }>;
};

const SUMMARY_LABELS: Record<string, string> = {
  applicantName: '申报人',
  unitName: '工作单位',
  activityName: '评审活动',
  subject: '名称',
  parentName: '上级单位',
  matter: '事项',
  organizerName: '组建单位',
  seriesName: '评审系列',
  levelNames: '评审级别',
  expertCount: '专家人数',
};

/** A dossier's case answers its 联系电话 masked: 查看 asks the dossier for it (audited). */
function revealOf(detail: TaskDetail): Record<string, string> | undefined {
  const dossierId = (detail.case.variables as Record<string, unknown> | null)?.dossierId;
  return typeof dossierId === 'number' ? { phone: `/api/dossiers/${dossierId}/pii?field=phone` } : undefined;
}

/** The page the form declares for itself (the declaration page for 提交 / 修改并重新提交), with the case's variables filled in. */
function formPageOf(detail: TaskDetail): string | null {
  const page = detail.form?.['x-page'];
  if (!detail.canAct || typeof page !== 'string' || !page.startsWith('/')) return null;
  let complete = true;
  const path = page.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = detail.case.variables[name];
    if (typeof value !== 'string' && typeof value !== 'number') complete = false;
    return encodeURIComponent(String(value));
  });
  return complete ? path : null;
}

function CaseSummary({ summary, taskId }: { summary: Record<string, unknown> | null; taskId: string }) {
  const entries = Object.entries(summary ?? {}).filter(([k, v]) => SUMMARY_LABELS[k] && v != null && v !== '');
  // a flow may point at the record's own page (e.g. the committee being filed)
  const detailPath = typeof summary?.detailPath === 'string' && summary.detailPath.startsWith('/') ? summary.detailPath : null;
  // and at a document of the case the API renders (e.g. a dossier's 评审表)
  const documentPath = typeof summary?.documentPath === 'string' && summary.documentPath.startsWith('/api/') ? summary.documentPath : null;
  const documentName = typeof summary?.documentName === 'string' ? summary.documentName : '文档';
  if (!entries.length && !detailPath && !documentPath) return null;
  return (
    <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', mb: 2 }}>
      {entries.map(([k, v]) => (
        <Chip key={k} label={`${SUMMARY_LABELS[k]}：${String(v)}`} variant="outlined" />
      ))}
      {detailPath ? (
        // the record's page leads back here (返回办理)
        <Chip component={Link} to={`${detailPath}${detailPath.includes('?') ? '&' : '?'}task=${encodeURIComponent(taskId)}`} clickable color="primary" label="查看详细信息" data-testid="case-detail" />
      ) : null}
      {documentPath ? <Chip clickable color="primary" variant="outlined" label={`下载${documentName}`} onClick={() => void downloadFrom(documentPath, `${documentName}.pdf`)} data-testid="case-document" /> : null}
    </Stack>
  );
}

type CompleteAnswer = ApiResponse<'/api/tasks/{id}/complete', 'post'>;

/** What the toast says after a step: what was done, and what is next for the case (not for a sub-flow that ended). */
function doneMessage(action: string, result: CompleteAnswer): string {
  const label = result.task.actionLabel ?? action;
  const done = action === 'reject' ? `已办理：${label}` : `已${label}`;
  if (result.next.length) return `${done}，下一步：${result.next.map((n) => (n.holder ? `${n.name}（${n.holder}）` : n.name)).join('、')}`;
  if (result.case.waitingFor.length) return `${done}，等待：${result.case.waitingFor.join('、')}`;
  const ended = result.case.endedAt;
  return ended && ended !== label ? `${done}（${ended}）` : done;
}

/** 办理结果: the actions the diagram allows here; the chosen one's own fields appear below it. */
function ActionChoice({ detail, chosen, onChoose }: { detail: TaskDetail; chosen: string | null; onChoose: (action: string) => void }) {
  if (detail.actions.length < 2) return null;
  return (
    <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap', mb: 2 }}>
      <Typography variant="body2" sx={{ fontWeight: 600 }}>
        办理结果
      </Typography>
      <ToggleButtonGroup exclusive size="small" value={chosen} onChange={(_, value: string | null) => value && onChoose(value)} data-testid="action-choice">
        {detail.actions.map((a) => (
          <ToggleButton key={a.key} value={a.key} data-choose={a.key} color={a.key === 'reject' ? 'error' : a.key === 'return' ? 'warning' : 'primary'}>
            {a.label}
          </ToggleButton>
        ))}
      </ToggleButtonGroup>
    </Stack>
  );
}

/** Submits the chosen action with its fields; 退回 and 不通过 ask first. */
function ActionButtons({
  detail,
  chosen,
  opinion,
  onOpinionError,
  onDone,
}: {
  detail: TaskDetail;
  chosen: string | null;
  opinion: string;
  onOpinionError: (message: string | undefined) => void;
  onDone: (message: string) => void;
}) {
  const { handleSubmit, setError } = useFormContext();
  const notify = useNotify();
  const [confirming, setConfirming] = useState<{ action: string; values: Record<string, unknown> } | null>(null);
  const [busy, setBusy] = useState(false);
  const dataRequired = new Set(detail.form?.['x-data-required-for'] ?? []);
  const action = detail.actions.find((a) => a.key === chosen) ?? null;

  const send = async (key: string, values: Record<string, unknown>) => {
    setBusy(true);
    try {
      // only the chosen action's own fields are sent
      const shown = formForAction(detail.form, key)?.properties ?? {};
      const data = dataRequired.has(key) ? Object.fromEntries(Object.entries(values).filter(([name]) => name in shown)) : {};
      const result = await api<CompleteAnswer>(`/api/tasks/${detail.task.id}/complete`, {
        method: 'POST',
        json: { action: key, opinion: opinion.trim() || null, data },
      });
      onDone(doneMessage(key, result));
    } catch (err) {
      const fields = fieldErrors(err);
      for (const [field, message] of Object.entries(fields)) {
        if (field === 'opinion') onOpinionError(message);
        else setError(field, { type: 'server', message });
      }
      notify((err as Error).message, { type: 'error', multiLine: true });
    } finally {
      setBusy(false);
    }
  };

  const press = () => {
    if (!action) return;
    if (action.opinionRequired && !opinion.trim()) {
      onOpinionError(`${action.label}时必须填写审核意见`);
      return;
    }
    onOpinionError(undefined);
    const go = (values: Record<string, unknown>) => {
      if (action.key === 'reject' || action.key === 'return') setConfirming({ action: action.key, values });
      else void send(action.key, values);
    };
    if (dataRequired.has(action.key)) void handleSubmit(go)();
    else go({});
  };

  const returnTarget = (values: Record<string, unknown>) => {
    const options = detail.form?.properties?.returnTo?.options ?? [];
    return options.find((o) => o.value === values.returnTo)?.label ?? null;
  };

  return (
    <>
      <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', mt: 2 }}>
        {action ? (
          <Button
            variant="contained"
            color={action.key === 'reject' ? 'error' : action.key === 'return' ? 'warning' : 'primary'}
            disabled={busy}
            onClick={press}
            data-action={action.key}
          >
            {action.label}
          </Button>
        ) : (
          <Typography color="text.secondary">请选择办理结果</Typography>
        )}
        {busy ? <CircularProgress size={24} /> : null}
      </Stack>
      <Dialog open={confirming !== null} onClose={() => setConfirming(null)} data-testid="confirm-action">
        <DialogTitle>{confirming?.action === 'return' ? '确认退回' : '确认不通过'}</DialogTitle>
        <DialogContent>
          <Typography>
            {confirming?.action === 'return'
              ? `确定将申报材料退回${returnTarget(confirming.values) ? `至${returnTarget(confirming.values)}` : ''}吗？退回后须修改或重新审核后再次报送。`
              : '不通过后，该申报人本年度不能再次申报此评审活动。确定不通过吗？'}
          </Typography>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(null)}>取消</Button>
          <Button
            color={confirming?.action === 'return' ? 'warning' : 'error'}
            variant="contained"
            data-testid="confirm-button"
            onClick={() => {
              const pending = confirming;
              setConfirming(null);
              if (pending) void send(pending.action, pending.values);
            }}
          >
            {confirming?.action === 'return' ? '确定退回' : '确定不通过'}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}

function TaskActionCard({ detail, onDone }: { detail: TaskDetail; onDone: (message: string) => void }) {
  const [opinion, setOpinion] = useState('');
  const [opinionError, setOpinionError] = useState<string | undefined>();
  // the first action the diagram lists (审核通过, 提交) is chosen to begin with; its fields show
  const [chosen, setChosen] = useState<string | null>(detail.actions[0]?.key ?? null);
  const dataRequired = detail.form?.['x-data-required-for'] ?? [];
  const shownForm = formForAction(detail.form, chosen);
  const hasFields = chosen != null && dataRequired.includes(chosen) && fieldsOf(shownForm).length > 0;
  // the API says what the form starts with (the last submission of this form, or the case's data)
  const defaults = useMemo(() => detail.initialData ?? {}, [detail.initialData]);
  const opinionRequired = detail.actions.some((a) => a.key === chosen && a.opinionRequired);
  // an applicant submitting has nothing to give an opinion on
  const reviews = detail.actions.some((a) => ['pass', 'return', 'reject', 'receive'].includes(a.key));
  return (
    <Card>
      <CardHeader title={`办理：${detail.task.name}`} subheader={detail.form?.description} />
      <CardContent>
        <ResourceContextProvider value={`forms/${detail.task.formKey ?? 'none'}`}>
        {/* a new form per action: only the chosen action's inputs are registered and validated */}
        <Form key={chosen ?? ''} defaultValues={defaults} noValidate>
          <ActionChoice
            detail={detail}
            chosen={chosen}
            onChoose={(action) => {
              setChosen(action);
              setOpinionError(undefined);
            }}
          />
          {hasFields ? (
            <Box data-testid="task-form" sx={{ mb: 2 }}>
              {inputsFor(shownForm)}
            </Box>
          ) : null}
          {reviews ? <OpinionField value={opinion} onChange={setOpinion} required={opinionRequired} error={opinionError} /> : null}
          <ActionButtons
            detail={detail}
            chosen={chosen}
            opinion={opinion}
            onOpinionError={setOpinionError}
            onDone={onDone}
          />
        </Form>
        </ResourceContextProvider>
      </CardContent>
    </Card>
  );
}

/** 办理页: what the case carries on the left, the generated form and the actions on the right, the history below. */
export function TaskPage() {
  const { id } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const { data: detail, error, isPending } = useQuery({ queryKey: ['task-detail', id], queryFn: () => api<TaskDetail>(`/api/tasks/${id}`) });
  if (isPending) return <Loading />;
  if (error || !detail) return <Alert severity="error">{(error as Error)?.message ?? '任务不存在'}</Alert>;
  // every way into a step with a page of its own (待办事项, 我的申报's 去办理) opens that page
  const formPage = formPageOf(detail);
  if (formPage) return <Navigate to={formPage} replace />;
  const entersData = detail.canAct && fieldsOf(detail.form).length > 0 && (detail.form?.['x-data-required-for'] ?? []).length > 0;
  const done = (message: string) => {
    notify(message, { type: 'success' });
    void queryClient.invalidateQueries();
    navigate('/tasks');
  };
  return (
    <Box sx={{ mt: 2 }}>
      <Title title={detail.task.name} />
      <Stack direction="row" spacing={1} sx={{ mb: 2, alignItems: 'center', flexWrap: 'wrap' }} useFlexGap>
        <Typography variant="h5">{detail.task.name}</Typography>
        <Chip label={detail.case.processName} />
        <Typography color="text.secondary">到达 {formatDateTime(detail.task.createdAt)}</Typography>
        {detail.task.dueAt ? <Chip color={detail.task.overdue ? 'error' : 'default'} label={`期限 ${formatDateTime(detail.task.dueAt)}${detail.task.overdue ? '（已超期）' : ''}`} /> : null}
        <Button size="small" onClick={() => navigate(`/instances/${detail.case.id}/view`)}>
          查看流程图
        </Button>
      </Stack>
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, md: entersData ? 5 : 7 }} sx={{ minWidth: 0 }}>
          <Card>
            <CardHeader title="申报信息" />
            <CardContent data-testid="case-data">
              <CaseSummary summary={detail.case.summary} taskId={detail.task.id} />
              {detail.submissions.length ? (
                detail.submissions.map((s) => (
                  <Box key={s.formKey} sx={{ mb: 2 }}>
                    <Typography variant="subtitle1" sx={{ fontWeight: 600 }}>
                      {s.title}
                    </Typography>
                    <Typography variant="caption" color="text.secondary">
                      {s.actorName} 于 {formatDateTime(s.at)} 提交
                    </Typography>
                    <Divider sx={{ my: 1 }} />
                    <SubmissionView schema={s.schema} data={s.data} reveal={revealOf(detail)} />
                  </Box>
                ))
              ) : (
                <Typography color="text.secondary">尚未提交材料</Typography>
              )}
            </CardContent>
          </Card>
        </Grid>
        <Grid size={{ xs: 12, md: entersData ? 7 : 5 }} sx={{ minWidth: 0 }}>
          {detail.canAct ? (
            <TaskActionCard detail={detail} onDone={done} />
          ) : (
            <Card>
              <CardHeader title="办理情况" />
              <CardContent>
                {detail.task.status === 'completed' ? (
                  <Typography>
                    已于 {formatDateTime(detail.task.completedAt)} 办理：{detail.task.actionLabel ?? detail.task.action ?? ''}
                    {detail.task.opinion ? `，意见：${detail.task.opinion}` : ''}
                  </Typography>
                ) : detail.task.status === 'cancelled' ? (
                  <Typography>该任务已取消（流程已结束或已转至其他环节），无需办理。</Typography>
                ) : (
                  <Typography>该任务由他人办理，您只能查看。</Typography>
                )}
              </CardContent>
            </Card>
          )}
        </Grid>
        <Grid size={12}>
          <Card>
            <CardHeader title="经办流程" />
            <CardContent>
              <HistoryTimeline history={detail.history} />
            </CardContent>
          </Card>
        </Grid>
      </Grid>
    </Box>
  );
}
