import { useRef, useState } from 'react';
import {
  Alert,
  Box,
  Button as MuiButton,
  Card,
  CardActions,
  CardContent,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  List as MuiList,
  ListItem,
  LinearProgress,
  ListItemText,
  Stack,
  Typography,
} from '@mui/material';
import { alpha } from '@mui/material/styles';
import { useQuery } from '@tanstack/react-query';
import CheckIcon from '@mui/icons-material/Check';
import UndoIcon from '@mui/icons-material/Undo';
import BlockIcon from '@mui/icons-material/Block';
import {
  AutocompleteInput,
  BulkActionsToolbar,
  Button,
  Datagrid,
  DateInput,
  FilterButton,
  Form,
  FunctionField,
  List,
  RadioButtonGroupInput,
  ReferenceInput,
  SelectAllButton,
  SelectInput,
  TextField,
  TextInput,
  Title,
  TopToolbar,
  useDataProvider,
  useGetList,
  useListContext,
  useRefresh,
  useStore,
  useUnselectAll,
} from 'react-admin';
import { useNavigate } from 'react-router-dom';
import { OpinionField } from '../../components/OpinionField.tsx';
import { FileUploadInput } from '../../components/FileUploadInput.tsx';
import { api, session } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useLabels } from '../../lib/labels.ts';
import type { BatchResult, ZcpsDataProvider } from '../../dataProvider.ts';
import type { ApiResponse } from '../../api-types.ts';

type TaskRow = ApiResponse<'/api/tasks'>[number];
type BatchField = ApiResponse<'/api/tasks/batch-form', 'post'>['fields'][number];

/** Tasks per request of a batch: the clerk sees 已处理 x/N as each part comes back. */
const BATCH_PART = 50;
/** A row's tint: red when overdue, amber when due within a day (MUI's error and warning colours). */
const DUE_TINT = {
  overdue: { backgroundColor: alpha('#d32f2f', 0.1), boxShadow: 'inset 4px 0 0 #d32f2f' },
  soon: { backgroundColor: alpha('#ed6c02', 0.12), boxShadow: 'inset 4px 0 0 #ed6c02' },
};
const dueSx = (r: TaskRow) => (r.dueState ? DUE_TINT[r.dueState.level] : {});

// dossiers name an applicant, an employer and an activity; other flows a subject, its parent unit and a matter
const summaryText = (...keys: string[]) => (r: TaskRow) => {
  const key = keys.find((k) => r.summary?.[k] != null);
  return key ? String(r.summary?.[key]) : '';
};

function filtersFor(flows: Array<{ id: string; name: string }>, steps: Array<{ id: string; name: string }>) {
  return [
    <SelectInput key="processKey" source="processKey" label="流程" choices={flows} alwaysOn />,
    <TextInput key="applicantName" source="applicantName" label="申报人" alwaysOn />,
    <SelectInput key="elementId" source="elementId" label="环节" choices={steps} />,
    <ReferenceInput key="unitId" source="unitId" reference="units" label="办理单位">
      <AutocompleteInput label="办理单位" optionText="name" filterToQuery={(q: string) => ({ q })} />
    </ReferenceInput>,
    <DateInput key="createdFrom" source="createdFrom" label="到达时间从" />,
    <DateInput key="createdTo" source="createdTo" label="到达时间至" />,
  ];
}

/** 各类待办数量: one chip per task type, a click filters the list to it. */
function TaskCounts() {
  const { data: counts = [] } = useGetList('tasks/counts', { pagination: { page: 1, perPage: 100 } });
  const { filterValues, setFilters } = useListContext();
  if (!counts.length) return null;
  return (
    <Stack direction="row" spacing={1} sx={{ px: 2, pt: 1, flexWrap: 'wrap' }} useFlexGap data-testid="task-counts">
      {counts.map((c) => {
        const active = filterValues.processKey === c.processKey && filterValues.elementId === c.elementId;
        return (
          <Chip
            key={`${c.processKey}:${c.elementId}`}
            label={`${c.name} ${c.count}`}
            color={active ? 'primary' : 'default'}
            onClick={() => setFilters(active ? {} : { ...filterValues, processKey: c.processKey, elementId: c.elementId }, {})}
          />
        );
      })}
    </Stack>
  );
}

