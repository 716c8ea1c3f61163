import { useMemo, useState } from 'react';
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
  LinearProgress,
  Stack,
  Step,
  StepButton,
  Stepper,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { Form, ResourceContextProvider, SelectInput, Title, required, useNotify } from 'react-admin';
import { useLocation, useNavigate, useParams } from 'react-router-dom';
import { api } from '../../lib/api.ts';
import { downloadFile } from '../../lib/download.ts';
import { formatDateTime } from '../../lib/format.ts';
import { fieldsOf } from '../../lib/schema.ts';
import { inputFor } from '../../components/inputFor.tsx';
import { FormFields, useFormSchema } from '../../components/FormFields.tsx';
import { ServerSubmit } from '../../components/ServerSubmit.tsx';
import { SubmissionView } from '../../components/SubmissionView.tsx';
import { STATUS_COLORS, clean, type ActivityFormSchema, type ActivityRecord, type CommitteeOption, type DeadlineChange } from './types.ts';

const CHANGE_STATUS: Record<string, string> = { requested: '待核准备案单位审核', approved: '已同意', rejected: '不同意', withdrawn: '已撤回' };

/** The form's fields of a record (what is saved and submitted). */
function formValues(schema: ActivityFormSchema, record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(fieldsOf(schema).map((f) => [f.name, record[f.name]]));
}

/** A new activity starts as this: this year's annual review, expert review, nothing organised. */
function blank(): Record<string, unknown> {
  return {
    year: new Date().getFullYear(),
    kind: 'annual',
    reviewMethod: 'expert',
    writtenExam: 'none',
    defense: 'none',
    healthPage: false,
    schoolPage: false,
    vocationalPage: false,
    public: true,
    breakthrough: false,
    panels: false,
    levels: [],
    specialties: [],
    minContinuingEducationHours: 90,
    breakthroughConditions: [],
    materials: [],
  };
}

/**
 * 新增 / 修改评审活动 in the manual's steps (基本信息 → 开设专业与级别 → 业绩成果要求 → 破格条件 →
 * 申报材料). A draft is saved at each step; a returned activity is edited through the steps and
 * resubmitted as a whole. The fields and their rules come from the API's `activity` form.
 */
