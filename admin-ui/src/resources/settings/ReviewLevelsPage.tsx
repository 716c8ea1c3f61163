import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Autocomplete,
  Box,
  Button,
  Card,
  CardContent,
  IconButton,
  MenuItem,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import DeleteIcon from '@mui/icons-material/Delete';
import ArrowUpwardIcon from '@mui/icons-material/ArrowUpward';
import { Title, useNotify } from 'react-admin';
import { api, session } from '../../lib/api.ts';
import type { ApiBody, ApiResponse } from '../../api-types.ts';

type Unit = Pick<ApiResponse<'/api/units'>[number], 'id' | 'name'>;
type Staff = ApiResponse<'/api/staff'>[number];
type Post = ApiBody<'/api/review-levels', 'put'>['posts'][number];

/** 多岗审核配置: for a unit and a matter type, the review posts from the lowest level up, each with its staff. */
export function ReviewLevelsPage() {
  const notify = useNotify();
  const me = session.user();
  // a unit configures its own posts; whoever manages subordinate units may pick one of them
  const canPick = Boolean(me?.permissions.includes('unit.subordinates'));
  const [unit, setUnit] = useState<Unit | null>(me?.unitId ? { id: me.unitId, name: me.unitName ?? '本单位' } : null);
  const [unitQuery, setUnitQuery] = useState('');
  const [matterType, setMatterType] = useState('dossier_review');
  const [posts, setPosts] = useState<Post[]>([]);
  const [error, setError] = useState<string | null>(null);

  const { data: matterTypes = [] } = useQuery({ queryKey: ['matter-types'], queryFn: () => api<ApiResponse<'/api/review-levels/matter-types'>>('/api/review-levels/matter-types') });
  const unused = matterTypes.find((m) => m.id === matterType && !m.inUse);
  const { data: units = [] } = useQuery({
    queryKey: ['units', unitQuery],
    queryFn: () => api<Unit[]>(`/api/units?range=[0,49]&filter=${encodeURIComponent(JSON.stringify({ within: true, ...(unitQuery ? { q: unitQuery } : {}) }))}`),
    enabled: canPick,
  });
  const { data: staff = [] } = useQuery({
    queryKey: ['staff', unit?.id],
    queryFn: () => api<Staff[]>(`/api/staff?range=[0,199]&filter=${encodeURIComponent(JSON.stringify({ unitId: unit?.id, status: 'active' }))}`),
    enabled: Boolean(unit),
  });
  const { data: current } = useQuery({
    queryKey: ['review-levels', unit?.id, matterType],
    queryFn: () => api<ApiResponse<'/api/review-levels'>>(`/api/review-levels?unitId=${unit?.id}&matterType=${matterType}`),
    enabled: Boolean(unit),
  });
  useEffect(() => {
    setPosts(current?.posts.map(({ name, userIds }) => ({ name, userIds })) ?? []);
    setError(null);
  }, [current]);

  const update = (i: number, patch: Partial<Post>) => setPosts(posts.map((p, j) => (j === i ? { ...p, ...patch } : p)));
  const save = async () => {
    if (!unit) return;
    try {
      await api('/api/review-levels', { method: 'PUT', json: { unitId: unit.id, matterType, posts } });
      setError(null);
      notify('多岗审核配置已保存，此后新产生的审核任务按新岗位流转', { type: 'success' });
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <Box sx={{ mt: 2 }}>
      <Title title="多岗审核配置" />
      <Card>
        <CardContent>
          <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ mb: 2 }}>
            <Autocomplete
              sx={{ minWidth: 320 }}
              disabled={!canPick}
              options={units}
              getOptionLabel={(u) => u.name}
              value={unit}
              onChange={(_e, v) => setUnit(v)}
              onInputChange={(_e, v) => setUnitQuery(v)}
              renderInput={(params) => <TextField {...params} label="单位" />}
              isOptionEqualToValue={(a, b) => a.id === b.id}
            />
            <TextField select label="事项" value={matterType} onChange={(e) => setMatterType(e.target.value)} sx={{ minWidth: 220 }}>
              {matterTypes.map((m) => (
                <MenuItem key={m.id} value={m.id}>
                  {m.name}
                  {m.inUse ? '' : '（尚未启用）'}
                </MenuItem>
              ))}
            </TextField>
          </Stack>
          {!unit ? (
            <Typography color="text.secondary">请先选择单位</Typography>
          ) : (
            <>
              <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
                审核按岗位从上到下（从低到高）依次进行；不设岗位时，本单位有审核权限的经办人一级审核。修改只影响此后新产生的审核任务。每个岗位的办理期限按“办理期限设置”中该级的期限（如“申报单位审核”）各自计算，也可在名称带“（多岗）”的环节单独设置。
              </Typography>
              {unused ? (
                <Alert severity="warning" sx={{ mb: 2 }} data-testid="matter-unused">
                  “{unused.name}”尚未启用：目前没有已部署的流程按此事项分岗审核，这里的配置在流程启用它之前不起作用。
                </Alert>
              ) : null}
              {posts.map((p, i) => (
                <Stack key={i} direction={{ xs: 'column', md: 'row' }} spacing={1} sx={{ mb: 1, alignItems: { md: 'center' } }} data-testid="post">
                  <Typography sx={{ width: 72, whiteSpace: 'nowrap' }}>第 {i + 1} 岗</Typography>
                  <TextField size="small" label="岗位名称" value={p.name} onChange={(e) => update(i, { name: e.target.value })} />
                  <Autocomplete
                    multiple
                    size="small"
                    sx={{ minWidth: 360, flex: 1 }}
                    options={staff}
                    getOptionLabel={(s) => `${s.displayName}（${s.username}）`}
                    value={staff.filter((s) => p.userIds.includes(s.id))}
                    onChange={(_e, v) => update(i, { userIds: v.map((s) => s.id) })}
                    renderInput={(params) => <TextField {...params} label="审核人员" />}
                    isOptionEqualToValue={(a, b) => a.id === b.id}
                  />
                  <IconButton aria-label="上移" disabled={i === 0} onClick={() => setPosts(posts.map((x, j) => (j === i - 1 ? posts[i]! : j === i ? posts[i - 1]! : x)))}>
                    <ArrowUpwardIcon />
                  </IconButton>
                  <IconButton aria-label="删除" onClick={() => setPosts(posts.filter((_x, j) => j !== i))}>
                    <DeleteIcon />
                  </IconButton>
                </Stack>
              ))}
              {error ? <Alert severity="error" sx={{ my: 1 }}>{error}</Alert> : null}
              <Stack direction="row" spacing={1} sx={{ mt: 2 }}>
                <Button onClick={() => setPosts([...posts, { name: `第${posts.length + 1}岗`, userIds: [] }])}>添加岗位</Button>
                <Button variant="contained" onClick={() => void save()}>
                  保存
                </Button>
              </Stack>
            </>
          )}
        </CardContent>
      </Card>
    </Box>
  );
}
