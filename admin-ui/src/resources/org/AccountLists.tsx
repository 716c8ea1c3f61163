import { useState } from 'react';
import { Box, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, Button as MuiButton, Typography } from '@mui/material';
import {
  Button,
  Datagrid,
  Form,
  FunctionField,
  List,
  ResourceContextProvider,
  TextField,
  TextInput,
  TopToolbar,
  required,
  useListContext,
  useNotify,
  useRecordContext,
  useRefresh,
  useUnselectAll,
} from 'react-admin';
import AddIcon from '@mui/icons-material/Add';
import KeyIcon from '@mui/icons-material/Key';
import LockOpenIcon from '@mui/icons-material/LockOpen';
import { api } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ServerSubmit } from '../../components/ServerSubmit.tsx';
import { InitialPasswordDialog, type InitialPassword } from '../../components/InitialPasswordDialog.tsx';
import type { StaffRow } from './StaffList.tsx';
import type { ApiResponse } from '../../api-types.ts';

type ApplicantRow = ApiResponse<'/api/applicants'>[number];

function ResetApplicantPassword({ onPassword }: { onPassword: (p: InitialPassword) => void }) {
  const record = useRecordContext<ApplicantRow>();
  const notify = useNotify();
  if (!record) return null;
  return (
    <Button
      label="重置密码"
      onClick={async (e) => {
        e.stopPropagation();
        try {
          const { initialPassword } = await api<{ initialPassword: string }>(`/api/applicants/${record.id}/reset-password`, { method: 'POST' });
          onPassword({ username: record.login, displayName: record.displayName, password: initialPassword });
        } catch (err) {
          notify((err as Error).message, { type: 'error' });
        }
      }}
    >
      <KeyIcon />
    </Button>
  );
}

type PiiField = 'idNumber' | 'phone';
const PII_LABELS: Record<PiiField, string> = { idNumber: '身份证号码', phone: '手机号码' };

/**
 * A masked number of the list with 查看: the full number comes from the audited
 * `GET /api/applicants/:id/pii` and is shown in a small dialog (the list stays masked).
 */
function MaskedNumber({ field }: { field: PiiField }) {
  const record = useRecordContext<ApplicantRow>();
  const notify = useNotify();
  const [full, setFull] = useState<string | null>(null);
  if (!record) return null;
  const masked = record[field];
  if (!masked) return null;
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.5, flexWrap: 'wrap' }}>
      <span>{masked}</span>
      <MuiButton
        size="small"
        sx={{ minWidth: 0, px: 0.5 }}
        data-testid={`pii-view-${field}`}
        title={`查看完整${PII_LABELS[field]}（记入操作审计）`}
        onClick={async (e) => {
          e.stopPropagation();
          try {
            const r = await api<{ value: string | null }>(`/api/applicants/${record.id}/pii?field=${field}`);
            setFull(r.value ?? '—');
          } catch (err) {
            notify((err as Error).message, { type: 'error' });
          }
        }}
      >
        查看
      </MuiButton>
      <Dialog open={full !== null} onClose={() => setFull(null)} data-testid="pii-dialog">
        <DialogTitle>
          {record.displayName}的{PII_LABELS[field]}
        </DialogTitle>
        <DialogContent>
          <Typography variant="h6" component="p" sx={{ fontFamily: 'monospace', letterSpacing: 1, overflowWrap: 'anywhere' }} data-testid="pii-value">
            {full}
          </Typography>
          <DialogContentText variant="caption">本次查看已记入操作审计。</DialogContentText>
        </DialogContent>
        <DialogActions>
          <MuiButton onClick={() => setFull(null)}>关闭</MuiButton>
        </DialogActions>
      </Dialog>
    </Box>
  );
}

/** 解锁: lifts the lock that five wrong passwords put on an applicant's account. */
function UnlockApplicant() {
  const record = useRecordContext<ApplicantRow>();
  const notify = useNotify();
  const refresh = useRefresh();
  if (!record?.loginLockedUntil) return null;
  return (
    <Button
      label="解锁"
      data-testid="unlock-login"
      onClick={async (e) => {
        e.stopPropagation();
        try {
          await api(`/api/applicants/${record.id}/unlock`, { method: 'POST' });
          notify(`已解除 ${record.displayName} 的登录锁定`, { type: 'success' });
          refresh();
        } catch (err) {
          notify((err as Error).message, { type: 'error' });
        }
      }}
    >
      <LockOpenIcon />
    </Button>
  );
}