function StepEditor({ schema, record, committees }: { schema: ActivityFormSchema; record: ActivityRecord | null; committees: CommitteeOption[] }) {
  const navigate = useNavigate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const steps = schema['x-steps'] ?? [{ key: 'all', title: '评审活动信息', fields: fieldsOf(schema).map((f) => f.name) }];
  // a new activity's page is replaced by its own once saved: the step it was going to comes along
  const location = useLocation();
  const [active, setActive] = useState<number>((location.state as { step?: number } | null)?.step ?? 0);
  const [current, setCurrent] = useState<ActivityRecord | null>(record);
  const returned = current?.status === 'returned';
  const defaults = useMemo(() => (current ? formValues(schema, current) : blank()), [current, schema]);
  const committee = committees.find((c) => c.id === current?.committeeId);
  const last = active === steps.length - 1;
  const stepOf = (names: string[]) => {
    const i = steps.findIndex((s) => names.some((n) => s.fields.includes(n.split('.')[0] ?? n)));
    if (i >= 0) setActive(i);
  };

  const saveDraft = async (values: Record<string, unknown>, nextStep: number): Promise<ActivityRecord> => {
    const body = clean(formValues(schema, values)) as Record<string, unknown>;
    const saved = current
      ? await api<ActivityRecord>(`/api/activities/${current.id}`, { method: 'PUT', json: { ...body, version: current.version } })
      : await api<ActivityRecord>('/api/activities', { method: 'POST', json: { ...body, committeeId: values.committeeId } });
    setCurrent(saved);
    await queryClient.invalidateQueries({ queryKey: ['activity', String(saved.id)] });
    if (!current) navigate(`/activities/${saved.id}`, { replace: true, state: { step: nextStep } });
    return saved;
  };

  const submitted = async (saved: ActivityRecord) => {
    notify(saved.status === 'reviewing' ? '已提交授权管理单位审核' : '已提交', { type: 'success' });
    await queryClient.invalidateQueries();
    navigate(`/activities/${saved.id}`);
  };

  return (
    <Card>
      <CardHeader
        title={current ? current.name : '新增评审活动'}
        subheader={current ? `${current.committeeName} · ${current.statusLabel}` : '按提示顺序依次填写并保存各部分，全部完成后提交授权管理单位审核'}
      />
      <CardContent>
        {returned ? (
          <Alert severity="warning" sx={{ mb: 2 }}>
            授权管理单位退回：{current?.reviewOpinion ?? '（无意见）'}。请修改后在最后一步重新提交；修改在重新提交时一并保存。
          </Alert>
        ) : null}
        <Stepper nonLinear={Boolean(current)} activeStep={active} sx={{ mb: 3 }}>
          {steps.map((s, i) => (
            <Step key={s.key} completed={Boolean(current) && i < active}>
              <StepButton disabled={!current} onClick={() => setActive(i)}>
                {s.title}
              </StepButton>
            </Step>
          ))}
        </Stepper>
        <ResourceContextProvider value="activities">
          <Form key={`${current?.id ?? 'new'}-${current?.version ?? 0}`} defaultValues={defaults} noValidate>
            {active === 0 && !current ? (
              <>
                <SelectInput
                  source="committeeId"
                  label="评委会名称"
                  choices={committees.filter((c) => c.usable).map((c) => ({ id: c.id, name: c.name }))}
                  validate={required()}
                  helperText="只能选择本单位组建、已核准备案且在有效期内的评委会"
                  fullWidth
                />
                {committees.filter((c) => !c.usable).map((c) => (
                  <Alert key={c.id} severity="info" sx={{ mb: 1 }}>
                    {c.problem}
                  </Alert>
                ))}
              </>
            ) : null}
            {steps[active]?.key === 'offering' && committee ? (
              <Alert severity="info" sx={{ mb: 2 }}>
                评委会备案的评审级别：{committee.levelLabels.join('、') || '无'}
                {committee.specialties.length ? `；评审专业：${committee.specialties.join('、')}` : ''}
              </Alert>
            ) : null}
            <Box data-testid={`step-${steps[active]?.key}`}>
              {fieldsOf(schema)
                .filter((f) => steps[active]?.fields.includes(f.name))
                .map((f) => inputFor(f.name, f.schema, f.required))}
            </Box>
            <Stack direction="row" spacing={1} sx={{ mt: 2 }}>
              <Button disabled={active === 0} onClick={() => setActive(active - 1)}>
                上一步
              </Button>
              {returned ? (
                last ? (
                  <ServerSubmit
                    label="重新提交审核"
                    testId="resubmit-activity"
                    onFieldErrors={stepOf}
                    prefixes={['data.']}
                    onSubmit={async (values) => submitted(await api<ActivityRecord>(`/api/activities/${current?.id}/submit`, { method: 'POST', json: { data: clean(formValues(schema, values)) } }))}
                  />
                ) : (
                  <Button variant="contained" onClick={() => setActive(active + 1)}>
                    下一步
                  </Button>
                )
              ) : (
                <>
                  <ServerSubmit
                    label={last ? '保存' : '保存并下一步'}
                    testId="save-activity"
                    onFieldErrors={stepOf}
                    prefixes={['data.']}
                    onSubmit={async (values) => {
                      await saveDraft(values, last ? active : active + 1);
                      notify('已保存', { type: 'success' });
                      if (!last) setActive(active + 1);
                    }}
                  />
                  {last ? (
                    <ServerSubmit
                      label="保存并提交审核"
                      testId="submit-activity"
                      onFieldErrors={stepOf}
                      prefixes={['data.']}
                      onSubmit={async (values) => {
                        const saved = await saveDraft(values, active);
                        await submitted(await api<ActivityRecord>(`/api/activities/${saved.id}/submit`, { method: 'POST', json: {} }));
                      }}
                    />
                  ) : null}
                </>
              )}
            </Stack>
          </Form>
        </ResourceContextProvider>
      </CardContent>
    </Card>
  );
}

