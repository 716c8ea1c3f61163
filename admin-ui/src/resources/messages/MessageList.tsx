import { Button as MuiButton, Chip } from '@mui/material';
import { BooleanInput, Datagrid, FunctionField, List, TextField, TopToolbar, useNotify, useRefresh } from 'react-admin';
import { useNavigate } from 'react-router-dom';
import DoneAllIcon from '@mui/icons-material/DoneAll';
import { api } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import type { ApiResponse } from '../../api-types.ts';

type MessageRecord = ApiResponse<'/api/messages'>[number];

function Actions() {
  const notify = useNotify();
  const refresh = useRefresh();
  return (
    <TopToolbar>
      <MuiButton
        size="small"
        startIcon={<DoneAllIcon />}
        onClick={async () => {
          const { count } = await api<{ count: number }>('/api/messages/read-all', { method: 'POST' });
          notify(count ? `已将 ${count} 条消息标记为已读` : '没有未读消息', { type: 'info' });
          refresh();
        }}
      >
        全部标记已读
      </MuiButton>
    </TopToolbar>
  );
}

/** 消息: reminders for the caller's unit (届满备案提醒 …); opening one marks it read and goes where it points. */
export function MessageList() {
  const navigate = useNavigate();
  const refresh = useRefresh();
  const open = async (record: MessageRecord) => {
    if (!record.read) await api(`/api/messages/${record.id}/read`, { method: 'POST' });
    if (record.link) navigate(record.link);
    else refresh();
  };
  return (
    <List title="消息" actions={<Actions />} filters={[<BooleanInput key="unread" source="unread" label="只看未读" alwaysOn />]} sort={{ field: 'id', order: 'DESC' }} empty={false}>
      <Datagrid rowClick={(_id, _resource, record) => (void open(record as MessageRecord), false)} bulkActionButtons={false}>
        <FunctionField label="状态" render={(r: MessageRecord) => (r.read ? <Chip size="small" label="已读" /> : <Chip size="small" color="error" label="未读" />)} />
        <TextField source="title" label="标题" sortable={false} />
        <TextField source="body" label="内容" sortable={false} />
        <FunctionField label="时间" render={(r: MessageRecord) => formatDateTime(r.createdAt)} />
      </Datagrid>
    </List>
  );
}
