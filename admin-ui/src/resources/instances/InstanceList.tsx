import { Datagrid, FunctionField, List, SelectInput, TextField, TextInput, useGetList } from 'react-admin';
import { useNavigate } from 'react-router-dom';
import { formatDateTime } from '../../lib/format.ts';
import type { ApiResponse } from '../../api-types.ts';

const STATUS_CHOICES = [
  { id: 'running', name: '进行中' },
  { id: 'completed', name: '已结束' },
  { id: 'terminated', name: '已终止' },
  { id: 'cancelled', name: '已取消' },
];

type Row = ApiResponse<'/api/process-instances'>[number];

/** 流程实例 (monitoring): every case, filterable by flow, version and status. */
export function InstanceList() {
  const navigate = useNavigate();
  const { data: flows = [] } = useGetList('process-definitions', { pagination: { page: 1, perPage: 100 } });
  return (
    <List
      resource="process-instances"
      title="流程实例"
      sort={{ field: 'startedAt', order: 'DESC' }}
      filters={[
        <SelectInput key="processKey" source="processKey" label="流程" choices={flows.map((f) => ({ id: f.key, name: f.name }))} alwaysOn />,
        <SelectInput key="status" source="status" label="状态" choices={STATUS_CHOICES} alwaysOn />,
        <TextInput key="businessKey" source="businessKey" label="业务编号" />,
      ]}
    >
      <Datagrid bulkActionButtons={false} rowClick={(id) => { navigate(`/instances/${id}/view`); return false; }}>
        <TextField source="processKey" label="流程" />
        <FunctionField label="版本" render={(r: Row) => `第 ${r.processVersion} 版`} />
        <FunctionField label="摘要" render={(r: Row) => Object.values(r.summary ?? {}).filter((v) => v != null && v !== '').slice(0, 3).join(' · ')} />
        <FunctionField label="状态" render={(r: Row) => STATUS_CHOICES.find((s) => s.id === r.status)?.name ?? r.status} />
        <FunctionField label="异常" render={(r: Row) => (r.openIncidents ? `${r.openIncidents} 个` : '')} />
        <FunctionField label="发起时间" sortBy="startedAt" render={(r: Row) => formatDateTime(r.startedAt)} />
      </Datagrid>
    </List>
  );
}