/** 时间调整申请: later deadlines and a reason, for the registrar to approve. */
function DeadlineChangeDialog({ record, open, onClose }: { record: ActivityRecord; open: boolean; onClose: () => void }) {
  const notify = useNotify();
  const queryClient = useQueryClient();
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>申报时间调整申请</DialogTitle>
      <ResourceContextProvider value="deadline-changes">
        <Form defaultValues={{ firstDeadline: record.firstDeadline, revisionDeadline: record.revisionDeadline, receiptDeadline: record.receiptDeadline }}>
          <DialogContent>
            <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
              已发布的申报时间不得私自更改。确因不可抗力需延长的，请充分说明理由，经评委会核准备案单位同意后生效；时间只能延后，调整后仍须满足间隔要求。
            </Typography>
            <FormFields formKey="activity-deadline-change" />
          </DialogContent>
          <DialogActions>
            <Button onClick={onClose}>取消</Button>
            <ServerSubmit
              label="提交申请"
              testId="submit-deadline-change"
              onSubmit={async (values) => {
                await api(`/api/activities/${record.id}/deadline-changes`, { method: 'POST', json: clean(values) });
                notify('已提交核准备案单位审核', { type: 'success' });
                await queryClient.invalidateQueries({ queryKey: ['activity', String(record.id)] });
                await queryClient.invalidateQueries({ queryKey: ['deadline-changes', record.id] });
                onClose();
              }}
            />
          </DialogActions>
        </Form>
      </ResourceContextProvider>
    </Dialog>
  );
}

