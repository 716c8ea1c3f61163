import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Box,
  Button as MuiButton,
  Card,
  CardContent,
  CardHeader,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  LinearProgress,
  Stack,
  Step,
  StepLabel,
  Stepper,
  TextField as MuiTextField,
} from '@mui/material';
import {
  Button,
  CreateButton,
  Datagrid,
  FilterButton,
  Form,
  FunctionField,
  List,
  ResourceContextProvider,
  SelectInput,
  TextField,
  TextInput,
  Title,
  TopToolbar,
  required,
  useListContext,
  useNotify,
  useRecordContext,
  useRefresh,
} from 'react-admin';
import { useFormContext } from 'react-hook-form';
import { useNavigate, useParams } from 'react-router-dom';
import DownloadIcon from '@mui/icons-material/Download';
import EditIcon from '@mui/icons-material/Edit';
import BadgeIcon from '@mui/icons-material/Badge';
import BlockIcon from '@mui/icons-material/Block';
import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import { api } from '../../lib/api.ts';
import { downloadFrom } from '../../lib/download.ts';
import { FormFields } from '../../components/FormFields.tsx';
import { ServerSubmit } from '../../components/ServerSubmit.tsx';
import { InitialPasswordDialog, type InitialPassword } from '../../components/InitialPasswordDialog.tsx';
import { editableOf, UnitSummary, withoutEmpty, type UnitRecord } from './UnitDetails.tsx';
import type { ApiResponse } from '../../api-types.ts';
import { choicesOf, useLabels } from '../../lib/labels.ts';

type Row = ApiResponse<'/api/subordinate-units'>[number];

function useCreatableTypes() {
  return useQuery({ queryKey: ['creatable-types'], queryFn: () => api<Array<{ id: string; name: string }>>('/api/subordinate-units/creatable-types') });
}

function StatusButton() {
  const record = useRecordContext<Row>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!record) return null;
  if (record.status === 'inactive') {
    return (
      <Button
        label="启用"
        onClick={async (e) => {
          e.stopPropagation();
          try {
            await api(`/api/subordinate-units/${record.id}/activate`, { method: 'POST' });
            notify(`“${record.name}”已启用`, { type: 'success' });
            refresh();
          } catch (err) {
            notify((err as Error).message, { type: 'error' });
          }
        }}
      >
        <CheckCircleIcon />
      </Button>
    );
  }
  return (
    <>
      <Button label="停用" color="error" onClick={(e) => { e.stopPropagation(); setReason(''); setError(null); setOpen(true); }}>
        <BlockIcon />
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="sm" onClick={(e) => e.stopPropagation()}>
        <DialogTitle>停用“{record.name}”</DialogTitle>
        <DialogContent>
          {error ? <Alert severity="error" sx={{ mb: 2 }} data-testid="deactivate-error">{error}</Alert> : null}
          <MuiTextField fullWidth autoFocus label="停用原因" value={reason} onChange={(e) => setReason(e.target.value)} helperText="单位不会被删除，停用后可以重新启用；有下级单位、在用的工作人员或办理中的申报时不能停用" />
        </DialogContent>
        <DialogActions>
          <MuiButton onClick={() => setOpen(false)}>取消</MuiButton>
          <MuiButton
            color="error"
            variant="contained"
            onClick={async () => {
              try {
                await api(`/api/subordinate-units/${record.id}/deactivate`, { method: 'POST', json: { reason } });
                notify(`“${record.name}”已停用`, { type: 'success' });
                setOpen(false);
                refresh();
              } catch (err) {
                setError((err as Error).message);
              }
            }}
          >
            确定停用
          </MuiButton>
        </DialogActions>
      </Dialog>
    </>
  );
}

function RowActions() {
  const record = useRecordContext<Row>();
  const navigate = useNavigate();
  if (!record) return null;
  return (
    <Stack direction="row">
      <Button label="编辑" onClick={(e) => { e.stopPropagation(); navigate(`/subordinate-units/${record.id}`); }}>
        <EditIcon />
      </Button>
      <Button label="工作人员" onClick={(e) => { e.stopPropagation(); navigate(`/staff?unitId=${record.id}`); }}>
        <BadgeIcon />
      </Button>
      <StatusButton />
    </Stack>
  );
}

