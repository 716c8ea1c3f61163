import { useState } from 'react';
import { Alert, Autocomplete, Box, Button, Card, Chip, Dialog, DialogActions, DialogContent, DialogTitle, FormControlLabel, FormGroup, Checkbox, LinearProgress, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Title } from 'react-admin';
import type { ApiResponse } from '../../api-types.ts';
import { api } from '../../lib/api.ts';
import { useRun } from '../result-confirmation/shared.tsx';

type Body = ApiResponse<'/api/history-bodies'>[number];
type UnitOption = { id: number; name: string };

const SERIES: Record<string, string> = {
  engineering: '工程技术', agriculture: '农业技术', health: '卫生技术', school_teacher: '中小学教师', vocational_teacher: '中等职业学校教师', university_teacher: '高等学校教师',
  economics: '经济', accounting: '会计', statistics: '统计', auditing: '审计', journalism: '新闻', publishing: '出版', translation: '翻译', arts: '艺术', library: '图书资料',
  museum: '文物博物', archives: '档案', crafts: '工艺美术', technical_school_teacher: '技工院校教师', sports: '体育', lab: '实验技术', research: '自然科学研究', social_work: '社会工作', mass_culture: '群众文化',
};
const LEVELS: Record<string, string> = { senior_full: '正高级', senior_deputy: '副高级', intermediate: '中级', junior: '初级' };

/** 历史评审机构管理 (manual §1.2.8.2.4): the bureau's historical review bodies and the units that may upload their records. */
export function HistoryBodiesPage() {
  const { data, error, refetch } = useQuery({ queryKey: ['history-bodies'], queryFn: () => api<Body[]>('/api/history-bodies') });
  const run = useRun(refetch);
  const [editing, setEditing] = useState<Body | 'new' | null>(null);
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="历史评审机构管理" />
      <Button variant="contained" sx={{ mb: 2 }} data-testid="new-body" onClick={() => setEditing('new')}>
        新增
      </Button>
      {error ? <Alert severity="error">{(error as Error).message}</Alert> : null}
      {!data && !error ? <LinearProgress /> : null}
      {data && !data.length ? <Alert severity="info">还没有历史评审机构</Alert> : null}
      {data?.length ? (
        <Card>
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell>评审机构名称</TableCell>
                <TableCell>可评审系列</TableCell>
                <TableCell>层级</TableCell>
                <TableCell>采集单位</TableCell>
                <TableCell>状态</TableCell>
                <TableCell>操作</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.map((b) => (
                <TableRow key={b.id} data-testid={`body-${b.id}`}>
                  <TableCell>{b.name}</TableCell>
                  <TableCell>{b.seriesLabels.join('、')}</TableCell>
                  <TableCell>{b.levelLabels.join('、')}</TableCell>
                  <TableCell>{b.units.map((u) => u.name).join('、')}</TableCell>
                  <TableCell>
                    <Chip size="small" color={b.status === 'active' ? 'success' : 'default'} label={b.status === 'active' ? '启用' : '停用'} />
                  </TableCell>
                  <TableCell>
                    <Button size="small" onClick={() => setEditing(b)}>
                      编辑
                    </Button>
                    <Button
                      size="small"
                      color={b.status === 'active' ? 'warning' : 'primary'}
                      onClick={() => run(() => api(`/api/history-bodies/${b.id}/status`, { method: 'PUT', json: { status: b.status === 'active' ? 'disabled' : 'active', version: b.version } }), b.status === 'active' ? '已停用' : '已启用')}
                    >
                      {b.status === 'active' ? '停用' : '启用'}
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      ) : null}
      {editing ? <BodyDialog body={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={() => void refetch()} /> : null}
    </Box>
  );
}

function BodyDialog({ body, onClose, onSaved }: { body: Body | null; onClose: () => void; onSaved: () => void }) {
  const [name, setName] = useState(body?.name ?? '');
  const [series, setSeries] = useState<string[]>(body?.series ?? []);
  const [levels, setLevels] = useState<string[]>(body?.levels ?? []);
  const [units, setUnits] = useState<UnitOption[]>(body?.units ?? []);
  const [search, setSearch] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const { data: options } = useQuery({ queryKey: ['history-unit-options', search], queryFn: () => api<UnitOption[]>(`/api/history-bodies/unit-options?q=${encodeURIComponent(search)}`) });
  const toggle = (list: string[], set: (v: string[]) => void, key: string) => set(list.includes(key) ? list.filter((k) => k !== key) : [...list, key]);
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md">
      <DialogTitle>{body ? '编辑历史评审机构' : '新增历史评审机构'}</DialogTitle>
      <DialogContent dividers>
        {failure ? <Alert severity="error" sx={{ mb: 1 }}>{failure}</Alert> : null}
        <TextField fullWidth label="评审机构名称" value={name} onChange={(e) => setName(e.target.value)} slotProps={{ htmlInput: { 'data-testid': 'body-name' } }} />
        <Typography variant="subtitle2" sx={{ mt: 2 }}>可采集的系列</Typography>
        <FormGroup row>
          {Object.entries(SERIES).map(([k, v]) => (
            <FormControlLabel key={k} control={<Checkbox size="small" checked={series.includes(k)} onChange={() => toggle(series, setSeries, k)} />} label={v} />
          ))}
        </FormGroup>
        <Typography variant="subtitle2" sx={{ mt: 1 }}>可采集的层级</Typography>
        <FormGroup row>
          {Object.entries(LEVELS).map(([k, v]) => (
            <FormControlLabel key={k} control={<Checkbox size="small" checked={levels.includes(k)} onChange={() => toggle(levels, setLevels, k)} />} label={v} />
          ))}
        </FormGroup>
        <Autocomplete
          multiple
          sx={{ mt: 2 }}
          options={options ?? []}
          value={units}
          filterOptions={(x) => x}
          getOptionLabel={(o) => o.name}
          isOptionEqualToValue={(a, b) => a.id === b.id}
          onChange={(_, v) => setUnits(v)}
          onInputChange={(_, v) => setSearch(v)}
          renderInput={(params) => <TextField {...params} label="采集单位（搜索并选择）" />}
        />
      </DialogContent>
      <DialogActions>
        <Stack direction="row" spacing={1}>
          <Button onClick={onClose}>取消</Button>
          <Button
            variant="contained"
            data-testid="body-save"
            onClick={async () => {
              try {
                const payload = { name, series, levels, unitIds: units.map((u) => u.id) };
                await api(body ? `/api/history-bodies/${body.id}` : '/api/history-bodies', { method: body ? 'PUT' : 'POST', json: body ? { ...payload, version: body.version } : payload });
                onSaved();
                onClose();
              } catch (err) {
                setFailure((err as Error).message);
              }
            }}
          >
            保存
          </Button>
        </Stack>
      </DialogActions>
    </Dialog>
  );
}
