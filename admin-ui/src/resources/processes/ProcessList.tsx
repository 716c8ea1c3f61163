import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { Box, Button, Card, Chip, Dialog, DialogActions, DialogContent, DialogTitle, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { Loading, Title } from 'react-admin';
import { api } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { DiffView } from './DiffView.tsx';
import type { ApiResponse } from '../../api-types.ts';

type ProcessSummary = ApiResponse<'/api/process-definitions'>[number];

/** 流程管理: every flow with its versions and how many instances run on each. */
export function ProcessList() {
  const navigate = useNavigate();
  const { data, isPending } = useQuery({ queryKey: ['process-definitions'], queryFn: () => api<ProcessSummary[]>('/api/process-definitions') });
  const { data: moddle } = useQuery({ queryKey: ['moddle'], queryFn: () => api<Record<string, unknown>>('/api/process-definitions/moddle') });
  const [diff, setDiff] = useState<{ key: string; from: number; to: number; oldXml: string; newXml: string } | null>(null);
  if (isPending) return <Loading />;
  const openDiff = async (key: string, to: number) => {
    const [a, b] = await Promise.all([
      api<{ xml: string }>(`/api/process-definitions/${encodeURIComponent(key)}/versions/${to - 1}`),
      api<{ xml: string }>(`/api/process-definitions/${encodeURIComponent(key)}/versions/${to}`),
    ]);
    setDiff({ key, from: to - 1, to, oldXml: a.xml, newXml: b.xml });
  };
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="流程管理" />
      <Stack direction="row" sx={{ mb: 1 }}>
        <Typography variant="h5" sx={{ flex: 1 }}>
          流程管理
        </Typography>
        <Button variant="contained" onClick={() => navigate('/processes/new/edit')}>
          新建流程
        </Button>
      </Stack>
      <Card>
        <Table data-testid="process-list">
          <TableHead>
            <TableRow>
              <TableCell>流程</TableCell>
              <TableCell>标识</TableCell>
              <TableCell>版本（运行中实例数）</TableCell>
              <TableCell>最近部署</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {(data ?? []).map((p) => (
              <TableRow key={p.key}>
                <TableCell>{p.name}</TableCell>
                <TableCell>
                  <code>{p.key}</code>
                </TableCell>
                <TableCell>
                  <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: 'wrap' }}>
                    {p.versions.map((v) => (
                      <Chip
                        key={v.version}
                        size="small"
                        label={`第 ${v.version} 版（${v.running}）`}
                        variant={v.version === p.latestVersion ? 'filled' : 'outlined'}
                        onClick={() => navigate(`/process-instances?filter=${encodeURIComponent(JSON.stringify({ processKey: p.key, processVersion: v.version }))}`)}
                      />
                    ))}
                  </Stack>
                </TableCell>
                <TableCell>{formatDateTime(p.versions[0]?.deployedAt)}</TableCell>
                <TableCell align="right">
                  <Button size="small" onClick={() => navigate(`/processes/${encodeURIComponent(p.key)}/edit`)} data-testid={`edit-${p.key}`}>
                    编辑
                  </Button>
                  <Button size="small" disabled={p.latestVersion < 2} onClick={() => void openDiff(p.key, p.latestVersion)} data-testid={`diff-${p.key}`}>
                    对比上一版本
                  </Button>
                  <Button size="small" disabled={!p.versions.some((v) => v.version !== p.latestVersion && v.running > 0)} onClick={() => navigate(`/processes/${encodeURIComponent(p.key)}/migrate`)} data-testid={`migrate-${p.key}`}>
                    迁移运行中实例
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Card>
      <Dialog open={diff !== null} onClose={() => setDiff(null)} fullWidth maxWidth="xl">
        <DialogTitle>版本差异</DialogTitle>
        <DialogContent>
          {diff && moddle ? <DiffView oldXml={diff.oldXml} newXml={diff.newXml} oldLabel={`第 ${diff.from} 版`} newLabel={`第 ${diff.to} 版`} moddleDescriptor={moddle} /> : null}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setDiff(null)}>关闭</Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
