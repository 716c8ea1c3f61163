import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Stack, TablePagination, TextField } from '@mui/material';
import { api } from '../../lib/api.ts';
import type { Preparation } from './types.ts';

/**
 * 评审会议准备 with its candidates a page at a time (a meeting of 3,000): the options, the steps done
 * and the counts come with every page. `withObjection` narrows to those 公示有异议 ('true') or not.
 */
export function usePreparation(meetingId: string | undefined) {
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(50);
  const [name, setName] = useState('');
  const [objection, setObjection] = useState('');
  const params = new URLSearchParams({ page: String(page + 1), pageSize: String(pageSize) });
  if (name) params.set('name', name);
  if (objection) params.set('objection', objection);
  const query = useQuery({
    queryKey: ['meeting-prep', meetingId, params.toString()],
    queryFn: () => api<Preparation>(`/api/meetings/${meetingId}/preparation?${params.toString()}`),
    enabled: Boolean(meetingId),
    placeholderData: keepPreviousData,
  });
  return {
    ...query,
    paging: {
      page,
      pageSize,
      name,
      objection,
      setPage,
      setPageSize: (n: number) => {
        setPageSize(n);
        setPage(0);
      },
      setName: (v: string) => {
        setName(v);
        setPage(0);
      },
      setObjection: (v: string) => {
        setObjection(v);
        setPage(0);
      },
    },
  };
}
export type PreparationPaging = ReturnType<typeof usePreparation>['paging'];

/** 姓名（开头） and, on 公示有异议人员, 是否有异议, above the candidates. */
export function PrepFilters({ paging, withObjection }: { paging: PreparationPaging; withObjection?: boolean }) {
  const [typed, setTyped] = useState(paging.name);
  const search = () => typed.trim() !== paging.name && paging.setName(typed.trim());
  return (
    <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ mb: 1 }}>
      <TextField
        size="small"
        label="姓名（开头）"
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        onBlur={search}
        onKeyDown={(e) => e.key === 'Enter' && search()}
        sx={{ minWidth: 160 }}
        slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'prep-name', maxLength: 50 } }}
      />
      {withObjection ? (
        <TextField select size="small" label="公示异议" value={paging.objection} onChange={(e) => paging.setObjection(e.target.value)} sx={{ minWidth: 160 }} slotProps={{ inputLabel: { shrink: true }, select: { native: true }, htmlInput: { 'data-testid': 'prep-objection' } }}>
          <option value="">全部</option>
          <option value="true">公示有异议</option>
          <option value="false">无异议</option>
        </TextField>
      ) : null}
    </Stack>
  );
}

/** 第 a–b 人，共 n 人. */
export function PrepPager({ paging, total }: { paging: PreparationPaging; total: number }) {
  return (
    <TablePagination
      component="div"
      count={total}
      page={paging.page}
      rowsPerPage={paging.pageSize}
      rowsPerPageOptions={[25, 50, 100, 200]}
      onPageChange={(_, p) => paging.setPage(p)}
      onRowsPerPageChange={(e) => paging.setPageSize(Number(e.target.value))}
      labelRowsPerPage="每页"
      labelDisplayedRows={({ from, to, count }) => `${from}–${to}，共 ${count} 人`}
      data-testid="prep-pagination"
    />
  );
}