function DeadlineChanges({ record }: { record: ActivityRecord }) {
  const { data } = useQuery({ queryKey: ['deadline-changes', record.id], queryFn: () => api<DeadlineChange[]>(`/api/activities/${record.id}/deadline-changes`) });
  if (!data?.length) return null;
  const times = [
    ['firstDeadline', '初次提交截止'],
    ['revisionDeadline', '修改提交截止'],
    ['receiptDeadline', '评委会接收截止'],
  ] as const;
  return (
    <Card>
      <CardHeader title="申报时间调整记录" />
      <CardContent>
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>申请时间</TableCell>
              <TableCell>调整内容</TableCell>
              <TableCell>理由</TableCell>
              <TableCell>结果</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {data.map((c) => (
              <TableRow key={c.id}>
                <TableCell>
                  {formatDateTime(c.requestedAt)}
                  <br />
                  {c.requestedByName}
                </TableCell>
                <TableCell>
                  {times
                    .filter(([k]) => c.before[k] !== c.after[k])
                    .map(([k, label]) => (
                      <div key={k}>
                        {label}：{formatDateTime(c.before[k])} → {formatDateTime(c.after[k])}
                      </div>
                    ))}
                </TableCell>
                <TableCell sx={{ whiteSpace: 'pre-wrap' }}>{c.reason}</TableCell>
                <TableCell>
                  {CHANGE_STATUS[c.status] ?? c.status}
                  {c.decidedByName ? `（${c.decidedByName}）` : ''}
                  {c.opinion ? `：${c.opinion}` : ''}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}

/** An activity in review, published or rejected: read-only, with what may still be done. */
function ActivityView({ schema, record }: { schema: ActivityFormSchema; record: ActivityRecord }) {
  const navigate = useNavigate();
  const [changing, setChanging] = useState(false);
  return (
    <Stack spacing={2}>
      <Card>
        <CardHeader title={record.name} subheader={record.committeeName} />
        <CardContent>
          <Stack direction="row" spacing={1} useFlexGap sx={{ mb: 2, flexWrap: 'wrap', alignItems: 'center' }}>
            <Chip color={STATUS_COLORS[record.status] ?? 'default'} label={record.statusLabel} data-testid="activity-status" />
            {record.phaseLabel ? <Chip color="success" variant="outlined" label={record.phaseLabel} /> : null}
            {record.publishedAt ? <Typography color="text.secondary">发布于 {formatDateTime(record.publishedAt)}</Typography> : null}
            {record.canRequestDeadlineChange ? (
              <Button variant="outlined" onClick={() => setChanging(true)} data-testid="request-deadline-change">
                时间调整申请
              </Button>
            ) : null}
            {record.pendingDeadlineChangeId ? <Chip color="warning" label="时间调整申请审核中" /> : null}
            {record.instanceId ? (
              <Button size="small" onClick={() => navigate(`/instances/${record.instanceId}/view`)}>
                查看审核流程
              </Button>
            ) : null}
          </Stack>
          {record.reviewOpinion ? <Alert severity={record.status === 'rejected' ? 'error' : 'info'} sx={{ mb: 2 }}>审核意见：{record.reviewOpinion}</Alert> : null}
          <SubmissionView schema={schema} data={record} />
        </CardContent>
      </Card>
      <DeadlineChanges record={record} />
      {changing ? <DeadlineChangeDialog record={record} open={changing} onClose={() => setChanging(false)} /> : null}
    </Stack>
  );
}

function DeleteDraft({ record }: { record: ActivityRecord }) {
  const navigate = useNavigate();
  const notify = useNotify();
  const [confirm, setConfirm] = useState(false);
  return (
    <>
      <Button color="error" onClick={() => setConfirm(true)}>
        删除草稿
      </Button>
      <Dialog open={confirm} onClose={() => setConfirm(false)}>
        <DialogTitle>删除草稿</DialogTitle>
        <DialogContent>确定删除“{record.name}”吗？删除后不能恢复。</DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirm(false)}>取消</Button>
          <Button
            color="error"
            variant="contained"
            onClick={() =>
              void api(`/api/activities/${record.id}?version=${record.version}`, { method: 'DELETE' }).then(
                () => {
                  notify('已删除', { type: 'success' });
                  navigate('/activities');
                },
                (err: Error) => notify(err.message, { type: 'error' }),
              )
            }
          >
            删除
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}

/** /activities/create and /activities/:id */
export function ActivityEditor() {
  const { id } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const isNew = !id;
  const { data: schema } = useFormSchema('activity');
  const record = useQuery({ queryKey: ['activity', id], queryFn: () => api<ActivityRecord>(`/api/activities/${id}`), enabled: !isNew });
  const committees = useQuery({ queryKey: ['activity-committees'], queryFn: () => api<CommitteeOption[]>('/api/activities/committee-options') });
  if (record.error) return <Alert severity="error">{(record.error as Error).message}</Alert>;
  if (!schema || committees.isPending || (!isNew && !record.data)) return <LinearProgress />;
  const r = record.data ?? null;
  const editing = isNew || Boolean(r && (r.canEdit || (r.canSubmit && r.status === 'returned')));
  return (
    <Box sx={{ mt: 2 }}>
      <Title title={r ? r.name : '新增评审活动'} />
      <Stack direction="row" spacing={1} sx={{ mb: 1 }}>
        <Button onClick={() => navigate('/activities')}>返回列表</Button>
        {r?.canDelete ? <DeleteDraft record={r} /> : null}
        {r?.policyFiles.length && !editing ? (
          <Button onClick={() => void Promise.all(r.policyFiles.map((f) => downloadFile(f.id, f.name)))}>下载评审政策文件</Button>
        ) : null}
      </Stack>
      {editing ? (
        <StepEditor key={r?.id ?? 'new'} schema={schema as ActivityFormSchema} record={r} committees={committees.data ?? []} />
      ) : (
        <ActivityView schema={schema as ActivityFormSchema} record={r as ActivityRecord} />
      )}
    </Box>
  );
}