function ListActions() {
  const [busy, setBusy] = useState(false);
  const notify = useNotify();
  const { filterValues } = useListContext();
  return (
    <TopToolbar>
      <FilterButton />
      <CreateButton label="新增下级单位" />
      <Button
        label="导出 Excel"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            await downloadFrom(`/api/subordinate-units/export?filter=${encodeURIComponent(JSON.stringify(filterValues ?? {}))}`, '下级单位.xlsx');
          } catch (err) {
            notify((err as Error).message, { type: 'error' });
          } finally {
            setBusy(false);
          }
        }}
      >
        <DownloadIcon />
      </Button>
    </TopToolbar>
  );
}

/** 下级单位管理 › 下级单位信息管理: every unit below the caller's, searchable, exportable. */
export function SubordinateUnitList() {
  const { unitTypes, unitStatuses } = useLabels();
  // a registering unit is under no parent until approved, so never in this list
  const statuses = choicesOf(unitStatuses).filter((c) => c.id !== 'registering');
  return (
    <List
      resource="subordinate-units"
      title="下级单位管理"
      sort={{ field: 'path', order: 'ASC' }}
      perPage={25}
      actions={<ListActions />}
      filters={[
        <TextInput key="q" source="q" label="名称或信用代码" alwaysOn />,
        <SelectInput key="unitType" source="unitType" label="单位类型" choices={choicesOf(unitTypes)} />,
        <SelectInput key="status" source="status" label="状态" choices={statuses} />,
      ]}
    >
      <Datagrid bulkActionButtons={false} rowClick={false} data-testid="subordinate-units">
        <TextField source="name" label="单位名称" />
        <TextField source="creditCode" label="统一社会信用代码" sortable={false} />
        <TextField source="unitTypeName" label="单位类型" sortable={false} />
        <TextField source="parentName" label="上级单位" sortable={false} />
        <TextField source="regionName" label="职称业务归属地" sortable={false} />
        <FunctionField label="状态" render={(r: Row) => r.statusName} />
        <RowActions />
      </Datagrid>
    </List>
  );
}

const STEPS = ['维护基本信息', '维护法人信息', '添加经办人员'];
const STEP_FIELDS: Array<string[]> = [
  ['creditCode', 'deriveCreditCode', 'name', 'nature', 'unitType', 'regionCode', 'phone', 'address', 'licence'],
  ['legalRepName', 'legalRepIdNumber', 'legalRepPhone'],
  ['username', 'displayName', 'idNumber', 'clerkPhone'],
];

function DeriveCode() {
  const { watch, setValue } = useFormContext();
  const derive = Boolean(watch('deriveCreditCode'));
  return (
    <FormControlLabel
      control={<Checkbox checked={derive} onChange={(e) => setValue('deriveCreditCode', e.target.checked)} />}
      label="没有独立的统一社会信用代码：由本单位代码加两位序号派生"
    />
  );
}

function WizardStep({ step, types }: { step: number; types: Array<{ id: string; name: string }> }) {
  const { watch } = useFormContext();
  const derive = Boolean(watch('deriveCreditCode'));
  return (
    <>
      <Box sx={{ display: step === 0 ? 'block' : 'none' }}>
        <DeriveCode />
        <FormFields formKey="unit-basic" omit={derive ? ['creditCode'] : []} />
        <SelectInput source="unitType" label="单位类型" choices={types} validate={required()} helperText="只能选择本单位权限内的单位类型" fullWidth />
      </Box>
      <Box sx={{ display: step === 1 ? 'block' : 'none' }}>
        <FormFields formKey="unit-legal-rep" />
      </Box>
      <Box sx={{ display: step === 2 ? 'block' : 'none' }}>
        <ResourceContextProvider value="unit-clerk">
          <FormFields formKey="unit-clerk" omit={['phone']} />
        </ResourceContextProvider>
        <TextInput source="clerkPhone" label="经办人手机号码" validate={required()} fullWidth />
      </Box>
    </>
  );
}

