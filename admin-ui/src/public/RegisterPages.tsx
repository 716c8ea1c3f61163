import { useEffect, useState, type ReactNode } from 'react';
import { Alert, Autocomplete, Box, Button, Card, CardContent, CardHeader, Checkbox, Container, FormControlLabel, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { Link as RouterLink } from 'react-router-dom';
import { api, fieldErrors } from '../lib/api.ts';
import { useLabels } from '../lib/labels.ts';
import type { ApiResponse } from '../api-types.ts';

type PublicUnit = ApiResponse<'/api/public/units'>[number];
type Region = ApiResponse<'/api/regions'>[number];

/** Approved units by name, for a registration form (public). */
function UnitPicker({ label, value, onChange, error, helperText }: { label: string; value: PublicUnit | null; onChange: (u: PublicUnit | null) => void; error?: string; helperText?: string }) {
  const [query, setQuery] = useState('');
  const [options, setOptions] = useState<PublicUnit[]>([]);
  useEffect(() => {
    if (query.trim().length < 2) return;
    const timer = setTimeout(() => {
      api<PublicUnit[]>(`/api/public/units?q=${encodeURIComponent(query.trim())}`).then(setOptions, () => setOptions([]));
    }, 250);
    return () => clearTimeout(timer);
  }, [query]);
  return (
    <Autocomplete
      options={options}
      value={value}
      filterOptions={(x) => x}
      getOptionLabel={(u) => u.name}
      isOptionEqualToValue={(a, b) => a.id === b.id}
      onChange={(_e, v) => onChange(v)}
      onInputChange={(_e, v) => setQuery(v)}
      noOptionsText={query.trim().length < 2 ? '请输入至少 2 个字' : '没有找到已通过审核的单位'}
      renderOption={(props, u) => (
        <li {...props} key={u.id}>
          <Box>
            <Typography>{u.name}</Typography>
            <Typography variant="caption" color="text.secondary">
              {u.unitTypeName} · {u.regionName ?? ''}
            </Typography>
          </Box>
        </li>
      )}
      renderInput={(params) => <TextField {...params} label={label} required error={Boolean(error)} helperText={error ?? helperText} />}
    />
  );
}

function RegionPicker({ value, onChange, error, label = '职称业务归属地', helperText = '办理职称业务的归属地，非单位所在地：省属单位选“四川省（省本级）”，市属单位选对应市（市本级）' }: { value: string; onChange: (code: string) => void; error?: string; label?: string; helperText?: string }) {
  const [regions, setRegions] = useState<Region[]>([]);
  useEffect(() => {
    api<Region[]>('/api/regions').then(setRegions, () => setRegions([]));
  }, []);
  return (
    <Autocomplete
      options={regions}
      value={regions.find((r) => r.id === value) ?? null}
      getOptionLabel={(r) => r.label}
      isOptionEqualToValue={(a, b) => a.id === b.id}
      onChange={(_e, v) => onChange(v?.id ?? '')}
      renderInput={(params) => (
        <TextField {...params} label={label} required error={Boolean(error)} helperText={error ?? helperText} />
      )}
    />
  );
}

function PublicShell({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Box sx={{ minHeight: '100vh', bgcolor: 'grey.100', py: 4 }}>
      <Container maxWidth="sm">
        <Typography variant="h5" sx={{ mb: 2, textAlign: 'center' }}>
          职称评审信息系统
        </Typography>
        <Card>
          <CardHeader title={title} />
          <CardContent>{children}</CardContent>
        </Card>
        <Typography sx={{ mt: 2, textAlign: 'center' }}>
          <RouterLink to="/login">返回登录</RouterLink>
        </Typography>
      </Container>
    </Box>
  );
}

/** 单位注册: a unit and its first clerk register; after login the unit completes 用户权限申请 for its parent. */
export function RegisterUnitPage() {
  const [form, setForm] = useState({ creditCode: '', name: '', nature: 'enterprise', unitType: 'employer', regionCode: '', phone: '', username: '', displayName: '', idNumber: '', adminPhone: '', password: '', repeat: '' });
  const [parent, setParent] = useState<PublicUnit | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [done, setDone] = useState<{ username: string; parentName: string } | null>(null);
  const { unitNatures, registrableUnitTypes } = useLabels();
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });
  const err = (key: string) => errors[key];

  const submit = async () => {
    if (form.password !== form.repeat) {
      setErrors({ repeat: '两次输入的密码不一致' });
      return;
    }
    try {
      const result = await api<{ username: string; parentName: string }>('/api/registrations', {
        method: 'POST',
        json: {
          unit: { creditCode: form.creditCode, name: form.name, nature: form.nature, unitType: form.unitType, regionCode: form.regionCode, phone: form.phone, parentId: parent?.id ?? 0 },
          admin: { username: form.username, displayName: form.displayName, idNumber: form.idNumber, phone: form.adminPhone, password: form.password },
        },
      });
      setDone(result);
    } catch (e) {
      const fields = fieldErrors(e);
      setErrors(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k === 'admin.phone' ? 'adminPhone' : k.replace(/^(unit|admin)\./, ''), v])));
      setMessage((e as Error).message);
    }
  };

  if (done) {
    return (
      <PublicShell title="单位注册">
        <Alert severity="success" data-testid="registered">
          注册成功。请使用账号 <b>{done.username}</b> 登录，在待办事项的“用户权限申请”中完善单位信息并提交“{done.parentName}”审核；审核通过后开放申报、经办功能。
        </Alert>
      </PublicShell>
    );
  }
  return (
    <PublicShell title="单位注册">
      <Stack spacing={2} component="form" onSubmit={(e) => { e.preventDefault(); void submit(); }} data-testid="register-unit">
        {message ? <Alert severity="error">{message}</Alert> : null}
        <Typography variant="subtitle2">单位信息</Typography>
        <TextField label="统一社会信用代码" value={form.creditCode} onChange={set('creditCode')} required error={Boolean(err('creditCode'))} helperText={err('creditCode') ?? '18 位'} />
        <TextField label="单位名称" value={form.name} onChange={set('name')} required error={Boolean(err('name'))} helperText={err('name')} />
        <TextField select label="单位性质" value={form.nature} onChange={set('nature')} required>
          {Object.entries(unitNatures).map(([id, name]) => (
            <MenuItem key={id} value={id}>
              {name}
            </MenuItem>
          ))}
        </TextField>
        <TextField select label="单位类型" value={form.unitType} onChange={set('unitType')} required error={Boolean(err('unitType'))} helperText={err('unitType') ?? '人社部门账号由上级人社部门开设'}>
          {Object.entries(registrableUnitTypes).map(([id, name]) => (
            <MenuItem key={id} value={id}>
              {name}
            </MenuItem>
          ))}
        </TextField>
        <UnitPicker label="上级单位" value={parent} onChange={setParent} error={err('parentId')} helperText="职称业务的上级部门，例如市教育局的上级单位是市人社局" />
        <RegionPicker value={form.regionCode} onChange={(regionCode) => setForm({ ...form, regionCode })} error={err('regionCode')} />
        <TextField label="联系电话" value={form.phone} onChange={set('phone')} required error={Boolean(err('phone'))} helperText={err('phone')} />
        <Typography variant="subtitle2">经办人（本单位超级管理员）</Typography>
        <TextField label="登录账号" value={form.username} onChange={set('username')} required error={Boolean(err('username'))} helperText={err('username') ?? '4–32 位，以字母开头'} />
        <TextField label="经办人姓名" value={form.displayName} onChange={set('displayName')} required error={Boolean(err('displayName'))} helperText={err('displayName')} />
        <TextField label="经办人身份证号码" value={form.idNumber} onChange={set('idNumber')} required error={Boolean(err('idNumber'))} helperText={err('idNumber')} />
        <TextField label="经办人手机号码" value={form.adminPhone} onChange={set('adminPhone')} required error={Boolean(err('adminPhone'))} helperText={err('adminPhone')} />
        <TextField type="password" label="密码" value={form.password} onChange={set('password')} required error={Boolean(err('password'))} helperText={err('password') ?? '至少 8 位，包含大写字母、小写字母、数字、符号中的至少三类'} autoComplete="new-password" />
        <TextField type="password" label="确认密码" value={form.repeat} onChange={set('repeat')} required error={Boolean(err('repeat'))} helperText={err('repeat')} autoComplete="new-password" />
        <Button type="submit" variant="contained">
          注册
        </Button>
      </Stack>
    </PublicShell>
  );
}

