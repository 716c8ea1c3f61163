import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Box,
  Button,
  ButtonBase,
  Card,
  CardContent,
  CardHeader,
  Checkbox,
  FormControlLabel,
  IconButton,
  LinearProgress,
  MenuItem,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { Title, useNotify } from 'react-admin';
import ChevronLeftIcon from '@mui/icons-material/ChevronLeft';
import ChevronRightIcon from '@mui/icons-material/ChevronRight';
import { api } from '../../lib/api.ts';
import type { ApiResponse } from '../../api-types.ts';

type YearRow = ApiResponse<'/api/calendar/years'>[number];
type Day = ApiResponse<'/api/calendar/{year}'>['days'][number];
type Arrangement = { year: number; published: boolean; days: Day[] };

const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];
const pad = (n: number) => String(n).padStart(2, '0');
const isoDay = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
/** 0 Monday … 6 Sunday */
const weekdayOf = (day: string) => (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
const isWeekend = (day: string) => weekdayOf(day) >= 5;

/**
 * One click makes a day the opposite of what it is now: a weekday becomes 放假, a weekend day
 * 调休上班, and a day set back to what its weekday makes it loses its entry.
 */
function toggled(days: Day[], day: string): Day[] {
  const entry = days.find((d) => d.day === day);
  const working = entry ? entry.kind === 'workday' : !isWeekend(day);
  const rest = days.filter((d) => d.day !== day);
  // the new state differs from what the weekday alone makes the day
  const needsEntry = isWeekend(day) ? !working : working;
  if (!needsEntry) return rest;
  return [...rest, working ? { day, kind: 'holiday' as const, name: '放假' } : { day, kind: 'workday' as const, name: '调休上班' }].sort((a, b) => a.day.localeCompare(b.day));
}

function MonthGrid({ year, month, days, selected, onToggle }: { year: number; month: number; days: Day[]; selected: string | null; onToggle: (day: string) => void }) {
  const byDay = new Map(days.map((d) => [d.day, d]));
  const count = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const lead = weekdayOf(isoDay(year, month, 1));
  const cells: Array<string | null> = [...Array<null>(lead).fill(null), ...Array.from({ length: count }, (_x, i) => isoDay(year, month, i + 1))];
  while (cells.length % 7) cells.push(null);
  return (
    <Box data-testid="calendar-grid" sx={{ display: 'grid', gridTemplateColumns: 'repeat(7, minmax(0, 1fr))', gap: 0.5, maxWidth: 760 }}>
      {WEEKDAYS.map((w, i) => (
        <Typography key={w} variant="body2" align="center" color={i >= 5 ? 'error' : 'text.secondary'} sx={{ py: 0.5 }}>
          {w}
        </Typography>
      ))}
      {cells.map((day, i) => {
        if (!day) return <Box key={`blank-${i}`} />;
        const entry = byDay.get(day);
        const working = entry ? entry.kind === 'workday' : !isWeekend(day);
        const kindLabel = entry?.kind === 'holiday' ? '休' : entry?.kind === 'workday' ? '班' : '';
        return (
          <ButtonBase
            key={day}
            data-day={day}
            data-working={working ? 'true' : 'false'}
            aria-label={`${Number(day.slice(5, 7))}月${Number(day.slice(8))}日 ${working ? '工作日' : '休息日'}${entry?.name ? ` ${entry.name}` : ''}`}
            aria-pressed={selected === day}
            onClick={() => onToggle(day)}
            sx={{
              display: 'flex',
              flexDirection: 'column',
              alignItems: 'stretch',
              justifyContent: 'flex-start',
              minHeight: 64,
              p: 0.5,
              borderRadius: 1,
              border: 2,
              borderColor: selected === day ? 'primary.main' : 'divider',
              bgcolor: entry?.kind === 'holiday' ? '#fdecea' : entry?.kind === 'workday' ? '#e8f4fd' : working ? 'background.paper' : 'action.hover',
              textAlign: 'left',
            }}
          >
            <Stack direction="row" sx={{ justifyContent: 'space-between' }}>
              <Typography variant="body2" color={working ? 'text.primary' : 'error'} sx={{ fontWeight: 600 }}>
                {Number(day.slice(8))}
              </Typography>
              {kindLabel ? (
                <Typography variant="caption" sx={{ px: 0.5, borderRadius: 0.5, color: '#fff', bgcolor: entry?.kind === 'holiday' ? 'error.main' : 'info.main' }}>
                  {kindLabel}
                </Typography>
              ) : null}
            </Stack>
            <Typography variant="caption" color="text.secondary" noWrap title={entry?.name}>
              {entry?.name ?? ''}
            </Typography>
          </ButtonBase>
        );
      })}
    </Box>
  );
}

/** 工作日历: the State Council's holiday arrangement per year as a month grid, entered by the province's administrators. */
export function CalendarPage() {
  const notify = useNotify();
  const queryClient = useQueryClient();
  const { data: years } = useQuery({ queryKey: ['calendar-years'], queryFn: () => api<YearRow[]>('/api/calendar/years') });
  const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });
  const [year, setYear] = useState<number | null>(null);
  const [month, setMonth] = useState(Number(today.slice(5, 7)));
  const [selectedDay, setSelectedDay] = useState<string | null>(null);
  const thisYear = Number(today.slice(0, 4));
  const selected = year ?? (years?.some((y) => y.year === thisYear) ? thisYear : (years?.[0]?.year ?? thisYear));
  const { data: detail, error } = useQuery({
    queryKey: ['calendar', selected],
    queryFn: () => api<Arrangement>(`/api/calendar/${selected}`).catch(() => ({ year: selected, published: true, days: [] as Day[] })),
  });
  const [draft, setDraft] = useState<Arrangement | null>(null);
  const editing = draft && draft.year === selected ? draft : detail ? { ...detail, days: [...detail.days] } : null;
  if (!years) return <LinearProgress />;
  const options = [...new Set([...years.map((y) => y.year), (years[0]?.year ?? thisYear) + 1])].sort((a, b) => b - a);
  const nextYearMissing = !years.some((y) => y.year === thisYear + 1 && y.published);
  const entry = editing && selectedDay ? editing.days.find((d) => d.day === selectedDay) : undefined;
  const monthDays = editing ? editing.days.filter((d) => d.day.slice(5, 7) === pad(month)) : [];
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="工作日历" />
      <Stack spacing={2}>
        <Alert severity="info">
          办理期限（默认按工作日）以及公示 5 个工作日等期限按此日历计算。点击日期即可在工作日与休息日之间切换：工作日设为“休”（放假），周末设为“班”（调休上班）；再次点击恢复。国务院办公厅公布次年安排后，请在此录入。
        </Alert>
        {nextYearMissing ? (
          <Alert severity="warning" data-testid="next-year-missing">
            {thisYear + 1} 年的安排尚未录入：办理期限跨入该年时暂按周一至周五计算，公示等须按工作日计算的期限会被拒绝。
          </Alert>
        ) : null}
        <Card>
          <CardHeader
            title="年度安排"
            action={
              <TextField select size="small" label="年份" value={selected} onChange={(e) => { setYear(Number(e.target.value)); setSelectedDay(null); }} sx={{ minWidth: 120 }}>
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
              <Stack spacing={2}>
                <FormControlLabel control={<Checkbox checked={editing.published} onChange={(e) => setDraft({ ...editing, published: e.target.checked })} />} label="已公布（参与工作日计算）" />
                <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                  <IconButton aria-label="上个月" disabled={month === 1} onClick={() => setMonth(month - 1)}>
                    <ChevronLeftIcon />
                  </IconButton>
                  <TextField select size="small" label="月份" value={month} onChange={(e) => setMonth(Number(e.target.value))} sx={{ width: 110, flex: 'none' }}>
                    {Array.from({ length: 12 }, (_x, i) => (
                      <MenuItem key={i + 1} value={i + 1}>
                        {i + 1} 月
                      </MenuItem>
                    ))}
                  </TextField>
                  <IconButton aria-label="下个月" disabled={month === 12} onClick={() => setMonth(month + 1)}>
                    <ChevronRightIcon />
                  </IconButton>
                  <Typography variant="body2" color="text.secondary">
                    本月放假 {monthDays.filter((d) => d.kind === 'holiday').length} 天、调休上班 {monthDays.filter((d) => d.kind === 'workday').length} 天
                  </Typography>
                </Stack>
                <MonthGrid
                  year={selected}
                  month={month}
                  days={editing.days}
                  selected={selectedDay}
                  onToggle={(day) => {
                    setSelectedDay(day);
                    setDraft({ ...editing, days: toggled(editing.days, day) });
                  }}
                />
                {selectedDay ? (
                  <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }} data-testid="selected-day">
                    <Typography variant="body2">
                      {selectedDay}：{entry ? (entry.kind === 'holiday' ? '放假' : '调休上班') : isWeekend(selectedDay) ? '周末休息' : '正常工作日'}
                    </Typography>
                    {entry ? (
                      <TextField
                        size="small"
                        label="名称"
                        value={entry.name}
                        onChange={(e) => setDraft({ ...editing, days: editing.days.map((d) => (d.day === selectedDay ? { ...d, name: e.target.value } : d)) })}
                      />
                    ) : null}
                  </Stack>
                ) : null}
                <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
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
                  {draft && draft.year === selected ? (
                    <Typography variant="body2" color="warning.main">
                      有未保存的修改
                    </Typography>
                  ) : null}
                </Stack>
              </Stack>
            )}
          </CardContent>
        </Card>
      </Stack>
    </Box>
  );
}
