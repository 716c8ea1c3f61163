import { useEffect, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Box, Button, Card, CardContent, CardHeader, Checkbox, Divider, FormControlLabel, Grid, IconButton, Stack, TextField, Typography } from '@mui/material';
import DeleteIcon from '@mui/icons-material/Delete';
import AddIcon from '@mui/icons-material/Add';
import { Loading, Title, useNotify } from 'react-admin';
import { useNavigate, useParams } from 'react-router-dom';
import { api, fieldErrors, type ApiErrorBody } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import type { FormSchema } from '../../lib/schema.ts';
import { FilesField } from './FilesField.tsx';
import { useLabels } from '../../lib/labels.ts';
import type { DeclarationView, DossierProgress, FileRef, TemplateSpec } from './types.ts';
import { DefectsAlert } from './DossierShow.tsx';

type Row = Record<string, unknown>;
type Data = Record<string, unknown>;

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
const rows = (v: unknown): Row[] => (Array.isArray(v) ? (v as Row[]) : []);

function Section({ title, children, action }: { title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <Card sx={{ mb: 2 }}>
      <CardHeader title={title} titleTypographyProps={{ variant: 'h6' }} action={action} />
      <CardContent sx={{ pt: 0 }}>{children}</CardContent>
    </Card>
  );
}

/**
 * 填写申报材料: the static form plus what the activity configured (业绩成果 items with their
 * templates, 破格, 申报材料). Drafts are saved at any time; 提交 saves and completes the
 * flow's submit task, and the API checks the activity's rules and the deadline.
 */
