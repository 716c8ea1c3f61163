import {
  Button,
  Datagrid,
  DateTimeInput,
  FunctionField,
  List,
  SelectInput,
  TextField,
  TextInput,
  useListContext,
  useNotify,
  useRecordContext,
  useRefresh,
  useUnselectAll,
} from 'react-admin';
import { useNavigate } from 'react-router-dom';
import ReplayIcon from '@mui/icons-material/Replay';
import { api } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import type { ApiResponse } from '../../api-types.ts';

type Row = ApiResponse<'/api/incidents'>[number];
type BatchResult = ApiResponse<'/api/incidents/retry', 'post'>;

function RetryButton() {
  const record = useRecordContext<Row>();
  const notify = useNotify();
  const refresh = useRefresh();
  if (!record || record.status !== 'open') return null;
  return (
    <Button
      label="重试"
      onClick={async (e) => {
        e.stopPropagation();
        try {
          const result = await api<{ status: string; attempts: number }>(`/api/incidents/${record.id}/retry`, { method: 'POST' });
          notify(result.status === 'resolved' ? '重试成功，流程已继续' : `重试仍失败（第 ${result.attempts} 次）`, { type: result.status === 'resolved' ? 'success' : 'warning' });
        } catch (err) {
          notify((err as Error).message, { type: 'error' });
        }
        refresh();
      }}
    >
      <ReplayIcon />
    </Button>
  );
}

/** 批量重试: each selected open incident is retried once; the answer counts what happened. */
function BatchRetryButton() {
  const { selectedIds } = useListContext();
  const notify = useNotify();
  const refresh = useRefresh();
  const unselectAll = useUnselectAll('incidents');
  return (
    <Button
      label="批量重试"
      data-testid="incidents-batch-retry"
      onClick={async () => {
        try {
          const result = await api<BatchResult>('/api/incidents/retry', { method: 'POST', json: { ids: selectedIds.map(Number) } });
          notify(`已重试：成功 ${result.resolved} 条，仍失败 ${result.stillFailing} 条，跳过 ${result.skipped} 条`, { type: result.stillFailing ? 'warning' : 'success' });
        } catch (err) {
          notify((err as Error).message, { type: 'error' });
        }
        unselectAll();
        refresh();
      }}
    >
      <ReplayIcon />
    </Button>
  );
}

const filters = [
  <SelectInput key="status" source="status" label="状态" choices={[{ id: 'open', name: '未处理' }, { id: 'resolved', name: '已解决' }]} alwaysOn />,
  <TextInput key="processKey" source="processKey" label="流程标识" alwaysOn />,
  <TextInput key="elementId" source="elementId" label="元素编号" />,
  <TextInput key="q" source="q" label="错误或业务编号" />,
  <DateTimeInput key="from" source="from" label="发生时间自" />,
  <DateTimeInput key="to" source="to" label="发生时间至" />,
];

/** 流程异常: service steps that failed and wait for an administrator (retry one or many, or open one to move it on). */
export function IncidentList() {
  const navigate = useNavigate();
  return (
    <List resource="incidents" title="流程异常" filterDefaultValues={{ status: 'open' }} filters={filters} perPage={50} sort={{ field: 'id', order: 'DESC' }} exporter={false}>
      <Datagrid
        bulkActionButtons={<BatchRetryButton />}
        isRowSelectable={(r) => (r as unknown as Row).status === 'open'}
        rowClick={(_id, _r, record) => {
          navigate(`/incidents/${(record as unknown as Row).id}/show`);
          return false;
        }}
        data-testid="incident-list"
      >
        <FunctionField label="流程" render={(r: Row) => `${r.processName}（第 ${r.processVersion} 版）`} />
        <TextField source="businessKey" label="业务编号" emptyText="—" />
        <FunctionField label="环节" render={(r: Row) => r.elementName ?? r.elementId} />
        <TextField source="message" label="错误" />
        <TextField source="attempts" label="次数" />
        <FunctionField label="最近失败" render={(r: Row) => formatDateTime(r.updatedAt)} />
        <FunctionField label="状态" render={(r: Row) => (r.status === 'open' ? '未处理' : '已解决')} />
        <RetryButton />
      </Datagrid>
    </List>
  );
}