interface BatchOutcome {
  result: BatchResult;
  names: Record<string, string>;
}

/** Batch pass / return / reject with one opinion; every task is done on its own and reported. */
function BatchButtons() {
  const { selectedIds, data = [] } = useListContext<TaskRow>();
  const [action, setAction] = useState<string | null>(null);
  // a selection across pages is checked by the API task by task; the buttons judge what is shown
  const selected = data.filter((r) => selectedIds.includes(r.id));
  const allow = (a: string) => selected.length > 0 && selected.every((r) => r.actions.includes(a));
  return (
    <>
      <Button label="批量通过" onClick={() => setAction('pass')} disabled={!allow('pass')}>
        <CheckIcon />
      </Button>
      <Button label="批量退回" onClick={() => setAction('return')} disabled={!allow('return')}>
        <UndoIcon />
      </Button>
      <Button label="批量不通过" onClick={() => setAction('reject')} disabled={!allow('reject')} color="error">
        <BlockIcon />
      </Button>
      {action ? <BatchDialog action={action} taskIds={selectedIds as string[]} rows={data} onClose={() => setAction(null)} /> : null}
    </>
  );
}

const rowName = (r: TaskRow) => `${r.name} · ${summaryText('applicantName', 'subject')(r) || r.processName}`;

/**
 * The batch dialog: the opinion, and what the API asks once for all the selected tasks (退回至
 * with the levels every one of them allows, the uploads a pass needs). A return is confirmed;
 * the tasks then go in parts, with 已处理 x/N.
 */
