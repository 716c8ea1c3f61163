import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Box, Button, Card, CardContent, CardHeader, IconButton, Stack, TextField, Typography } from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import ArrowDownwardIcon from '@mui/icons-material/ArrowDownward';
import ArrowUpwardIcon from '@mui/icons-material/ArrowUpward';
import DeleteIcon from '@mui/icons-material/Delete';
import { Loading, Title, useNotify } from 'react-admin';
import { useParams } from 'react-router-dom';
import { api, fieldErrors } from '../../lib/api.ts';
import type { ActivityScoring } from './types.ts';

interface Draft {
  key: number;
  name: string;
  maxPoints: string;
  description: string;
}

let nextKey = 1;
const draftOf = (items: ActivityScoring['items']): Draft[] => items.map((i) => ({ key: nextKey++, name: i.name, maxPoints: String(i.maxPoints), description: i.description ?? '' }));

/**
 * 设置评分标准: the activity's scoring items (name, maximum points, description) in order, saved
 * as a whole; the experts see them when they score. The total is the API's after saving.
 */
export function ScoringPage() {
  const { id } = useParams();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const { data, error } = useQuery({ queryKey: ['activity-scoring', id], queryFn: () => api<ActivityScoring>(`/api/activities/${id}/scoring`) });
  const [rows, setRows] = useState<Draft[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  useEffect(() => {
    if (data) setRows(draftOf(data.items));
  }, [data]);
  if (error) return <Alert severity="error">{(error as Error).message}</Alert>;
  if (!data) return <Loading />;

  const update = (key: number, patch: Partial<Draft>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const move = (index: number, by: number) =>
    setRows((rs) => {
      const out = [...rs];
      const [r] = out.splice(index, 1);
      out.splice(index + by, 0, r!);
      return out;
    });
  const save = async () => {
    setErrors({});
    try {
      const items = rows.map((r) => ({ name: r.name, maxPoints: r.maxPoints === '' ? NaN : Number(r.maxPoints), description: r.description.trim() || null }));
      await api(`/api/activities/${id}/scoring`, { method: 'PUT', json: { items } });
      notify('评分标准已保存', { type: 'success' });
      await queryClient.invalidateQueries({ queryKey: ['activity-scoring', id] });
    } catch (err) {
      setErrors(fieldErrors(err));
      notify((err as Error).message, { type: 'error' });
    }
  };
  const draftTotal = rows.reduce((s, r) => s + (Number(r.maxPoints) || 0), 0);

  return (
    <Box sx={{ my: 2 }} data-testid="scoring-page">
      <Title title="设置评分标准" />
      <Card>
        <CardHeader title="设置评分标准" subheader={`${data.activityName} · 已保存 ${data.items.length} 项，总分 ${data.total} 分`} />
        <CardContent>
          <Alert severity="info" sx={{ mb: 2 }}>
            评分标准在专家打分时（专业组评审方式为专家打分）展示在专家端。逐项填写评分项、满分和评分说明，按顺序保存。
          </Alert>
          <Stack spacing={1.5}>
            {rows.map((r, i) => (
              <Stack key={r.key} direction={{ xs: 'column', md: 'row' }} spacing={1} sx={{ alignItems: { md: 'flex-start' } }} data-testid="scoring-item">
                <Typography sx={{ width: 32, pt: { md: 1 } }}>{i + 1}.</Typography>
                <TextField
                  size="small"
                  label="评分项"
                  value={r.name}
                  onChange={(e) => update(r.key, { name: e.target.value })}
                  error={errors[`items.${i}.name`] != null}
                  helperText={errors[`items.${i}.name`]}
                  sx={{ width: { md: 220 } }}
                />
                <TextField
                  size="small"
                  label="满分"
                  type="number"
                  value={r.maxPoints}
                  onChange={(e) => update(r.key, { maxPoints: e.target.value })}
                  error={errors[`items.${i}.maxPoints`] != null}
                  helperText={errors[`items.${i}.maxPoints`]}
                  sx={{ width: { md: 110 } }}
                />
                <TextField
                  size="small"
                  label="评分说明"
                  value={r.description}
                  onChange={(e) => update(r.key, { description: e.target.value })}
                  error={errors[`items.${i}.description`] != null}
                  helperText={errors[`items.${i}.description`]}
                  sx={{ flex: 1 }}
                />
                <Stack direction="row">
                  <IconButton aria-label="上移" disabled={i === 0} onClick={() => move(i, -1)}>
                    <ArrowUpwardIcon fontSize="small" />
                  </IconButton>
                  <IconButton aria-label="下移" disabled={i === rows.length - 1} onClick={() => move(i, 1)}>
                    <ArrowDownwardIcon fontSize="small" />
                  </IconButton>
                  <IconButton aria-label="删除" onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}>
                    <DeleteIcon fontSize="small" />
                  </IconButton>
                </Stack>
              </Stack>
            ))}
            {!rows.length ? <Typography color="text.secondary">尚未设置评分项</Typography> : null}
          </Stack>
          <Stack direction="row" spacing={2} sx={{ mt: 2, alignItems: 'center' }}>
            <Button startIcon={<AddIcon />} onClick={() => setRows((rs) => [...rs, { key: nextKey++, name: '', maxPoints: '', description: '' }])}>
              新增评分项
            </Button>
            <Typography data-testid="scoring-total">合计 {Math.round(draftTotal * 10) / 10} 分</Typography>
            <Button variant="contained" onClick={() => void save()}>
              保存
            </Button>
          </Stack>
        </CardContent>
      </Card>
    </Box>
  );
}
