import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  CardHeader,
  Checkbox,
  FormControlLabel,
  IconButton,
  LinearProgress,
  MenuItem,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { Title, useNotify } from 'react-admin';
import DeleteIcon from '@mui/icons-material/Delete';
import { api } from '../../lib/api.ts';
import type { ApiResponse } from '../../api-types.ts';

type YearRow = ApiResponse<'/api/calendar/years'>[number];
type Day = ApiResponse<'/api/calendar/{year}'>['days'][number];

/** 工作日历: the State Council's holiday arrangement per year, entered by the province's administrators. */
export function CalendarPage() {
  const notify = useNotify();
  const queryClient = useQueryClient();
  const { data: years } = useQuery({ queryKey: ['calendar-years'], queryFn: () => api<YearRow[]>('/api/calendar/years') });
  const [year, setYear] = useState<number | null>(null);
  const selected = year ?? years?.[0]?.year ?? new Date().getFullYear();
  const { data: detail, error } = useQuery({
    queryKey: ['calendar', selected],
    queryFn: () => api<{ year: number; published: boolean; days: Day[] }>(`/api/calendar/${selected}`).catch(() => ({ year: selected, published: true, days: [] as Day[] })),
  });
  const [draft, setDraft] = useState<{ year: number; published: boolean; days: Day[] } | null>(null);
  const editing = draft && draft.year === selected ? draft : detail ? { ...detail, days: [...detail.days] } : null;
  const update = (next: { year: number; published: boolean; days: Day[] }) => setDraft(next);
  if (!years) return <LinearProgress />;
  const options = [...new Set([...years.map((y) => y.year), (years[0]?.year ?? new Date().getFullYear()) + 1])].sort((a, b) => b - a);
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="工作日历" />
      <Stack spacing={2}>
        <Alert severity="info">
          “按工作日计算”的期限（如申报材料 3 个工作日内转交、公示 5 个工作日）按此日历计算；某年的安排未录入时，涉及该年的计算会被拒绝并提示维护。国务院办公厅公布次年安排后，请在此录入放假日和调休上班日。
        </Alert>
        <Card>
          <CardHeader
            title="年度安排"
            action={
              <TextField select size="small" label="年份" value={selected} onChange={(e) => setYear(Number(e.target.value))} sx={{ minWidth: 120 }}>
                {options.map((y) => (
                  <MenuItem key={y} value={y}>
                    {y} 年{years.some((r) => r.year === y) ? '' : '（未录入）'}
                  </MenuItem>
                ))}
              </TextField>
            }
            subheader={years.find((r) => r.year === selected)?.source ?? '尚未录入'}
          />
          <CardContent>
            {error ? <Alert severity="error">{(error as Error).message}</Alert> : null}
            {!editing ? (
              <LinearProgress />
            ) : (
              <Stack spacing={1}>
                <FormControlLabel control={<Checkbox checked={editing.published} onChange={(e) => update({ ...editing, published: e.target.checked })} />} label="已公布（参与工作日计算）" />
                <Table size="small">
                  <TableHead>
                    <TableRow>
                      <TableCell>日期</TableCell>
                      <TableCell>类型</TableCell>
                      <TableCell>名称</TableCell>
                      <TableCell />
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {editing.days.map((d, i) => (
                      <TableRow key={i}>
                        <TableCell>
                          <TextField size="small" type="date" value={d.day} onChange={(e) => update({ ...editing, days: editing.days.map((x, j) => (j === i ? { ...x, day: e.target.value } : x)) })} />
                        </TableCell>
                        <TableCell>
                          <TextField select size="small" value={d.kind} onChange={(e) => update({ ...editing, days: editing.days.map((x, j) => (j === i ? { ...x, kind: e.target.value as Day['kind'] } : x)) })}>
                            <MenuItem value="holiday">放假</MenuItem>
                            <MenuItem value="workday">调休上班</MenuItem>
                          </TextField>
                        </TableCell>
                        <TableCell>
                          <TextField size="small" value={d.name} onChange={(e) => update({ ...editing, days: editing.days.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)) })} />
                        </TableCell>
                        <TableCell>
                          <IconButton aria-label="删除" onClick={() => update({ ...editing, days: editing.days.filter((_, j) => j !== i) })}>
                            <DeleteIcon />
                          </IconButton>
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
                {!editing.days.length ? <Typography color="text.secondary">没有放假或调休安排</Typography> : null}
                <Stack direction="row" spacing={1}>
                  <Button onClick={() => update({ ...editing, days: [...editing.days, { day: `${selected}-01-01`, kind: 'holiday', name: '' }] })}>添加一天</Button>
                  <Button
                    variant="contained"
                    onClick={async () => {
                      try {
                        await api(`/api/calendar/${selected}`, { method: 'PUT', json: { published: editing.published, days: editing.days } });
                        notify(`${selected} 年工作日历已保存`, { type: 'success' });
                        setDraft(null);
                        await queryClient.invalidateQueries();
                      } catch (err) {
                        notify((err as Error).message, { type: 'error', multiLine: true });
                      }
                    }}
                  >
                    保存
                  </Button>
                </Stack>
              </Stack>
            )}
          </CardContent>
        </Card>
      </Stack>
    </Box>
  );
}