/** 申报人账号: the unit opens accounts for its staff who apply (login with the ID number). */
export function ApplicantList() {
  const [creating, setCreating] = useState(false);
  const [password, setPassword] = useState<InitialPassword | null>(null);
  const refresh = useRefresh();
  return (
    <>
      <List
        resource="applicants"
        title="申报人账号"
        perPage={25}
        filters={[<TextInput key="q" source="q" label="姓名或完整身份证号" alwaysOn />]}
        actions={
          <TopToolbar>
            <Button label="开设申报账号" onClick={() => setCreating(true)} data-testid="add-applicant">
              <AddIcon />
            </Button>
          </TopToolbar>
        }
      >
        <Datagrid bulkActionButtons={false} rowClick={false}>
          <TextField source="displayName" label="姓名" />
          <FunctionField label="身份证号码（登录账号）" render={() => <MaskedNumber field="idNumber" />} />
          <TextField source="sex" label="性别" sortable={false} />
          <TextField source="birthDate" label="出生日期" sortable={false} />
          <FunctionField label="手机号码" render={() => <MaskedNumber field="phone" />} />
          <TextField source="unitName" label="工作单位" sortable={false} />
          <FunctionField label="最近登录" render={(r: ApplicantRow) => formatDateTime(r.lastLoginAt) || (r.mustChangePassword ? '未登录（待改初始密码）' : '从未登录')} />
          <FunctionField label="登录锁定" render={(r: ApplicantRow) => (r.loginLockedUntil ? `锁定至 ${formatDateTime(r.loginLockedUntil)}` : '')} />
          <ResetApplicantPassword onPassword={setPassword} />
          <UnlockApplicant />
        </Datagrid>
      </List>
      <Dialog open={creating} onClose={() => setCreating(false)} fullWidth maxWidth="sm">
        <DialogTitle>开设申报账号</DialogTitle>
        <ResourceContextProvider value="applicants">
          <Form>
            <DialogContent>
              <TextInput source="displayName" label="姓名" validate={required()} fullWidth />
              <TextInput source="idNumber" label="身份证号码" validate={required()} helperText="申报人以身份证号登录；一个身份证号只能有一个账号" fullWidth />
              <TextInput source="phone" label="手机号码" validate={required()} fullWidth />
            </DialogContent>
            <DialogActions>
              <MuiButton onClick={() => setCreating(false)}>取消</MuiButton>
              <ServerSubmit
                label="开设账号"
                onSubmit={async (values) => {
                  const created = await api<ApiResponse<'/api/applicants', 'post'>>('/api/applicants', { method: 'POST', json: values });
                  setCreating(false);
                  setPassword({ username: created.applicant.login, displayName: created.applicant.displayName, password: created.initialPassword });
                  refresh();
                }}
              />
            </DialogActions>
          </Form>
        </ResourceContextProvider>
      </Dialog>
      <InitialPasswordDialog value={password} onClose={() => setPassword(null)} />
    </>
  );
}

function UnlockSelected() {
  const { selectedIds } = useListContext();
  const notify = useNotify();
  const refresh = useRefresh();
  const unselectAll = useUnselectAll('locked-accounts');
  const [busy, setBusy] = useState(false);
  return (
    <Button
      label={`解禁所选（${selectedIds.length}）`}
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        const failures: string[] = [];
        for (const id of selectedIds) {
          try {
            await api(`/api/staff/${id}/enable`, { method: 'POST' });
          } catch (err) {
            failures.push((err as Error).message);
          }
        }
        setBusy(false);
        unselectAll();
        refresh();
        notify(failures.length ? `已解禁 ${selectedIds.length - failures.length} 个，失败 ${failures.length} 个：${failures[0]}` : `已解禁 ${selectedIds.length} 个账号`, { type: failures.length ? 'warning' : 'success' });
      }}
    >
      <LockOpenIcon />
    </Button>
  );
}

/** 账号解禁: HR-bureau accounts below the caller disabled after 3 months without login. */
export function LockedAccountList() {
  return (
    <List resource="locked-accounts" title="账号解禁" perPage={50} empty={false}>
      <Datagrid bulkActionButtons={<UnlockSelected />} rowClick={false} data-testid="locked-accounts">
        <TextField source="username" label="登录账号" sortable={false} />
        <TextField source="displayName" label="姓名" sortable={false} />
        <TextField source="unitName" label="单位" sortable={false} />
        <FunctionField label="最近登录" render={(r: StaffRow) => formatDateTime(r.lastLoginAt) || '从未登录'} />
        <FunctionField label="停用原因" render={(r: StaffRow) => r.disabledReasonName ?? ''} />
      </Datagrid>
    </List>
  );
}