function BatchDialog({ action, taskIds, rows, onClose }: { action: string; taskIds: string[]; rows: TaskRow[]; onClose: () => void }) {
  const { actions } = useLabels();
  const label = actions[action] ?? action;
  const form = useQuery({
    queryKey: ['tasks/batch-form', action, taskIds],
    queryFn: () => api<{ fields: BatchField[] }>('/api/tasks/batch-form', { method: 'POST', json: { taskIds, action } }),
    retry: false,
  });
  const fields = form.data?.fields ?? [];
  const [opinion, setOpinion] = useState('');
  const [opinionError, setOpinionError] = useState<string | undefined>();
  const [confirming, setConfirming] = useState<Record<string, unknown> | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [failure, setFailure] = useState<string | undefined>();
  const [, setOutcome] = useStore<BatchOutcome | null>('inbox.batchOutcome', null);
  const dataProvider = useDataProvider<ZcpsDataProvider>();
  const unselectAll = useUnselectAll('tasks');
  const byId = new Map(rows.map((r) => [r.id, r]));
  const nameOf = (id: string) => (byId.has(id) ? rowName(byId.get(id)!) : `待办 ${id.slice(0, 8)}`);
  const needsOpinion = action === 'return' || action === 'reject';
  const returnTo = fields.find((f) => f.widget === 'select');

  const submit = (values: Record<string, unknown>) => {
    if (needsOpinion && !opinion.trim()) {
      setOpinionError(`${label}时必须填写审核意见`);
      return;
    }
    const data = Object.fromEntries(fields.filter((f) => values[f.name] != null).map((f) => [f.name, values[f.name]]));
    if (action === 'return') setConfirming(data);
    else void run(data);
  };

  // a second click (or Enter) while the batch runs must not send it again
  const started = useRef(false);
  const run = async (data: Record<string, unknown>) => {
    if (started.current) return;
    started.current = true;
    setConfirming(null);
    setFailure(undefined);
    const total = taskIds.length;
    const results: BatchResult['results'] = [];
    setProgress({ done: 0, total });
    for (let i = 0; i < total; i += BATCH_PART) {
      const part = taskIds.slice(i, i + BATCH_PART);
      try {
        const answer = await dataProvider.batchComplete(part, action, opinion.trim() || null, Object.keys(data).length ? data : undefined);
        results.push(...answer.results);
      } catch (err) {
        const body = (err as { body?: { details?: Array<{ taskIds?: string[]; message?: string }> } }).body;
        const named = (body?.details ?? []).flatMap((d) => (d.taskIds ?? []).map((id) => `${nameOf(id)}：${d.message ?? ''}`));
        if (!results.length) {
          // nothing was done: the clerk may choose again
          setProgress(null);
          setFailure([(err as Error).message, ...named].join('\n'));
          started.current = false;
          return;
        }
        // a later part refused as a whole: what was done stays done, the rest is reported
        results.push(...taskIds.slice(i).map((taskId) => ({ taskId, ok: false, status: 400, message: (err as Error).message })));
        break;
      }
      setProgress({ done: Math.min(i + part.length, total), total });
    }
    const succeeded = results.filter((r) => r.ok).length;
    // shown outside the list: the rows it reports on are about to leave it
    setOutcome({ result: { results, succeeded, failed: results.length - succeeded }, names: Object.fromEntries(taskIds.map((id) => [id, nameOf(id)])) });
    unselectAll();
    onClose();
  };

  const running = progress !== null;
  return (
    <Dialog open onClose={running ? undefined : onClose} fullWidth maxWidth="sm">
      {/* 退回至 starts unchosen: where a batch goes back is the clerk's deliberate choice */}
      <Form onSubmit={submit}>
        <DialogTitle>{`批量${label}（${taskIds.length} 项）`}</DialogTitle>
        <DialogContent>
          {action === 'reject' ? (
            <Alert severity="warning" sx={{ mb: 2 }}>
              不通过后，这些申报人本年度将不能再次申报，请确认。
            </Alert>
          ) : null}
          {form.isPending ? <LinearProgress sx={{ mb: 2 }} /> : null}
          {form.error ? <Alert severity="error">{(form.error as Error).message}</Alert> : null}
          {fields.map((f) =>
            f.widget === 'select' ? (
              <RadioButtonGroupInput
                key={f.name}
                source={f.name}
                label={f.title}
                choices={(f.options ?? []).map((o) => ({ id: o.value, name: o.label }))}
                validate={(v: unknown) => (v ? undefined : `请选择${f.title}`)}
                helperText={(f.options ?? []).length ? '只列出所选每一项都可退回的层级' : '所选各项没有共同可退回的层级，请分开办理'}
                disabled={running}
              />
            ) : f.widget === 'date' ? (
              <DateInput key={f.name} source={f.name} label={`${f.title}（所选各项相同）`} helperText={f.description} validate={(v: unknown) => (v ? undefined : `请填写${f.title}`)} disabled={running} fullWidth />
            ) : (
              <FileUploadInput
                key={f.name}
                source={f.name}
                label={`${f.title}（一次上传，附到每一项）`}
                accept={f.accept}
                maxSizeMb={f.maxSizeMb}
                helperText={f.description}
                validate={(v: unknown) => (Array.isArray(v) && v.length ? undefined : `请上传${f.title}`)}
              />
            ),
          )}
          <OpinionField value={opinion} onChange={setOpinion} required={needsOpinion} error={opinionError} />
          {failure ? (
            <Alert severity="error" sx={{ mt: 2, whiteSpace: 'pre-line' }} data-testid="batch-failure">
              {failure}
            </Alert>
          ) : null}
          {running ? (
            <Box sx={{ mt: 2 }} data-testid="batch-progress">
              <LinearProgress variant="determinate" value={progress.total ? (progress.done / progress.total) * 100 : 0} />
              <Typography variant="body2" sx={{ mt: 0.5 }}>{`已处理 ${progress.done}/${progress.total}`}</Typography>
            </Box>
          ) : null}
        </DialogContent>
        <DialogActions>
          <MuiButton onClick={onClose} disabled={running}>
            取消
          </MuiButton>
          <MuiButton type="submit" variant="contained" disabled={running || form.isPending || Boolean(form.error)} color={action === 'reject' ? 'error' : 'primary'}>
            确定{label}
          </MuiButton>
        </DialogActions>
      </Form>
      <Dialog open={confirming !== null} onClose={() => setConfirming(null)}>
        <DialogTitle>确认退回</DialogTitle>
        <DialogContent>
          <Typography data-testid="batch-return-confirm">
            {`将所选 ${taskIds.length} 项退回至${returnTo ? `“${returnTo.options?.find((o) => o.value === confirming?.[returnTo.name])?.label ?? ''}”` : '申报人'}，须由其修改或重新审核后再次提交。确定退回吗？`}
          </Typography>
        </DialogContent>
        <DialogActions>
          <MuiButton onClick={() => setConfirming(null)}>取消</MuiButton>
          <MuiButton variant="contained" onClick={() => void run(confirming ?? {})}>
            确定退回
          </MuiButton>
        </DialogActions>
      </Dialog>
    </Dialog>
  );
}

