import { useState } from 'react';
import { Alert, Box, Button, Card, LinearProgress, Stack, Table, TableBody, TableCell, TableHead, TableRow, ToggleButton, ToggleButtonGroup, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Title } from 'react-admin';
import type { ApiResponse } from '../../api-types.ts';
import { api } from '../../lib/api.ts';
import { downloadFrom } from '../../lib/download.ts';

type Stats = ApiResponse<'/api/talent-stats'>;
type Row = Stats['rows'][number];
type Key = keyof Stats['total'];

const head = { border: 1, borderColor: 'divider', textAlign: 'center', fontWeight: 600, px: 0.5, py: 0.5, whiteSpace: 'normal', minWidth: 40 } as const;
const cell = { border: 1, borderColor: 'divider', textAlign: 'center', px: 0.5, py: 0.25 } as const;

/** 专技人才统计 (manual §1.2.13.2, 图 2.10.3): the table of my unit's subtree, live; 导出Excel; 图表. */
export function TalentStatsPage() {
  const { data, error } = useQuery({ queryKey: ['talent-stats'], queryFn: () => api<Stats>('/api/talent-stats') });
  const [mode, setMode] = useState<'table' | 'chart'>('table');
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="专技人才统计" />
      <Stack direction="row" spacing={2} sx={{ mb: 2, alignItems: 'center' }}>
        <Typography variant="body2" color="text.secondary">
          {data ? `${data.unitName}及下级单位审核通过的专技人才（实时）` : ''}
        </Typography>
        <Box sx={{ flex: 1 }} />
        <ToggleButtonGroup size="small" exclusive value={mode} onChange={(_e, v: 'table' | 'chart' | null) => v && setMode(v)}>
          <ToggleButton value="table" data-testid="stats-table">
            表格
          </ToggleButton>
          <ToggleButton value="chart" data-testid="stats-chart">
            图表
          </ToggleButton>
        </ToggleButtonGroup>
        <Button variant="outlined" disabled={!data} data-testid="stats-export" onClick={() => void downloadFrom('/api/talent-stats/export', `专技人才统计-${data?.unitName ?? ''}.xlsx`)}>
          导出Excel
        </Button>
      </Stack>
      {error ? <Alert severity="error">{(error as Error).message}</Alert> : null}
      {!data && !error ? <LinearProgress /> : null}
      {data && mode === 'table' ? <StatsTable stats={data} /> : null}
      {data && mode === 'chart' ? <StatsChart stats={data} /> : null}
    </Box>
  );
}

const ORDER: Key[] = ['total', 'senior_full', 'senior_deputy', 'intermediate', 'junior', 'certificate_only', 'other', 'female', 'minority', 'party', 'overseas', 'doctorate', 'master', 'bachelor', 'associate', 'secondary_below'];

function StatsTable({ stats }: { stats: Stats }) {
  const label = (k: Key) => stats.columns.find((c) => c.key === k)?.label ?? k;
  const line = (name: string, r: Record<Key, number>, bold = false) => (
    <TableRow key={name} data-testid={`stats-row-${name}`}>
      <TableCell sx={{ ...cell, textAlign: 'left', fontWeight: bold ? 600 : 400, whiteSpace: 'nowrap' }}>{name}</TableCell>
      {ORDER.map((k) => (
        <TableCell key={k} sx={{ ...cell, fontWeight: bold ? 600 : 400 }}>
          {r[k]}
        </TableCell>
      ))}
    </TableRow>
  );
  return (
    <Card sx={{ overflowX: 'auto' }}>
      <Table size="small" sx={{ minWidth: 1100 }} data-testid="talent-stats-table">
        <TableHead>
          <TableRow>
            <TableCell rowSpan={3} sx={{ ...head, minWidth: 150 }}>
              项目
            </TableCell>
            <TableCell colSpan={7} sx={head}>
              专业技术人员类别
            </TableCell>
            <TableCell colSpan={4} sx={head}>
              基本情况
            </TableCell>
            <TableCell colSpan={5} sx={head}>
              学历
            </TableCell>
          </TableRow>
          <TableRow>
            <TableCell rowSpan={2} sx={head}>
              {label('total')}
            </TableCell>
            <TableCell colSpan={4} sx={head}>
              具有专业技术职称人员
            </TableCell>
            {ORDER.slice(5).map((k) => (
              <TableCell key={k} rowSpan={2} sx={head}>
                {label(k)}
              </TableCell>
            ))}
          </TableRow>
          <TableRow>
            {ORDER.slice(1, 5).map((k) => (
              <TableCell key={k} sx={head}>
                {label(k)}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {stats.rows.map((r: Row) => line(r.label, r))}
          {line('合计', stats.total, true)}
        </TableBody>
      </Table>
    </Card>
  );
}

const SEGMENTS: Array<{ key: Key; label: string; color: string }> = [
  { key: 'senior_full', label: '正高级', color: '#1565c0' },
  { key: 'senior_deputy', label: '副高级', color: '#42a5f5' },
  { key: 'intermediate', label: '中级', color: '#66bb6a' },
  { key: 'junior', label: '初级', color: '#c5e1a5' },
  { key: 'certificate_only', label: '只具有职业资格证书', color: '#ffb74d' },
  { key: 'other', label: '其他人员', color: '#bdbdbd' },
];

/** 图表: one bar per category, split by level (the parts add up to 合计). */
function StatsChart({ stats }: { stats: Stats }) {
  const rows = stats.rows.filter((r) => r.total > 0);
  const max = Math.max(1, ...rows.map((r) => r.total));
  if (!rows.length) return <Alert severity="info">还没有审核通过的专技人才</Alert>;
  return (
    <Card sx={{ p: 2 }} data-testid="talent-stats-chart">
      <Stack direction="row" spacing={2} useFlexGap sx={{ mb: 2, flexWrap: 'wrap' }}>
        {SEGMENTS.map((s) => (
          <Stack key={s.key} direction="row" spacing={0.5} sx={{ alignItems: 'center' }}>
            <Box sx={{ width: 12, height: 12, bgcolor: s.color }} />
            <Typography variant="caption">{s.label}</Typography>
          </Stack>
        ))}
      </Stack>
      {rows.map((r) => (
        <Stack key={r.category} direction="row" spacing={1} sx={{ alignItems: 'center', mb: 0.75 }} data-testid={`chart-bar-${r.label}`}>
          <Typography variant="body2" sx={{ width: 150, flexShrink: 0, textAlign: 'right' }}>
            {r.label}
          </Typography>
          <Box sx={{ flex: 1, display: 'flex', height: 20 }}>
            <Box sx={{ display: 'flex', width: `${(r.total / max) * 100}%` }}>
              {SEGMENTS.filter((s) => r[s.key] > 0).map((s) => (
                <Box key={s.key} title={`${s.label}：${r[s.key]}`} sx={{ bgcolor: s.color, width: `${(r[s.key] / r.total) * 100}%` }} />
              ))}
            </Box>
          </Box>
          <Typography variant="body2" sx={{ width: 60 }}>
            {r.total}
          </Typography>
        </Stack>
      ))}
    </Card>
  );
}