export function DeclarationPage() {
  const { id } = useParams();
  const notify = useNotify();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { data: view, error, refetch } = useQuery({ queryKey: ['declaration', id], queryFn: () => api<DeclarationView>(`/api/dossiers/${id}/declaration`) });
  const { data: form } = useQuery({ queryKey: ['form', 'dossier-submit'], queryFn: () => api<FormSchema>('/api/forms/dossier-submit') });
  // 修改并重新提交: what the returning unit asked to fix, above the form
  const { data: progress } = useQuery({ queryKey: ['dossier', id], queryFn: () => api<DossierProgress>(`/api/dossiers/${id}`), enabled: view?.status === 'returned' });
  const [data, setData] = useState<Data>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const { achievementTitles } = useLabels();
  useEffect(() => {
    // an activity opening one series leaves nothing to choose
    if (view) setData({ ...(view.activity.series.length === 1 ? { series: view.activity.series[0] } : {}), ...(view.data ?? {}) });
  }, [view]);
  if (error) return <Alert severity="error">{(error as Error).message}</Alert>;
  if (!view || !form) return <Loading />;

  const disabled = !view.editable || busy;
  const set = (key: string, value: unknown) => setData((d) => ({ ...d, [key]: value }));
  const setRow = (key: string, index: number, patch: Row) => setData((d) => ({ ...d, [key]: rows(d[key]).map((r, i) => (i === index ? { ...r, ...patch } : r)) }));
  const addRow = (key: string, row: Row) => setData((d) => ({ ...d, [key]: [...rows(d[key]), row] }));
  const removeRow = (key: string, index: number) => setData((d) => ({ ...d, [key]: rows(d[key]).filter((_, i) => i !== index) }));
  const options = (key: string) => form.properties?.[key]?.options ?? [];

  const input = (key: string, label: string, opts: { type?: string; required?: boolean; multiline?: boolean; choices?: Array<{ value: string; label: string }>; value?: unknown; onChange?: (v: unknown) => void; error?: string; width?: number; placeholder?: string; helper?: string | undefined } = {}) => {
    const value = opts.value !== undefined ? opts.value : data[key];
    const change = opts.onChange ?? ((v: unknown) => set(key, v));
    const err = opts.error ?? errors[key];
    return (
      <Grid size={{ xs: 12, md: opts.width ?? 4 }} key={key}>
        <TextField
          fullWidth
          size="small"
          label={label}
          required={opts.required}
          disabled={disabled}
          type={opts.type === 'number' ? 'number' : opts.type === 'date' ? 'date' : 'text'}
          multiline={opts.multiline}
          minRows={opts.multiline ? 3 : undefined}
          select={Boolean(opts.choices)}
          value={str(value)}
          error={Boolean(err)}
          helperText={err ?? opts.helper}
          placeholder={opts.placeholder}
          slotProps={{ inputLabel: { shrink: true }, select: { native: true } }}
          onChange={(e) => change(opts.type === 'number' ? (e.target.value === '' ? undefined : Number(e.target.value)) : e.target.value)}
        >
          {opts.choices ? [<option key="" value="" />, ...opts.choices.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)] : null}
        </TextField>
      </Grid>
    );
  };

  // derived from the ID number by the API; an error about it (none expected) still shows at the field
  const readOnly = (key: string, label: string, value: string | null) => (
    <Grid size={{ xs: 12, md: 4 }} key={key}>
      <TextField
        fullWidth
        size="small"
        label={label}
        value={value ?? '未登记身份证号码'}
        error={Boolean(errors[key])}
        helperText={errors[key] ?? '由身份证号码自动生成'}
        slotProps={{ inputLabel: { shrink: true }, input: { readOnly: true }, htmlInput: { 'data-testid': `derived-${key}` } }}
      />
    </Grid>
  );

  const showError = (err: unknown) => {
    const byField = fieldErrors(err);
    setErrors(byField);
    const details = ((err as { body?: ApiErrorBody })?.body?.details ?? []) as Array<{ message?: string }>;
    setProblems(Array.isArray(details) && details.length ? details.map((d) => d.message ?? '').filter(Boolean) : [(err as Error).message]);
  };

  const saveDraft = async (quiet = false) => {
    const saved = await api<DeclarationView>(`/api/dossiers/${id}/draft`, { method: 'PUT', json: { data } });
    if (!quiet) notify(`草稿已保存（${formatDateTime(saved.draftSavedAt ?? new Date().toISOString())}）`, { type: 'success' });
    return saved;
  };

  const onSave = async () => {
    setBusy(true);
    try {
      await saveDraft();
      setErrors({});
      setProblems([]);
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  const onSubmit = async () => {
    if (!view.submitTaskId) return;
    setBusy(true);
    try {
      // the draft first, so that nothing typed or uploaded is lost if the submission is refused
      await saveDraft(true);
      await api(`/api/tasks/${view.submitTaskId}/complete`, { method: 'POST', json: { action: 'submit', data } });
      await queryClient.invalidateQueries();
      notify('申报材料已提交', { type: 'success' });
      navigate(`/my-dossiers/${id}`);
    } catch (err) {
      showError(err);
      void refetch();
    } finally {
      setBusy(false);
    }
  };

  const a = view.activity;
  const templates = new Map<string, TemplateSpec>(view.templates.map((t) => [t.key, t]));
  const achievements = rows(data.achievements);
  const materials = rows(data.materials);
  const materialFiles = (name: string) => (materials.find((m) => m.name === name)?.files as FileRef[] | undefined) ?? [];
  const setMaterialFiles = (name: string, files: FileRef[]) =>
    set('materials', [...materials.filter((m) => m.name !== name), ...(files.length ? [{ name, files }] : [])].sort((x, y) => a.materials.findIndex((m) => m.name === x.name) - a.materials.findIndex((m) => m.name === y.name)));

  return (
    <Box sx={{ my: 2 }} data-testid="declaration">
      <Title title="填写申报材料" />
      <Section title={a.name}>
        <Typography variant="body2" color="text.secondary">
          {a.committeeName} · 申报人 {view.applicant.name} · {view.applicant.unitName ?? ''} · 状态：{view.statusLabel}
          {view.draftSavedAt ? ` · 草稿保存于 ${formatDateTime(view.draftSavedAt)}` : ''}
        </Typography>
        {view.deadline ? (
          <Alert severity={view.deadline.passed ? 'error' : 'info'} sx={{ mt: 1 }} data-testid="deadline">
            {view.deadline.label}：{formatDateTime(view.deadline.at)}
            {view.deadline.passed ? '，已经截止，不能再修改和提交' : '，请在此之前提交'}
          </Alert>
        ) : null}
        {!view.editable && !view.deadline?.passed ? <Alert severity="info" sx={{ mt: 1 }}>申报材料{view.statusLabel}，现在不能修改</Alert> : null}
        {view.status === 'returned' && progress?.defects ? <Box sx={{ mt: 1 }}><DefectsAlert defects={progress.defects} /></Box> : null}
      </Section>

      {problems.length ? (
        <Alert severity="error" sx={{ mb: 2 }} data-testid="declaration-problems">
          <Typography variant="subtitle2">申报材料未通过检查，请修改以下问题：</Typography>
          <ul style={{ margin: 0, paddingLeft: 20 }}>
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </Alert>
      ) : null}

      <Section title="申报信息">
        <Grid container spacing={2}>
          {input('series', '申报系列', { required: true, choices: options('series').filter((o) => !a.series.length || a.series.includes(o.value)) })}
          {input('level', '申报级别', { required: true, choices: options('level').filter((o) => !a.levels.length || a.levels.includes(o.value)) })}
          {a.specialties.length ? input('specialty', '申报专业', { required: true, choices: a.specialties.map((s) => ({ value: s, label: s })) }) : input('specialty', '申报专业', { required: true })}
        </Grid>
      </Section>

      <Section title="个人信息与学历">
        <Grid container spacing={2}>
          {readOnly('gender', '性别', view.applicant.genderLabel)}
          {readOnly('birthDate', '出生日期', view.applicant.birthDate)}
          {input('phone', '联系电话', { placeholder: '手机号码，或区号-电话号码' })}
          {input('currentTitle', '现职称')}
          {input('currentTitleDate', '现职称评定时间', { type: 'date' })}
          {input('education', '最高学历', { required: true, choices: options('education') })}
          {input('school', '毕业院校')}
          {input('major', '所学专业')}
          {input('graduationDate', '毕业时间', { type: 'date' })}
          {input('workStartDate', '参加工作时间', { type: 'date', required: true })}
          {input('continuingEducationHours', '继续教育学时', { type: 'number', required: true, helper: a.minContinuingEducationHours ? `本次评审活动要求不少于 ${a.minContinuingEducationHours} 学时` : undefined })}
        </Grid>
      </Section>

      <Section title="资格证书" action={disabled ? null : <Button startIcon={<AddIcon />} onClick={() => addRow('qualifications', {})}>添加资格证书</Button>}>
        {rows(data.qualifications).map((q, i) => (
          <Grid container spacing={2} key={i} sx={{ mb: 1, alignItems: 'center' }}>
            {input(`qualifications.${i}.name`, '资格名称', { required: true, value: q.name, onChange: (v) => setRow('qualifications', i, { name: v }) })}
            {input(`qualifications.${i}.number`, '证书编号', { width: 3, value: q.number, onChange: (v) => setRow('qualifications', i, { number: v }) })}
            {input(`qualifications.${i}.date`, '资格取得时间', { type: 'date', width: 3, value: q.date, onChange: (v) => setRow('qualifications', i, { date: v }) })}
            <Grid size={{ xs: 12, md: 2 }}>{disabled ? null : <IconButton aria-label="删除资格证书" onClick={() => removeRow('qualifications', i)}><DeleteIcon /></IconButton>}</Grid>
          </Grid>
        ))}
      </Section>

      <Section title="工作经历" action={disabled ? null : <Button startIcon={<AddIcon />} onClick={() => addRow('workHistory', {})}>添加工作经历</Button>}>
        {rows(data.workHistory).map((w, i) => (
          <Grid container spacing={2} key={i} sx={{ mb: 1, alignItems: 'center' }}>
            {input(`workHistory.${i}.from`, '起始时间', { type: 'date', width: 2, required: true, value: w.from, onChange: (v) => setRow('workHistory', i, { from: v }) })}
            {input(`workHistory.${i}.to`, '截止时间', { type: 'date', width: 2, value: w.to, onChange: (v) => setRow('workHistory', i, { to: v }) })}
            {input(`workHistory.${i}.unit`, '工作单位', { required: true, value: w.unit, onChange: (v) => setRow('workHistory', i, { unit: v }) })}
            {input(`workHistory.${i}.post`, '职务/岗位', { width: 3, value: w.post, onChange: (v) => setRow('workHistory', i, { post: v }) })}
            <Grid size={{ xs: 12, md: 1 }}>{disabled ? null : <IconButton aria-label="删除工作经历" onClick={() => removeRow('workHistory', i)}><DeleteIcon /></IconButton>}</Grid>
          </Grid>
        ))}
        <Grid container spacing={2} sx={{ mt: 1 }}>
          {input('workSummary', '专业技术工作总结', { required: true, multiline: true, width: 12 })}
        </Grid>
      </Section>

      <Section title="业绩成果">
        {errors.achievements ? <Alert severity="error" sx={{ mb: 1 }}>{errors.achievements}</Alert> : null}
        {(a.achievements.length ? a.achievements : [{ order: 0, title: 'achievements', templates: view.templates.map((t) => t.key), requirement: '' }]).map((item) => (
          <Box key={item.order} sx={{ mb: 2 }} data-testid={`achievement-item-${item.order}`}>
            <Stack direction="row" useFlexGap sx={{ justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap' }}>
              <Typography variant="subtitle1">
                {item.order ? `${item.order}. ` : ''}
                {achievementTitles[item.title] ?? item.title}
              </Typography>
              {disabled ? null : (
                <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
                  {item.templates.map((tk) => (
                    <Button key={tk} size="small" startIcon={<AddIcon />} onClick={() => addRow('achievements', { ...(item.order ? { item: item.order } : {}), template: tk })}>
                      添加{templates.get(tk)?.label ?? tk}
                    </Button>
                  ))}
                </Stack>
              )}
            </Stack>
            {item.requirement ? (
              <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
                要求：{item.requirement}
              </Typography>
            ) : null}
            {achievements.map((e, i) => {
              if (item.order ? e.item !== item.order : false) return null;
              const spec = templates.get(str(e.template)) ?? templates.get('general');
              return (
                <Box key={i} sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 1.5, mb: 1 }}>
                  <Stack direction="row" sx={{ justifyContent: 'space-between' }}>
                    <Typography variant="body2" color="text.secondary">
                      {spec?.label}
                    </Typography>
                    {disabled ? null : (
                      <IconButton size="small" aria-label="删除业绩成果" onClick={() => removeRow('achievements', i)}>
                        <DeleteIcon fontSize="small" />
                      </IconButton>
                    )}
                  </Stack>
                  <Grid container spacing={2}>
                    {spec?.fields.map((f) =>
                      f.type === 'boolean' ? (
                        <Grid size={{ xs: 12, md: 4 }} key={f.key}>
                          <FormControlLabel
                            control={<Checkbox checked={e[f.key] === true} disabled={disabled} onChange={(ev) => setRow('achievements', i, { [f.key]: ev.target.checked })} />}
                            label={f.label}
                          />
                        </Grid>
                      ) : (
                        input(`achievements.${i}.${f.key}`, f.label, {
                          required: f.required,
                          type: f.type,
                          multiline: f.type === 'textarea',
                          width: f.type === 'textarea' ? 12 : 4,
                          value: e[f.key],
                          onChange: (v) => setRow('achievements', i, { [f.key]: v }),
                        })
                      ),
                    )}
                  </Grid>
                  <FilesField label="附件" value={e.files as FileRef[] | undefined} disabled={disabled} onChange={(files) => setRow('achievements', i, { files })} />
                </Box>
              );
            })}
          </Box>
        ))}
      </Section>

      {a.breakthrough ? (
        <Section title="破格申报">
          <FormControlLabel control={<Checkbox checked={data.breakthrough === true} disabled={disabled} onChange={(e) => set('breakthrough', e.target.checked ? true : undefined)} />} label="破格申报" />
          {errors.breakthroughReasons ? <Alert severity="error">{errors.breakthroughReasons}</Alert> : null}
          {data.breakthrough === true ? (
            <>
              {rows(data.breakthroughReasons).map((r, i) => (
                <Grid container spacing={2} key={i} sx={{ mb: 1, alignItems: 'center' }}>
                  {input(`breakthroughReasons.${i}.condition`, '破格条件', { required: true, choices: a.breakthroughConditions.map((c) => ({ value: c.name, label: c.name })), value: r.condition, onChange: (v) => setRow('breakthroughReasons', i, { condition: v }) })}
                  {input(`breakthroughReasons.${i}.reason`, '破格理由', { required: true, multiline: true, width: 7, value: r.reason, onChange: (v) => setRow('breakthroughReasons', i, { reason: v }) })}
                  <Grid size={{ xs: 12, md: 1 }}>{disabled ? null : <IconButton aria-label="删除破格理由" onClick={() => removeRow('breakthroughReasons', i)}><DeleteIcon /></IconButton>}</Grid>
                </Grid>
              ))}
              {disabled ? null : <Button startIcon={<AddIcon />} onClick={() => addRow('breakthroughReasons', {})}>添加破格理由</Button>}
            </>
          ) : null}
        </Section>
      ) : null}

      {a.materials.length ? (
        <Section title="申报材料">
          {errors.materials ? <Alert severity="error">{errors.materials}</Alert> : null}
          {a.materials.map((m) => (
            <Box key={m.name}>
              <FilesField label={m.name} required={m.required} max={m.maxFiles} disabled={disabled} value={materialFiles(m.name)} onChange={(files) => setMaterialFiles(m.name, files)} testId={`material-${m.name}`} />
              {m.description ? (
                <Typography variant="caption" color="text.secondary">
                  {m.description}
                </Typography>
              ) : null}
              <Divider sx={{ my: 1 }} />
            </Box>
          ))}
        </Section>
      ) : null}

      {view.submitTaskId ? (
        <Section title="诚信承诺">
          <Typography variant="body2" sx={{ mb: 1 }} data-testid="pledge-text">
            {form.properties?.pledge?.description}
          </Typography>
          <FormControlLabel
            control={<Checkbox checked={data.pledge === true} disabled={disabled} onChange={(e) => set('pledge', e.target.checked ? true : undefined)} data-testid="pledge" />}
            label="本人已阅读并同意以上诚信承诺"
          />
          {errors.pledge ? <Alert severity="error">{errors.pledge}</Alert> : null}
        </Section>
      ) : null}

      <Stack direction="row" spacing={2} sx={{ mb: 4 }}>
        {view.editable ? (
          <Button variant="outlined" disabled={busy} onClick={() => void onSave()}>
            保存草稿
          </Button>
        ) : null}
        {view.submitTaskId ? (
          <Button variant="contained" disabled={busy} onClick={() => void onSubmit()} data-testid="declaration-submit">
            提交申报
          </Button>
        ) : null}
        <Button onClick={() => navigate(`/my-dossiers/${id}`)}>申报详情</Button>
      </Stack>
    </Box>
  );
}
