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

/** 流程实例: every case (monitors) or the caller's (reviewing clerks), found by flow, status, applicant, ID number or unit. */
export function InstanceList() {
  const navigate = useNavigate();
  const { data: flows = [] } = useGetList('process-definitions', { pagination: { page: 1, perPage: 100 } }, { retry: false });
  return (
    <List
      resource="process-instances"
      title="流程实例"
      sort={{ field: 'startedAt', order: 'DESC' }}
      filters={[
        <TextInput key="applicant" source="applicant" label="申报人" alwaysOn />,
        <TextInput key="idNumber" source="idNumber" label="身份证号" alwaysOn />,
        <TextInput key="unit" source="unit" label="单位" alwaysOn />,
        <SelectInput key="processKey" source="processKey" label="流程" choices={flows.map((f) => ({ id: f.key, name: f.name }))} />,
        <SelectInput key="status" source="status" label="状态" choices={STATUS_CHOICES} />,
        <TextInput key="businessKey" source="businessKey" label="业务编号" />,
      ]}
    >
      <Datagrid bulkActionButtons={false} sx={{ '& .RaDatagrid-headerCell': { whiteSpace: 'nowrap' } }} rowClick={(id) => { navigate(`/instances/${id}/view`); return false; }}>
        <TextField source="processName" label="流程" sortable={false} />
        <FunctionField label="版本" render={(r: Row) => `第 ${r.processVersion} 版`} />
        <FunctionField label="申报人" render={(r: Row) => r.applicantName ?? '—'} />
        <FunctionField label="身份证号" render={(r: Row) => r.idNumber ?? '—'} />
        <FunctionField label="单位" render={(r: Row) => r.unitName ?? '—'} />
        <FunctionField label="摘要" render={(r: Row) => [r.activityName, r.levelLabel, r.seriesLabel].filter(Boolean).join(' · ')} />
        <FunctionField label="状态" render={(r: Row) => STATUS_CHOICES.find((s) => s.id === r.status)?.name ?? r.status} />
        <FunctionField label="异常" render={(r: Row) => (r.openIncidents ? `${r.openIncidents} 个` : '')} />
        <FunctionField label="发起时间" sortBy="startedAt" render={(r: Row) => formatDateTime(r.startedAt)} />
      </Datagrid>
    </List>
  );
}
