import { useEffect, useState } from 'react';
import { Alert, Box, Button, Card, CardContent, CardHeader, Grid, LinearProgress, MenuItem, Stack, TextField } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Title, useNotify } from 'react-admin';
import type { ApiBody, ApiResponse } from '../../api-types.ts';
import { api, fieldErrors } from '../../lib/api.ts';
import { AuditPath, StatusChip, type TalentOptions } from './shared.tsx';

type Mine = ApiResponse<'/api/talents/mine'>;
type Input = ApiBody<'/api/talents/mine', 'put'>;
type Values = Record<Exclude<keyof Input, 'version'>, string>;

const EMPTY: Values = { personName: '', gender: '', birthDate: '', idNumber: '', ethnicity: '汉族', politicalStatus: '', origin: 'mainland', education: '', category: '', titleKind: '', level: '', series: '', titleName: '', certificateName: '' };

function valuesOf(mine: Mine): Values {
  const r = mine.registration;
  if (!r) return { ...EMPTY, personName: mine.account.displayName, idNumber: mine.account.idNumber ?? '' };
  return {
    personName: r.personName,
    gender: r.gender,
    birthDate: r.birthDate,
    idNumber: r.idNumber,
    ethnicity: r.ethnicity,
    politicalStatus: r.politicalStatus,
    origin: r.origin,
    education: r.education,
    category: r.category,
    titleKind: r.titleKind,
    level: r.level ?? '',
    series: r.series ?? '',
    titleName: r.titleName ?? '',
    certificateName: r.certificateName ?? '',
  };
}

/** 我的专技人才信息: the person fills in, saves and submits; sees the state, the path and a 退回 reason. */
export function MyTalentPage() {
  const notify = useNotify();
  const options = useQuery({ queryKey: ['talent-options'], queryFn: () => api<TalentOptions>('/api/talents/options') });
  const mine = useQuery({ queryKey: ['talent-mine'], queryFn: () => api<Mine>('/api/talents/mine') });
  const [values, setValues] = useState<Values>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (mine.data) setValues(valuesOf(mine.data));
  }, [mine.data]);
  const registration = mine.data?.registration ?? null;
  const editable = !registration || registration.status === 'draft' || registration.status === 'returned';

  const body = (): Input => ({
    ...values,
    gender: values.gender as Input['gender'],
    ethnicity: values.ethnicity as Input['ethnicity'],
    politicalStatus: values.politicalStatus as Input['politicalStatus'],
    origin: values.origin as Input['origin'],
    education: values.education as Input['education'],
    category: values.category as Input['category'],
    titleKind: values.titleKind as Input['titleKind'],
    level: (values.level || null) as Input['level'],
    series: (values.series || null) as Input['series'],
    titleName: values.titleName || null,
    certificateName: values.certificateName || null,
    ...(registration ? { version: registration.version } : {}),
  });

  const act = async (submit: boolean) => {
    setBusy(true);
    setErrors({});
    try {
      await api('/api/talents/mine', { method: 'PUT', json: body() });
      if (submit) await api('/api/talents/mine/submit', { method: 'POST' });
      notify(submit ? '已提交，等待本单位审核' : '已保存', { type: 'success' });
    } catch (err) {
      setErrors(fieldErrors(err));
      notify((err as Error).message, { type: 'error' });
    } finally {
      setBusy(false);
      await mine.refetch();
    }
  };

  const o = options.data;
  const field = (name: keyof Values, label: string, choices?: Array<{ value: string; label: string }>, extra: { type?: string; required?: boolean } = {}) => (
    <Grid size={{ xs: 12, sm: 6, md: 4 }}>
      <TextField
        fullWidth
        size="small"
        select={Boolean(choices)}
        label={label}
        type={extra.type}
        required={extra.required ?? true}
        disabled={!editable}
        value={values[name]}
        onChange={(e) => setValues({ ...values, [name]: e.target.value })}
        error={Boolean(errors[name])}
        helperText={errors[name]}
        slotProps={{ htmlInput: { 'data-testid': `talent-${name}` }, inputLabel: extra.type === 'date' ? { shrink: true } : undefined }}
      >
        {choices?.map((c) => (
          <MenuItem key={c.value} value={c.value}>
            {c.label}
          </MenuItem>
        ))}
      </TextField>
    </Grid>
  );

  return (
    <Box sx={{ mt: 2, maxWidth: 1100 }}>
      <Title title="我的专技人才信息" />
      {mine.error ? <Alert severity="error">{(mine.error as Error).message}</Alert> : null}
      {!mine.data || !o ? <LinearProgress /> : null}
      {registration ? (
        <Card sx={{ mb: 2 }}>
          <CardContent>
            <Stack spacing={1}>
              <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                <StatusChip talent={registration} />
                {registration.currentUnitName ? <span>当前由 {registration.currentUnitName} 审核</span> : null}
              </Stack>
              <AuditPath talent={registration} />
              {registration.status === 'returned' ? <Alert severity="warning" data-testid="talent-return-reason">已退回：{registration.returnReason}。请修改后再次提交。</Alert> : null}
              {registration.status === 'rejected' ? <Alert severity="error">审核不通过：{registration.rejectReason}</Alert> : null}
              {registration.status === 'approved' ? <Alert severity="success">专技人才信息已审核通过。</Alert> : null}
            </Stack>
          </CardContent>
        </Card>
      ) : (
        <Alert severity="info" sx={{ mb: 2 }}>
          您还没有登记专技人才信息。填写后提交，由所在单位审核，逐级报至本地人社部门。
        </Alert>
      )}
      {o && mine.data ? (
        <Card>
          <CardHeader title="专技人才信息" subheader={mine.data.account.unitName ? `所在单位：${mine.data.account.unitName}` : undefined} />
          <CardContent>
            <Grid container spacing={2}>
              {field('personName', '姓名')}
              {field('gender', '性别', o.genders)}
              {field('birthDate', '出生日期', undefined, { type: 'date' })}
              {field('origin', '人员身份', o.origins)}
              {field('idNumber', values.origin === 'foreign' ? '证件号码' : '身份证号码')}
              {field('ethnicity', '民族', o.ethnicities)}
              {field('politicalStatus', '政治面貌', o.politicalStatuses)}
              {field('education', '学历', o.educations)}
              {field('category', '专业技术人员类别', o.categories)}
              {field('titleKind', '职称情况', o.titleKinds)}
              {values.titleKind === 'title' ? field('level', '职称层级', o.levels) : null}
              {values.titleKind === 'title' ? field('series', '职称系列', o.series) : null}
              {values.titleKind === 'title' ? field('titleName', '职称名称', undefined, { required: false }) : null}
              {values.titleKind === 'certificate' ? field('certificateName', '职业资格证书名称') : null}
            </Grid>
            {editable ? (
              <Stack direction="row" spacing={1} sx={{ mt: 2 }}>
                <Button variant="outlined" disabled={busy} onClick={() => void act(false)} data-testid="talent-save">
                  保存
                </Button>
                <Button variant="contained" disabled={busy} onClick={() => void act(true)} data-testid="talent-submit">
                  {registration?.status === 'returned' ? '修改后再次提交' : '提交审核'}
                </Button>
              </Stack>
            ) : null}
          </CardContent>
        </Card>
      ) : null}
    </Box>
  );
}
