import { useState } from 'react';
import { Alert, Button as MuiButton, Dialog, DialogActions, DialogContent, DialogTitle, MenuItem, Stack, TextField as MuiTextField, Typography } from '@mui/material';
import { Button, Datagrid, FunctionField, List, SelectInput, TextField, useGetList, useNotify, useRecordContext, useRefresh } from 'react-admin';
import EditIcon from '@mui/icons-material/Edit';
import { api, fieldErrors } from '../../lib/api.ts';
import type { ApiBody, ApiResponse } from '../../api-types.ts';

type Row = ApiResponse<'/api/settings/task-due-dates'>[number];
type Unit = NonNullable<Row['unit']>;

const UNITS: Array<{ id: Unit; name: string }> = [
  { id: 'working_days', name: '工作日' },
  { id: 'natural_days', name: '自然日' },
  { id: 'hours', name: '小时' },
  { id: 'expression', name: '表达式' },
];

function EditDue() {
  const record = useRecordContext<Row>();
  const [open, setOpen] = useState(false);
  const [amount, setAmount] = useState('');
  const [unit, setUnit] = useState<Unit>('working_days');
  const [expression, setExpression] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const notify = useNotify();
  const refresh = useRefresh();
  if (!record) return null;
  const url = `/api/settings/task-due-dates/${encodeURIComponent(record.id)}`;
  const done = () => {
    notify('办理期限已保存，此后新到达的待办按新期限计算', { type: 'success' });
    setOpen(false);
    refresh();
  };
  const fail = (err: unknown) => {
    setErrors(fieldErrors(err));
    setError((err as Error).message);
  };
  const save = async () => {
    // the API checks the number; an empty field is sent as missing so that it names the field
    const body: ApiBody<'/api/settings/task-due-dates/{id}', 'put'> =
      unit === 'expression' ? { expression } : { unit, ...(amount.trim() ? { amount: Number(amount) } : {}) };
    try {
      await api(url, { method: 'PUT', json: body });
      done();
    } catch (err) {
      fail(err);
    }
  };
  const reset = async () => {
    try {
      await api(url, { method: 'DELETE' });
      done();
    } catch (err) {
      fail(err);
    }
  };
  const begin = () => {
    setAmount(record.amount == null ? '' : String(record.amount));
    setUnit(record.unit ?? 'working_days');
    setExpression(record.expression ?? '');
    setErrors({});
    setError(null);
    setOpen(true);
  };
  return (
    <>
      <Button label="设置" onClick={(e) => { e.stopPropagation(); begin(); }}>
        <EditIcon />
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="xs">
        <DialogTitle>{record.name} 的办理期限</DialogTitle>
        <DialogContent>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            {record.kind === 'call' ? record.note : `流程图默认：${record.diagramLabel}。`}工作日按“工作日历”计算，到期为最后一天的 24 时；已在待办中的任务不受影响。
          </Typography>
          <Stack direction="row" spacing={1}>
            {unit !== 'expression' ? (
              <MuiTextField
                label="期限数值"
                type="number"
                autoFocus
                value={amount}
                onChange={(e) => { setAmount(e.target.value); setErrors({}); setError(null); }}
                error={Boolean(errors.amount)}
                helperText={errors.amount}
                slotProps={{ htmlInput: { min: 1, max: 365 } }}
                sx={{ width: 140 }}
              />
            ) : null}
            <MuiTextField select label="期限单位" value={unit} onChange={(e) => { setUnit(e.target.value as Unit); setErrors({}); setError(null); }} error={Boolean(errors.unit)} helperText={errors.unit} sx={{ minWidth: 120 }}>
              {UNITS.map((u) => (
                <MenuItem key={u.id} value={u.id}>
                  {u.name}
                </MenuItem>
              ))}
            </MuiTextField>
          </Stack>
          {unit === 'expression' ? (
            <MuiTextField
              fullWidth
              sx={{ mt: 2 }}
              label="表达式"
              value={expression}
              onChange={(e) => { setExpression(e.target.value); setErrors({}); setError(null); }}
              error={Boolean(errors.expression)}
              helperText={errors.expression ?? '供熟悉流程配置的人员使用：以“=”开头的 FEEL 表达式，或 ISO 8601 时长（P3D 即 3 个工作日）'}
            />
          ) : null}
          {error && !Object.keys(errors).length ? <Alert severity="error" sx={{ mt: 2 }}>{error}</Alert> : null}
        </DialogContent>
        <DialogActions>
          <MuiButton onClick={() => void reset()}>恢复默认</MuiButton>
          <MuiButton onClick={() => setOpen(false)}>取消</MuiButton>
          <MuiButton variant="contained" onClick={() => void save()}>
            保存
          </MuiButton>
        </DialogActions>
      </Dialog>
    </>
  );
}

/** 办理期限设置: per flow step, over the diagram's own; in working days unless set otherwise. */
export function DueDateList() {
  const { data: flows = [] } = useGetList('process-definitions', { pagination: { page: 1, perPage: 100 } });
  return (
    <>
      <Alert severity="info" sx={{ mt: 2 }} data-testid="due-date-help">
        办理期限默认按工作日计算（节假日和调休按“工作日历”），从待办到达的次日算起，到期为最后一天的 24 时。单位配置了“多岗审核”时，该级审核走名称带“（多岗）”的环节，每一个岗位的待办各自按该级的期限计算：设置“申报单位审核”即同时用于它的各岗位；“（多岗）”一行也可单独设置。
      </Alert>
      <List
        resource="settings/task-due-dates"
        title="办理期限设置"
        pagination={false}
        filters={[<SelectInput key="processKey" source="processKey" label="流程" choices={flows.map((f) => ({ id: f.key, name: f.name }))} alwaysOn />]}
      >
        <Datagrid bulkActionButtons={false} rowClick={false}>
          <TextField source="processName" label="流程" />
          <FunctionField
            label="环节"
            render={(r: Row) => (
              <>
                <span data-testid="step-name">{r.name}</span>
                {r.note ? (
                  <Typography variant="caption" color="text.secondary" sx={{ display: 'block', maxWidth: 520 }} data-testid="due-date-note">
                    {r.note}
                  </Typography>
                ) : null}
              </>
            )}
          />
          <FunctionField label="流程图默认" render={(r: Row) => (r.kind === 'call' ? '按子流程各环节' : r.diagramLabel)} />
          <FunctionField
            label="当前期限"
            render={(r: Row) => (r.kind === 'call' && !r.effective ? '按子流程各环节' : `${r.effectiveLabel}${r.dueDate ? '（已调整）' : r.kind === 'call' ? '（沿用该级设置）' : ''}`)}
          />
          <EditDue />
        </Datagrid>
      </List>
    </>
  );
}
