import { useState } from 'react';
import { Button as MuiButton, Dialog, DialogActions, DialogContent, DialogTitle, TextField as MuiTextField, Typography } from '@mui/material';
import { Button, Datagrid, FunctionField, List, SelectInput, TextField, useGetList, useNotify, useRecordContext, useRefresh } from 'react-admin';
import EditIcon from '@mui/icons-material/Edit';
import { api } from '../../lib/api.ts';
import type { ApiResponse } from '../../api-types.ts';

type Row = ApiResponse<'/api/settings/task-due-dates'>[number];

/** P3D → 3 天, PT12H → 12 小时; FEEL stays as written. */
export function describeDuration(value: string | null): string {
  if (!value) return '不限';
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/i.exec(value.trim());
  if (!m) return value;
  const units = ['年', '个月', '周', '天', '小时', '分钟'];
  const parts = m.slice(1).map((n, i) => (n ? `${Number(n)} ${units[i]}` : '')).filter(Boolean);
  return parts.length ? parts.join(' ') : value;
}

function EditDue() {
  const record = useRecordContext<Row>();
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const notify = useNotify();
  const refresh = useRefresh();
  if (!record) return null;
  const save = async (dueDate: string | null) => {
    try {
      await api(`/api/settings/task-due-dates/${encodeURIComponent(record.id)}`, { method: 'PUT', json: { dueDate } });
      notify('办理期限已保存，此后新到达的待办按新期限计算', { type: 'success' });
      setOpen(false);
      refresh();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <>
      <Button label="设置" onClick={(e) => { e.stopPropagation(); setValue(record.dueDate ?? record.diagramDueDate ?? ''); setError(null); setOpen(true); }}>
        <EditIcon />
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="xs">
        <DialogTitle>{record.name} 的办理期限</DialogTitle>
        <DialogContent>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
            ISO 8601 时长，如 P3D（3 天）、PT12H（12 小时）。{record.kind === 'call' ? '此环节调用子流程（如多岗审核），设置后其中每个待办都按此期限。' : `流程图默认：${describeDuration(record.diagramDueDate)}。`}已在待办中的任务不受影响。
          </Typography>
          <MuiTextField fullWidth autoFocus label="期限" value={value} onChange={(e) => { setValue(e.target.value); setError(null); }} error={Boolean(error)} helperText={error ?? (value ? describeDuration(value) : '')} />
        </DialogContent>
        <DialogActions>
          <MuiButton onClick={() => void save(null)}>恢复默认</MuiButton>
          <MuiButton onClick={() => setOpen(false)}>取消</MuiButton>
          <MuiButton variant="contained" onClick={() => void save(value.trim() || null)}>
            保存
          </MuiButton>
        </DialogActions>
      </Dialog>
    </>
  );
}

/** 办理期限设置: per flow step, over the diagram's own. */
export function DueDateList() {
  const { data: flows = [] } = useGetList('process-definitions', { pagination: { page: 1, perPage: 100 } });
  return (
    <List
      resource="settings/task-due-dates"
      title="办理期限设置"
      pagination={false}
      filters={[<SelectInput key="processKey" source="processKey" label="流程" choices={flows.map((f) => ({ id: f.key, name: f.name }))} alwaysOn />]}
    >
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <TextField source="processName" label="流程" />
        <TextField source="name" label="环节" />
        <FunctionField label="流程图默认" render={(r: Row) => (r.kind === 'call' ? '按子流程各环节' : describeDuration(r.diagramDueDate))} />
        <FunctionField label="当前期限" render={(r: Row) => (r.kind === 'call' && !r.dueDate ? '按子流程各环节' : `${describeDuration(r.effective)}${r.dueDate ? '（已调整）' : ''}`)} />
        <EditDue />
      </Datagrid>
    </List>
  );
}
