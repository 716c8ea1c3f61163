import { useState } from 'react';
import { Button as MuiButton, Chip, Dialog, DialogActions, DialogContent, DialogTitle, Typography } from '@mui/material';
import { useQueryClient } from '@tanstack/react-query';
import { BooleanInput, Datagrid, FunctionField, List, TextField, TopToolbar, useListContext, useNotify, useRefresh, useUnselectAll } from 'react-admin';
import { useNavigate } from 'react-router-dom';
import DoneAllIcon from '@mui/icons-material/DoneAll';
import DoneIcon from '@mui/icons-material/Done';
import { api } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import type { ApiResponse } from '../../api-types.ts';

type MessageRecord = ApiResponse<'/api/messages'>[number];

const senderOf = (r: MessageRecord) => (r.sender ? `${r.sender.unitName}${r.sender.userName ? ` ${r.sender.userName}` : ''}` : '系统');

/** After a reading, the lists and the menu's unread badge are read again. */
function useAfterRead() {
  const refresh = useRefresh();
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: ['messages-unread'] });
    refresh();
  };
}

function Actions() {
  const notify = useNotify();
  const afterRead = useAfterRead();
  return (
    <TopToolbar>
      <MuiButton
        size="small"
        startIcon={<DoneAllIcon />}
        onClick={async () => {
          const { count } = await api<{ count: number }>('/api/messages/read-all', { method: 'POST' });
          notify(count ? `已将 ${count} 条消息标记为已读` : '没有未读消息', { type: 'info' });
          afterRead();
        }}
      >
        全部标记已读
      </MuiButton>
    </TopToolbar>
  );
}

/** 确认已读 of the ticked messages at once. */
function ConfirmReadButton() {
  const { selectedIds } = useListContext();
  const notify = useNotify();
  const unselectAll = useUnselectAll('messages');
  const afterRead = useAfterRead();
  return (
    <MuiButton
      size="small"
      startIcon={<DoneIcon />}
      data-testid="confirm-read-selected"
      onClick={async () => {
        try {
          const { count } = await api<{ count: number }>('/api/messages/read', { method: 'POST', json: { ids: selectedIds } });
          notify(`已确认 ${count} 条消息已读`, { type: 'info' });
          unselectAll();
          afterRead();
        } catch (err) {
          notify((err as Error).message, { type: 'error' });
        }
      }}
    >
      确认已读
    </MuiButton>
  );
}

/**
 * 已接收消息列表 (manual §1.2.12): reminders of the flows and messages pushed by units, with the
 * sender; a message that points somewhere opens there, one that does not opens its detail, where
 * it is confirmed read.
 */
export function MessageList() {
  const navigate = useNavigate();
  const afterRead = useAfterRead();
  const [shown, setShown] = useState<MessageRecord | null>(null);
  const open = async (record: MessageRecord) => {
    if (record.link) {
      if (!record.read) await api(`/api/messages/${record.id}/read`, { method: 'POST' });
      navigate(record.link);
    } else setShown(record);
  };
  const confirm = async (record: MessageRecord) => {
    await api(`/api/messages/${record.id}/read`, { method: 'POST' });
    setShown(null);
    afterRead();
  };
  return (
    <>
      <List title="消息" actions={<Actions />} filters={[<BooleanInput key="unread" source="unread" label="只看未读" alwaysOn />]} sort={{ field: 'id', order: 'DESC' }} empty={false}>
        <Datagrid rowClick={(_id, _resource, record) => (void open(record as MessageRecord), false)} bulkActionButtons={<ConfirmReadButton />}>
          <FunctionField label="状态" render={(r: MessageRecord) => (r.read ? <Chip size="small" label="已读" /> : <Chip size="small" color="error" label="未读" />)} />
          <TextField source="title" label="标题" sortable={false} />
          <TextField source="body" label="内容" sortable={false} />
          <FunctionField label="发送单位" render={senderOf} />
          <FunctionField label="时间" render={(r: MessageRecord) => formatDateTime(r.createdAt)} />
        </Datagrid>
      </List>
      {shown ? (
        <Dialog open onClose={() => setShown(null)} fullWidth maxWidth="sm">
          <DialogTitle>{shown.title}</DialogTitle>
          <DialogContent dividers>
            <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
              发送单位：{senderOf(shown)}，时间：{formatDateTime(shown.createdAt)}
            </Typography>
            <Typography sx={{ whiteSpace: 'pre-wrap' }} data-testid="message-detail">
              {shown.body}
            </Typography>
            {shown.read ? (
              <Typography variant="body2" color="text.secondary" sx={{ mt: 2 }}>
                已于 {formatDateTime(shown.readAt)} 确认已读
              </Typography>
            ) : null}
          </DialogContent>
          <DialogActions>
            <MuiButton onClick={() => setShown(null)}>关闭</MuiButton>
            {shown.read ? null : (
              <MuiButton variant="contained" onClick={() => void confirm(shown)} data-testid="confirm-read">
                确认已读
              </MuiButton>
            )}
          </DialogActions>
        </Dialog>
      ) : null}
    </>
  );
}
