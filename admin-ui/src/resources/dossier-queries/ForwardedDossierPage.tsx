import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button as MuiButton,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  Stack,
  TextField as MuiTextField,
  Typography,
} from '@mui/material';
import { Button, Datagrid, FilterButton, FunctionField, List, SelectInput, TextField, TextInput, TopToolbar, useNotify, useRecordContext, useRefresh } from 'react-admin';
import EditIcon from '@mui/icons-material/Edit';
import { api } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useQueryOptions } from './useQueryOptions.ts';
import type { ChangeRecord, DossierRow } from './types.ts';

/** 修改: 评价方式 and 层级 of one dossier, with the reason, and the changes made so far. */
function ChangeButton() {
  const record = useRecordContext<DossierRow>();
  const { data: options } = useQueryOptions();
  const notify = useNotify();
  const refresh = useRefresh();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [method, setMethod] = useState('');
  const [level, setLevel] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const history = useQuery({
    queryKey: ['dossier-changes', record?.id],
    queryFn: () => api<ChangeRecord[]>(`/api/forwarded-dossiers/${record?.id}/changes`),
    enabled: open && record != null,
  });
  if (!record) return null;
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await api(`/api/forwarded-dossiers/${record.id}/changes`, { method: 'POST', json: { evaluationMethod: method, level: level || undefined, reason: reason || null } });
      notify(`已修改“${record.applicantName}”的评价方式`, { type: 'success' });
      setOpen(false);
      await queryClient.invalidateQueries({ queryKey: ['dossier-changes', record.id] });
      refresh();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button
        label="修改"
        onClick={(e) => {
          e.stopPropagation();
          setMethod(record.evaluationMethod);
          setLevel(record.level ?? '');
          setReason('');
          setError(null);
          setOpen(true);
        }}
      >
        <EditIcon />
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="sm" onClick={(e) => e.stopPropagation()}>
        <DialogTitle>修改评价方式：{record.applicantName}</DialogTitle>
        <DialogContent>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            {record.committeeName} · {record.activityName}
          </Typography>
          {error ? (
            <Alert severity="error" sx={{ mb: 2 }} data-testid="change-error">
              {error}
            </Alert>
          ) : null}
          <Stack spacing={2}>
            <MuiTextField select label="层级" value={level} onChange={(e) => setLevel(e.target.value)} data-testid="change-level">
              {(options?.levels ?? []).map((c) => (
                <MenuItem key={c.id} value={c.id}>
                  {c.name}
                </MenuItem>
              ))}
            </MuiTextField>
            <MuiTextField select label="评价方式" value={method} onChange={(e) => setMethod(e.target.value)} data-testid="change-method">
              {(options?.evaluationMethods ?? []).map((c) => (
                <MenuItem key={c.id} value={c.id}>
                  {c.name}
                </MenuItem>
              ))}
            </MuiTextField>
            <MuiTextField label="修改原因" value={reason} onChange={(e) => setReason(e.target.value)} multiline minRows={2} slotProps={{ htmlInput: { maxLength: 500 } }} />
          </Stack>
          <Typography variant="subtitle2" sx={{ mt: 3, mb: 1 }}>
            修改记录
          </Typography>
          {history.data?.length ? (
            <Stack spacing={1} data-testid="change-history">
              {history.data.map((c) => (
                <Typography key={c.id} variant="body2">
                  {formatDateTime(c.createdAt)} {c.unitName} {c.actorName}：{c.before.levelName ?? '—'}／{c.before.evaluationMethodName} → {c.after.levelName ?? '—'}／{c.after.evaluationMethodName}
                  {c.reason ? `（${c.reason}）` : ''}
                </Typography>
              ))}
            </Stack>
          ) : (
            <Typography variant="body2" color="text.secondary">
              暂无修改
            </Typography>
          )}
        </DialogContent>
        <DialogActions>
          <MuiButton onClick={() => setOpen(false)}>取消</MuiButton>
          <MuiButton variant="contained" disabled={busy} onClick={() => void submit()}>
            确定
          </MuiButton>
        </DialogActions>
      </Dialog>
    </>
  );
}

/** 评审人员统计 (manual §1.2.3.4): the applicants the caller's unit passed on, and the change of their 评价方式 and 层级. */
export function ForwardedDossierPage() {
  const { data: options } = useQueryOptions();
  return (
    <List
      resource="forwarded-dossiers"
      title="评审人员统计"
      sort={{ field: 'submittedAt', order: 'DESC' }}
      perPage={25}
      empty={false}
      actions={
        <TopToolbar>
          <FilterButton />
        </TopToolbar>
      }
      filters={[
        <TextInput key="q" source="q" label="姓名" alwaysOn />,
        <SelectInput key="level" source="level" label="申报层级" choices={options?.levels ?? []} alwaysOn />,
        <SelectInput key="evaluationMethod" source="evaluationMethod" label="评价方式" choices={options?.evaluationMethods ?? []} alwaysOn />,
        <TextInput key="specialty" source="specialty" label="申报专业" />,
      ]}
    >
      <Datagrid bulkActionButtons={false} rowClick={false} data-testid="forwarded-dossiers">
        <TextField source="applicantName" label="姓名" />
        <TextField source="employerName" label="工作单位" sortable={false} />
        <TextField source="committeeName" label="申报评委会" sortable={false} />
        <TextField source="seriesName" label="申报系列" sortable={false} />
        <TextField source="levelName" label="申报层级" sortBy="level" />
        <TextField source="specialty" label="申报专业" />
        <TextField source="evaluationMethodName" label="评价方式" sortable={false} />
        <TextField source="statusName" label="状态" sortBy="status" />
        <FunctionField label="提交时间" sortBy="submittedAt" render={(r: DossierRow) => (r.submittedAt ? formatDateTime(r.submittedAt) : '')} />
        <ChangeButton />
      </Datagrid>
    </List>
  );
}