function WizardButtons({ step, setStep, onCreated }: { step: number; setStep: (n: number) => void; onCreated: (p: InitialPassword) => void }) {
  const { trigger } = useFormContext();
  const next = async () => {
    if (await trigger(STEP_FIELDS[step])) setStep(step + 1);
  };
  return (
    <Stack direction="row" spacing={1} sx={{ mt: 2 }}>
      {step > 0 ? <MuiButton onClick={() => setStep(step - 1)}>上一步</MuiButton> : null}
      {step < STEPS.length - 1 ? (
        <MuiButton variant="contained" onClick={() => void next()} data-testid="wizard-next">
          下一步
        </MuiButton>
      ) : (
        <ServerSubmit
          label="完成"
          testId="wizard-finish"
          prefixes={['unit.', 'admin.']}
          rename={{ 'admin.phone': 'clerkPhone' }}
          onFieldErrors={(fields) => {
            const first = STEP_FIELDS.findIndex((names) => fields.some((f) => names.includes(f)));
            if (first >= 0) setStep(first);
          }}
          onSubmit={async (values) => {
            const v = withoutEmpty(values);
            const unit = Object.fromEntries(Object.entries(v).filter(([k]) => [...STEP_FIELDS[0]!, ...STEP_FIELDS[1]!].includes(k)));
            const admin = { username: v.username, displayName: v.displayName, idNumber: v.idNumber, phone: v.clerkPhone };
            const result = await api<ApiResponse<'/api/subordinate-units', 'post'>>('/api/subordinate-units', {
              method: 'POST',
              json: { unit, admin: withoutEmpty(admin) },
            });
            // a clerk created by the parent always gets a one-time password (null only for self-chosen ones)
            onCreated({ username: result.admin.username, displayName: `${result.unit.name} · ${result.admin.displayName}`, password: result.admin.initialPassword ?? '' });
          }}
        />
      )}
    </Stack>
  );
}

/** 新增下级单位: basic information, legal person, and the first clerk (the new unit's super admin), in three steps. */
export function SubordinateUnitCreate() {
  const [step, setStep] = useState(0);
  const [created, setCreated] = useState<InitialPassword | null>(null);
  const navigate = useNavigate();
  const { data: types } = useCreatableTypes();
  if (!types) return <LinearProgress />;
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="新增下级单位" />
      <Card>
        <CardHeader title="新增下级单位" />
        <CardContent>
          <Stepper activeStep={step} sx={{ mb: 3 }}>
            {STEPS.map((label) => (
              <Step key={label}>
                <StepLabel>{label}</StepLabel>
              </Step>
            ))}
          </Stepper>
          <ResourceContextProvider value="subordinate-units">
            <Form defaultValues={{ deriveCreditCode: false, unitType: types.length === 1 ? types[0]!.id : undefined }}>
              <WizardStep step={step} types={types} />
              <WizardButtons step={step} setStep={setStep} onCreated={setCreated} />
            </Form>
          </ResourceContextProvider>
        </CardContent>
      </Card>
      <InitialPasswordDialog
        value={created}
        onClose={() => {
          setCreated(null);
          navigate('/subordinate-units');
        }}
      />
    </Box>
  );
}

/** 编辑下级单位信息 */
export function SubordinateUnitEdit() {
  const { id } = useParams<{ id: string }>();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { data: unit, error } = useQuery({ queryKey: ['subordinate-unit', id], queryFn: () => api<UnitRecord>(`/api/subordinate-units/${id}`) });
  const { data: types } = useCreatableTypes();
  if (error) return <Alert severity="error">{(error as Error).message}</Alert>;
  if (!unit || !types) return <LinearProgress />;
  const choices = types.some((t) => t.id === unit.unitType) ? types : [...types, { id: unit.unitType, name: unit.unitTypeName }];
  return (
    <Box sx={{ mt: 2 }}>
      <Title title={`编辑下级单位：${unit.name}`} />
      <Stack spacing={2}>
        <Card>
          <CardContent>
            <UnitSummary unit={unit} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader title="维护基本信息" />
          <CardContent>
            <ResourceContextProvider value="subordinate-units">
              <Form key={unit.version} defaultValues={editableOf(unit)}>
                <FormFields formKey="unit-basic" />
                <SelectInput source="unitType" label="单位类型" choices={choices} validate={required()} fullWidth />
                <FormFields formKey="unit-legal-rep" />
                <Stack direction="row" spacing={1}>
                  <ServerSubmit
                    label="保存"
                    onSubmit={async (values) => {
                      await api(`/api/subordinate-units/${unit.id}`, { method: 'PUT', json: { ...withoutEmpty(values), version: unit.version } });
                      notify('下级单位信息已保存', { type: 'success' });
                      await queryClient.invalidateQueries({ queryKey: ['subordinate-unit', id] });
                    }}
                  />
                  <MuiButton onClick={() => navigate('/subordinate-units')}>返回列表</MuiButton>
                </Stack>
              </Form>
            </ResourceContextProvider>
          </CardContent>
        </Card>
      </Stack>
    </Box>
  );
}
