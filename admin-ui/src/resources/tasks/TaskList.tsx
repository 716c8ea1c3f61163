import { useState } from 'react';
import {
  Alert,
  Box,
  Button as MuiButton,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  List as MuiList,
  ListItem,
  ListItemText,
  Stack,
  Typography,
} from '@mui/material';
import CheckIcon from '@mui/icons-material/Check';
import UndoIcon from '@mui/icons-material/Undo';
import BlockIcon from '@mui/icons-material/Block';
import {
  AutocompleteInput,
  Button,
  Datagrid,
  DateInput,
  FilterButton,
  FunctionField,
  List,
  ReferenceInput,
  SelectInput,
  TextField,
  TextInput,
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
import { formatDateTime } from '../../lib/format.ts';
import { useLabels } from '../../lib/labels.ts';
import type { BatchResult, ZcpsDataProvider } from '../../dataProvider.ts';
import type { ApiResponse } from '../../api-types.ts';

type TaskRow = ApiResponse<'/api/tasks'>[number];

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
  const [opinion, setOpinion] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [, setOutcome] = useStore<BatchOutcome | null>('inbox.batchOutcome', null);
  const dataProvider = useDataProvider<ZcpsDataProvider>();
  const unselectAll = useUnselectAll('tasks');
  const { actions } = useLabels();
  const selected = data.filter((r) => selectedIds.includes(r.id));
  const allow = (a: string) => selected.length > 0 && selected.every((r) => r.actions.includes(a));

  const close = () => {
    setAction(null);
    setOpinion('');
    setError(undefined);
  };
  const run = async () => {
    if (!action) return;
    if ((action === 'return' || action === 'reject') && !opinion.trim()) {
      setError(`${actions[action]}时必须填写审核意见`);
      return;
    }
    setBusy(true);
    try {
      const names = Object.fromEntries(selected.map((r) => [r.id, `${r.name} · ${summaryText('applicantName', 'subject')(r) || r.processName}`]));
      const result = await dataProvider.batchComplete(selectedIds as string[], action, opinion.trim() || null);
      // shown outside the list: the rows it reports on are about to leave it
      setOutcome({ result, names });
      unselectAll();
      close();
    } finally {
      setBusy(false);
    }
  };

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
      <Dialog open={action !== null} onClose={close} fullWidth maxWidth="sm">
        <DialogTitle>{`批量${action ? actions[action] : ''}（${selectedIds.length} 项）`}</DialogTitle>
        <DialogContent>
          {action === 'reject' ? (
            <Alert severity="warning" sx={{ mb: 2 }}>
              不通过后，这些申报人本年度将不能再次申报，请确认。
            </Alert>
          ) : null}
          <OpinionField value={opinion} onChange={setOpinion} required={action === 'return' || action === 'reject'} error={error} />
        </DialogContent>
        <DialogActions>
          <MuiButton onClick={close}>取消</MuiButton>
          <MuiButton variant="contained" onClick={() => void run()} disabled={busy} color={action === 'reject' ? 'error' : 'primary'}>
            确定{action ? actions[action] : ''}
          </MuiButton>
        </DialogActions>
      </Dialog>
    </>
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
          成功 {result.succeeded} 项，失败 {result.failed} 项
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
  return (
    <Stack direction="row" spacing={0.5} sx={{ alignItems: 'center' }}>
      <span>{formatDateTime(record.dueAt)}</span>
      {record.overdue ? <Chip size="small" color="error" label="已超期" /> : null}
    </Stack>
  );
}

/** 待办事项: the caller's open tasks, whatever flow they come from. */
export function TaskList() {
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
      <Datagrid bulkActionButtons={<BatchButtons />} rowClick={(id) => { navigate(`/tasks/${id}/handle`); return false; }} data-testid="inbox">
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
        <FunctionField label="办理结果" render={(r: TaskRow) => (r.action ? (actions[r.action] ?? r.action) : '')} />
        <TextField source="opinion" label="意见" sortable={false} />
        <FunctionField label="办理时间" sortBy="completedAt" render={(r: TaskRow) => formatDateTime(r.completedAt)} />
      </Datagrid>
    </List>
  );
}
