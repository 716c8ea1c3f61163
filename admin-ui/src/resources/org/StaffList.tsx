import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Chip, Dialog, DialogActions, DialogContent, DialogTitle, Button as MuiButton, Stack } from '@mui/material';
import {
  Button,
  Datagrid,
  Form,
  FunctionField,
  List,
  ResourceContextProvider,
  SelectArrayInput,
  SelectInput,
  TextField,
  TextInput,
  TopToolbar,
  required,
  useNotify,
  useRecordContext,
  useRefresh,
} from 'react-admin';
import { useSearchParams } from 'react-router-dom';
import AddIcon from '@mui/icons-material/Add';
import EditIcon from '@mui/icons-material/Edit';
import BlockIcon from '@mui/icons-material/Block';
import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import KeyIcon from '@mui/icons-material/Key';
import LockOpenIcon from '@mui/icons-material/LockOpen';
import { api } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ServerSubmit } from '../../components/ServerSubmit.tsx';
import { InitialPasswordDialog, type InitialPassword } from '../../components/InitialPasswordDialog.tsx';
import { withoutEmpty } from './UnitDetails.tsx';
import type { ApiResponse } from '../../api-types.ts';

export type StaffRow = ApiResponse<'/api/staff'>[number];

type RoleChoice = Pick<ApiResponse<'/api/roles'>[number], 'id' | 'name'>;

function useRoles(unitId: number | null, enabled: boolean) {
  return useQuery({ queryKey: ['roles', unitId], queryFn: () => api<RoleChoice[]>(`/api/roles${unitId ? `?unitId=${unitId}` : ''}`), enabled });
}

function StaffDialog({ open, onClose, record, unitId, onCreated }: { open: boolean; onClose: () => void; record?: StaffRow; unitId: number | null; onCreated?: (p: InitialPassword) => void }) {
  const notify = useNotify();
  const refresh = useRefresh();
  // the roles of the staff member's unit: the built-in ones of its type and its own
  const { data: choices = [] } = useRoles(unitId, open);
  // the list shows ID and phone numbers masked: editing starts from the full record (an audited view)
  const { data: full } = useQuery({ queryKey: ['staff', record?.id], queryFn: () => api<StaffRow>(`/api/staff/${record!.id}`), enabled: open && record != null });
  const shown = record ? full : undefined;
  if (record && !shown) return <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm"><DialogTitle>修改工作人员：{record.displayName}</DialogTitle></Dialog>;
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>{record ? `修改工作人员：${record.displayName}` : '新增工作人员'}</DialogTitle>
      <ResourceContextProvider value="staff">
        <Form defaultValues={shown ? { displayName: shown.displayName, idNumber: shown.idNumber ?? '', phone: shown.phone ?? '', roles: shown.roles } : { roles: [] }}>
          <DialogContent>
            {record ? null : <TextInput source="username" label="登录账号" validate={required()} helperText="4–32 位，以字母开头" fullWidth />}
            <TextInput source="displayName" label="姓名" validate={required()} fullWidth />
            <TextInput source="idNumber" label="身份证号码" fullWidth />
            <TextInput source="phone" label="手机号码" fullWidth />
            <SelectArrayInput source="roles" label="角色" choices={choices} validate={required()} fullWidth helperText="工作人员获得所分配角色的全部权限" />
          </DialogContent>
          <DialogActions>
            <MuiButton onClick={onClose}>取消</MuiButton>
            <ServerSubmit
              label="保存"
              testId="save-staff"
              onSubmit={async (values) => {
                const body = withoutEmpty(values);
                if (record) {
                  await api(`/api/staff/${record.id}`, { method: 'PUT', json: { ...body, version: record.version } });
                  notify('已保存', { type: 'success' });
                } else {
                  const created = await api<ApiResponse<'/api/staff', 'post'>>('/api/staff', { method: 'POST', json: { ...body, ...(unitId ? { unitId } : {}) } });
                  onCreated?.({ username: created.staff.username, displayName: created.staff.displayName, password: created.initialPassword });
                }
                onClose();
                refresh();
              }}
            />
          </DialogActions>
        </Form>
      </ResourceContextProvider>
    </Dialog>
  );
}

