import { Button, Datagrid, FunctionField, List, SelectInput, TextField, useNotify, useRecordContext, useRefresh } from 'react-admin';
import { useNavigate } from 'react-router-dom';
import ReplayIcon from '@mui/icons-material/Replay';
import { api } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import type { ApiResponse } from '../../api-types.ts';

type Row = ApiResponse<'/api/incidents'>[number];

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

/** 流程异常: service steps that failed and wait for an administrator. */
export function IncidentList() {
  const navigate = useNavigate();
  return (
    <List
      resource="incidents"
      title="流程异常"
      filterDefaultValues={{ status: 'open' }}
      filters={[<SelectInput key="status" source="status" label="状态" choices={[{ id: 'open', name: '未处理' }, { id: 'resolved', name: '已解决' }]} alwaysOn />]}
      pagination={false}
    >
      <Datagrid bulkActionButtons={false} rowClick={(_id, _r, record) => { navigate(`/instances/${(record as unknown as Row).rootInstanceId}/view`); return false; }}>
        <TextField source="elementId" label="环节" />
        <TextField source="handler" label="处理器" />
        <TextField source="message" label="错误" />
        <TextField source="attempts" label="次数" />
        <FunctionField label="最近失败" render={(r: Row) => formatDateTime(r.updatedAt)} />
        <RetryButton />
      </Datagrid>
    </List>
  );
}