/** 批量办理结果: one line per task, ok or why not. */
function BatchResultDialog() {
  const [outcome, setOutcome] = useStore<BatchOutcome | null>('inbox.batchOutcome', null);
  const refresh = useRefresh();
  if (!outcome) return null;
  const { result, names } = outcome;
  const close = () => {
    setOutcome(null);
    refresh();
  };
  return (
    <Dialog open onClose={close} fullWidth maxWidth="sm">
      <DialogTitle>批量办理结果</DialogTitle>
      <DialogContent>
        <Alert severity={result.failed ? 'warning' : 'success'} sx={{ mb: 1 }}>
          {`已处理 ${result.results.length}/${result.results.length}：成功 ${result.succeeded} 项，失败 ${result.failed} 项`}
        </Alert>
        <MuiList dense data-testid="batch-results">
          {result.results.map((r) => (
            <ListItem key={r.taskId}>
              <ListItemText primary={names[r.taskId] ?? r.taskId} secondary={r.ok ? '已办理' : r.message} slotProps={{ secondary: { color: r.ok ? 'success.main' : 'error.main' } }} />
            </ListItem>
          ))}
        </MuiList>
      </DialogContent>
      <DialogActions>
        <MuiButton onClick={close}>关闭</MuiButton>
      </DialogActions>
    </Dialog>
  );
}

function DueField({ record }: { record: TaskRow }) {
  if (!record.dueAt) return null;
  const state = record.dueState;
  return (
    <Stack direction="row" spacing={0.5} sx={{ alignItems: 'center', flexWrap: 'wrap' }} useFlexGap>
      <span>{formatDateTime(record.dueAt)}</span>
      {state ? <Chip size="small" color={state.level === 'overdue' ? 'error' : 'warning'} label={state.label} data-testid={`due-${state.level}`} /> : null}
    </Stack>
  );
}

/** The applicant's 待办: their own steps as cards with 去办理; no selection, no batch, no unit filter. */
function ApplicantTaskList() {
  const navigate = useNavigate();
  const { data = [], isPending } = useGetList<TaskRow>('tasks', { pagination: { page: 1, perPage: 100 }, sort: { field: 'createdAt', order: 'ASC' } });
  return (
    <Box sx={{ p: { xs: 1, sm: 2 }, maxWidth: 960 }}>
      <Title title="待办事项" />
      {isPending ? <LinearProgress /> : null}
      {!isPending && !data.length ? <EmptyInbox /> : null}
      <Stack spacing={1.5} data-testid="applicant-inbox">
        {data.map((r) => (
          <Card key={r.id} variant="outlined" sx={dueSx(r)} data-testid="applicant-task">
            <CardContent sx={{ pb: 0 }}>
              <Typography variant="h6" component="h2">
                {r.name}
              </Typography>
              <Typography color="text.secondary">{summaryText('activityName', 'matter')(r) || r.processName}</Typography>
              <Typography variant="body2" sx={{ mt: 1 }}>
                到达时间：{formatDateTime(r.createdAt)}
              </Typography>
              {r.dueAt ? (
                <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mt: 0.5 }}>
                  <Typography variant="body2">办理期限：</Typography>
                  <DueField record={r} />
                </Stack>
              ) : null}
            </CardContent>
            <CardActions>
              <MuiButton variant="contained" onClick={() => navigate(`/tasks/${r.id}/handle`)}>
                去办理
              </MuiButton>
            </CardActions>
          </Card>
        ))}
      </Stack>
    </Box>
  );
}