/** 申报人注册: real name, ID number (the login), phone, password, and the employer among approved units. */
export function RegisterApplicantPage() {
  const [form, setForm] = useState({ displayName: '', idNumber: '', phone: '', password: '', repeat: '' });
  const [employer, setEmployer] = useState<PublicUnit | null>(null);
  // 非公 / 自由职业 professionals without an employer apply through the HR bureau of their 属地
  const [freelance, setFreelance] = useState(false);
  const [regionCode, setRegionCode] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });

  const submit = async () => {
    if (form.password !== form.repeat) {
      setErrors({ repeat: '两次输入的密码不一致' });
      return;
    }
    try {
      await api<{ username: string }>('/api/applicants/register', {
        method: 'POST',
        json: { displayName: form.displayName, idNumber: form.idNumber, phone: form.phone, password: form.password, ...(freelance ? { regionCode } : { employerId: employer?.id ?? 0 }) },
      });
      // they sign in with the ID number they typed (the system login name is not theirs to remember)
      setDone(form.idNumber.trim().toUpperCase());
    } catch (e) {
      setErrors(fieldErrors(e));
      setMessage((e as Error).message);
    }
  };

  if (done) {
    return (
      <PublicShell title="申报人注册">
        <Alert severity="success" data-testid="registered">
          注册成功。请使用身份证号 <b>{done}</b> 和您设置的密码登录。
        </Alert>
      </PublicShell>
    );
  }
  return (
    <PublicShell title="申报人注册">
      <Stack spacing={2} component="form" onSubmit={(e) => { e.preventDefault(); void submit(); }} data-testid="register-applicant">
        {message ? <Alert severity="error">{message}</Alert> : null}
        <TextField label="姓名" value={form.displayName} onChange={set('displayName')} required error={Boolean(errors.displayName)} helperText={errors.displayName ?? '与身份证一致的真实姓名'} />
        <TextField label="身份证号码" value={form.idNumber} onChange={set('idNumber')} required error={Boolean(errors.idNumber)} helperText={errors.idNumber ?? '登录账号；一个身份证号只能注册一个账号'} />
        <TextField label="手机号码" value={form.phone} onChange={set('phone')} required error={Boolean(errors.phone)} helperText={errors.phone} />
        <FormControlLabel
          control={<Checkbox checked={freelance} onChange={(e) => setFreelance(e.target.checked)} data-testid="freelance" />}
          label="没有工作单位（非公有制经济组织、社会组织、自由职业专业技术人员）"
        />
        {freelance ? (
          <RegionPicker label="属地" value={regionCode} onChange={setRegionCode} error={errors.regionCode ?? errors.employerId} helperText="工作所在的县（市、区）；由属地人社部门受理您的职称申报" />
        ) : (
          <UnitPicker label="工作单位" value={employer} onChange={setEmployer} error={errors.employerId} helperText="从已通过审核的单位中选择" />
        )}
        <TextField type="password" label="密码" value={form.password} onChange={set('password')} required error={Boolean(errors.password)} helperText={errors.password ?? '至少 8 位，包含大写字母、小写字母、数字、符号中的至少三类'} autoComplete="new-password" />
        <TextField type="password" label="确认密码" value={form.repeat} onChange={set('repeat')} required error={Boolean(errors.repeat)} helperText={errors.repeat} autoComplete="new-password" />
        <Button type="submit" variant="contained">
          注册
        </Button>
      </Stack>
    </PublicShell>
  );
}