function RowActions({ unitId, onPassword }: { unitId: number | null; onPassword: (p: InitialPassword) => void }) {
  const record = useRecordContext<StaffRow>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [editing, setEditing] = useState(false);
  if (!record) return null;
  const post = async (path: string, done: string) => {
    try {
      const result = await api<{ initialPassword?: string }>(`/api/staff/${record.id}/${path}`, { method: 'POST' });
      if (result?.initialPassword) onPassword({ username: record.username, displayName: record.displayName, password: result.initialPassword });
      else notify(done, { type: 'success' });
      refresh();
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
    }
  };
  return (
    <Stack direction="row" onClick={(e) => e.stopPropagation()}>
      <Button label="修改" onClick={() => setEditing(true)}>
        <EditIcon />
      </Button>
      {record.status === 'active' ? (
        <Button label="停用" color="error" onClick={() => void post('disable', `已停用 ${record.displayName} 的账号`)}>
          <BlockIcon />
        </Button>
      ) : (
        <Button label="启用" onClick={() => void post('enable', `已启用 ${record.displayName} 的账号`)}>
          <CheckCircleIcon />
        </Button>
      )}
      <Button label="重置密码" onClick={() => void post('reset-password', '')}>
        <KeyIcon />
      </Button>
      {record.loginLockedUntil ? (
        <Button label="解锁" data-testid="unlock-login" onClick={() => void post('unlock', `已解除 ${record.displayName} 的登录锁定`)}>
          <LockOpenIcon />
        </Button>
      ) : null}
      <StaffDialog open={editing} onClose={() => setEditing(false)} record={record} unitId={unitId} />
    </Stack>
  );
}

/** 工作人员管理: staff of the caller's unit (or, from 下级单位管理, of a unit below). */
export function StaffList() {
  const [params] = useSearchParams();
  const unitId = params.get('unitId') ? Number(params.get('unitId')) : null;
  const [creating, setCreating] = useState(false);
  const [password, setPassword] = useState<InitialPassword | null>(null);
  return (
    <>
      <List
        resource="staff"
        title="工作人员管理"
        filter={unitId ? { unitId } : {}}
        perPage={25}
        sort={{ field: 'id', order: 'ASC' }}
        filters={[
          <TextInput key="q" source="q" label="姓名或账号" alwaysOn />,
          <SelectInput
            key="status"
            source="status"
            label="状态"
            choices={[
              { id: 'active', name: '正常' },
              { id: 'disabled', name: '已停用' },
            ]}
          />,
        ]}
        actions={
          <TopToolbar>
            <Button label="新增工作人员" onClick={() => setCreating(true)} data-testid="add-staff">
              <AddIcon />
            </Button>
          </TopToolbar>
        }
      >
        <Datagrid bulkActionButtons={false} rowClick={false} data-testid="staff">
          <TextField source="username" label="登录账号" />
          <TextField source="displayName" label="姓名" />
          <TextField source="unitName" label="单位" sortable={false} />
          <TextField source="phone" label="手机号码" sortable={false} />
          <FunctionField label="角色" render={(r: StaffRow) => <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: 'wrap' }}>{r.roleNames.map((n) => <Chip key={n} size="small" label={n} />)}</Stack>} />
          <FunctionField
            label="状态"
            render={(r: StaffRow) =>
              r.disabledReasonName
                ? `${r.statusName}（${r.disabledReasonName}）`
                : r.loginLockedUntil
                  ? `密码错误次数过多，锁定至 ${formatDateTime(r.loginLockedUntil)}`
                  : r.mustChangePassword
                    ? `${r.statusName}（待改初始密码）`
                    : r.statusName
            }
          />
          <FunctionField label="最近登录" sortBy="lastLoginAt" render={(r: StaffRow) => formatDateTime(r.lastLoginAt) || '从未登录'} />
          <RowActions unitId={unitId} onPassword={setPassword} />
        </Datagrid>
      </List>
      <StaffDialog open={creating} onClose={() => setCreating(false)} unitId={unitId} onCreated={setPassword} />
      <InitialPasswordDialog value={password} onClose={() => setPassword(null)} />
    </>
  );
}
