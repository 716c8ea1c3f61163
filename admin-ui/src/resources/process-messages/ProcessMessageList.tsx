import { Datagrid, FunctionField, List, SelectInput, TextField, TextInput } from 'react-admin';
import { useNavigate } from 'react-router-dom';
import { Chip } from '@mui/material';
import { formatDateTime } from '../../lib/format.ts';
import type { ApiResponse } from '../../api-types.ts';

type Row = ApiResponse<'/api/process-messages'>[number];

const STATUS: Record<Row['status'], { label: string; color: 'warning' | 'success' | 'default' }> = {
  pending: { label: '待接收', color: 'warning' },
  delivered: { label: '已送达', color: 'success' },
  expired: { label: '已过期', color: 'default' },
};

/** 流程消息: what flows sent each other; one still waiting for a receiver, or expired, is what an administrator looks at. */
export function ProcessMessageList() {
  const navigate = useNavigate();
  const open = (id: string | null) => {
    if (id) navigate(`/instances/${id}/view`);
    return false as const;
  };
  return (
    <List
      resource="process-messages"
      title="流程消息"
      filterDefaultValues={{ status: 'pending' }}
      filters={[
        <SelectInput key="status" source="status" label="状态" choices={Object.entries(STATUS).map(([id, s]) => ({ id, name: s.label }))} alwaysOn />,
        <TextInput key="name" source="name" label="消息名称" alwaysOn />,
        <TextInput key="correlationKey" source="correlationKey" label="关联键" alwaysOn />,
      ]}
      sort={{ field: 'id', order: 'DESC' }}
    >
      <Datagrid bulkActionButtons={false} rowClick={(_id, _r, record) => open((record as unknown as Row).targetInstanceId ?? (record as unknown as Row).sourceInstanceId)}>
        <TextField source="name" label="消息" sortable={false} />
        <TextField source="correlationKey" label="关联键" sortable={false} emptyText="—" />
        <FunctionField label="状态" render={(r: Row) => <Chip size="small" label={STATUS[r.status].label} color={STATUS[r.status].color} data-testid="message-status" />} />
        <TextField source="sourceProcessKey" label="发送流程" sortable={false} emptyText="（模块）" />
        <FunctionField label="发送时间" render={(r: Row) => formatDateTime(r.createdAt)} />
        <FunctionField label="保留至" render={(r: Row) => formatDateTime(r.expiresAt)} />
        <FunctionField label="送达时间" render={(r: Row) => (r.deliveredAt ? formatDateTime(r.deliveredAt) : '—')} />
        <FunctionField label="投递失败" render={(r: Row) => (r.attempts ? `${r.attempts} 次：${r.lastError ?? ''}` : '')} />
      </Datagrid>
    </List>
  );
}