/** 待办事项: the caller's open tasks, whatever flow they come from. */
export function TaskList() {
  return session.user()?.isApplicant ? <ApplicantTaskList /> : <StaffTaskList />;
}

function StaffTaskList() {
  const navigate = useNavigate();
  const { data: counts = [] } = useGetList('tasks/counts', { pagination: { page: 1, perPage: 100 } });
  const flows = [...new Map(counts.map((c) => [c.processKey, { id: c.processKey, name: c.processName }])).values()];
  const steps = [...new Map(counts.map((c) => [c.elementId, { id: c.elementId, name: c.name }])).values()];
  return (
    <>
    <List
      resource="tasks"
      title="待办事项"
      filters={filtersFor(flows, steps)}
      sort={{ field: 'createdAt', order: 'ASC' }}
      perPage={25}
      actions={
        <TopToolbar>
          <FilterButton />
        </TopToolbar>
      }
      empty={<EmptyInbox />}
    >
      <TaskCounts />
      <Datagrid
        bulkActionButtons={<BatchButtons />}
        // the whole inbox may be one batch (the API takes up to 1,000 tasks at once)
        bulkActionsToolbar={<BulkActionsToolbar selectAllButton={<SelectAllButton limit={1000} label="全选所有待办" />}><BatchButtons /></BulkActionsToolbar>}
        rowSx={dueSx}
        rowClick={(id) => { navigate(`/tasks/${id}/handle`); return false; }}
        data-testid="inbox"
      >
        <TextField source="name" label="环节" />
        <FunctionField label="申报人（单位）" render={summaryText('applicantName', 'subject')} />
        <FunctionField label="所属单位" render={summaryText('unitName', 'parentName')} />
        <FunctionField label="评审活动（事项）" render={summaryText('activityName', 'matter')} />
        <TextField source="processName" label="流程" sortable={false} />
        <FunctionField label="到达时间" sortBy="createdAt" render={(r: TaskRow) => formatDateTime(r.createdAt)} />
        <FunctionField label="办理期限" sortBy="dueAt" render={(r: TaskRow) => <DueField record={r} />} />
      </Datagrid>
    </List>
    <BatchResultDialog />
    </>
  );
}

function EmptyInbox() {
  return (
    <Box sx={{ p: 4, textAlign: 'center' }}>
      <Typography variant="h6">暂无待办事项</Typography>
      <Typography color="text.secondary">新的待办到达后会显示在这里。</Typography>
    </Box>
  );
}

/** 已办事项: what the caller has done, newest first. */
export function DoneList() {
  const navigate = useNavigate();
  const { actions } = useLabels();
  return (
    <List resource="tasks/done" title="已办事项" sort={{ field: 'completedAt', order: 'DESC' }} perPage={25} filters={[<TextInput key="applicantName" source="applicantName" label="申报人" alwaysOn />]}>
      <Datagrid bulkActionButtons={false} rowClick={(id) => { navigate(`/tasks/${id}/handle`); return false; }}>
        <TextField source="name" label="环节" />
        <FunctionField label="申报人（单位）" render={summaryText('applicantName', 'subject')} />
        <FunctionField label="评审活动（事项）" render={summaryText('activityName', 'matter')} />
        <FunctionField label="办理结果" render={(r: TaskRow) => r.actionLabel ?? (r.action ? (actions[r.action] ?? r.action) : '')} />
        <TextField source="opinion" label="意见" sortable={false} />
        <FunctionField label="办理时间" sortBy="completedAt" render={(r: TaskRow) => formatDateTime(r.completedAt)} />
      </Datagrid>
    </List>
  );
}
