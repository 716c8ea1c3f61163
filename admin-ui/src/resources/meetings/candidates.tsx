import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Stack, TablePagination, TextField } from '@mui/material';
import { api } from '../../lib/api.ts';
import type { MeetingCandidatePage, MeetingDetail } from './types.ts';

/** What the 参评人员 list is narrowed to; empty strings are "all". */
export interface CandidateFilters {
  name: string;
  status: string;
  panelId: string;
  assigned: string;
}

const NO_FILTER: CandidateFilters = { name: '', status: '', panelId: '', assigned: '' };
export const PAGE_SIZES = [25, 50, 100, 200];

/**
 * One page of a meeting's candidates (GET /api/meetings/:id/candidates): a meeting of 3,000 is
 * worked through page by page, narrowed by name, status, panel or 主审. The previous page stays on
 * screen while the next loads.
 */
export function useCandidatePage(meetingId: number | undefined) {
  const [filters, setFilters] = useState<CandidateFilters>(NO_FILTER);
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(50);
  const params = new URLSearchParams({ page: String(page + 1), pageSize: String(pageSize) });
  for (const [key, value] of Object.entries(filters)) if (value.trim()) params.set(key, value.trim());
  const query = useQuery({
    queryKey: ['meeting-candidates', meetingId, params.toString()],
    queryFn: () => api<MeetingCandidatePage>(`/api/meetings/${meetingId}/candidates?${params.toString()}`),
    enabled: meetingId != null,
    placeholderData: keepPreviousData,
  });
  return {
    ...query,
    filters,
    page,
    pageSize,
    setFilters: (next: CandidateFilters) => {
      setFilters(next);
      setPage(0);
    },
    setPage,
    setPageSize: (size: number) => {
      setPageSize(size);
      setPage(0);
    },
  };
}

/** The list's filters: 姓名（开头）, 状态, 专业组 and (人员分配) 主审. */
export function CandidateFilterBar({ meeting, list, withAssigned }: { meeting: MeetingDetail; list: ReturnType<typeof useCandidatePage>; withAssigned?: boolean }) {
  const { filters, setFilters } = list;
  const [name, setName] = useState(filters.name);
  const slot = (testId: string) => ({ inputLabel: { shrink: true }, select: { native: true }, htmlInput: { 'data-testid': testId } });
  return (
    <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ mb: 1 }} data-testid="candidate-filters">
      <TextField
        size="small"
        label="姓名（开头）"
        value={name}
        onChange={(e) => setName(e.target.value)}
        onBlur={() => name !== filters.name && setFilters({ ...filters, name })}
        onKeyDown={(e) => e.key === 'Enter' && setFilters({ ...filters, name })}
        sx={{ minWidth: 160 }}
        slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'candidate-name', maxLength: 50 } }}
      />
      <TextField select size="small" label="状态" value={filters.status} onChange={(e) => setFilters({ ...filters, status: e.target.value })} sx={{ minWidth: 140 }} slotProps={slot('candidate-status')}>
        <option value="">全部（{meeting.candidateSummary.total}）</option>
        {meeting.candidateSummary.byStatus.map((s) => (
          <option key={s.status} value={s.status}>
            {s.label}（{s.count}）
          </option>
        ))}
      </TextField>
      {meeting.facts.hasPanels ? (
        <TextField select size="small" label="专业组" value={filters.panelId} onChange={(e) => setFilters({ ...filters, panelId: e.target.value })} sx={{ minWidth: 140 }} slotProps={slot('candidate-panel-filter')}>
          <option value="">全部</option>
          <option value="0">未分组</option>
          {meeting.panels.map((p) => (
            <option key={p.id} value={String(p.id)}>
              {p.name}
            </option>
          ))}
        </TextField>
      ) : null}
      {withAssigned ? (
        <TextField select size="small" label="主审" value={filters.assigned} onChange={(e) => setFilters({ ...filters, assigned: e.target.value })} sx={{ minWidth: 160 }} slotProps={slot('candidate-assigned')}>
          <option value="">全部</option>
          <option value="false">未分配主审（{meeting.candidateSummary.unassigned}）</option>
          <option value="true">已分配主审</option>
        </TextField>
      ) : null}
    </Stack>
  );
}

/** 第 a–b 条，共 n 条, with the page size to choose. */
export function CandidatePagination({ list }: { list: ReturnType<typeof useCandidatePage> }) {
  return (
    <TablePagination
      component="div"
      count={list.data?.total ?? 0}
      page={list.page}
      rowsPerPage={list.pageSize}
      rowsPerPageOptions={PAGE_SIZES}
      onPageChange={(_, p) => list.setPage(p)}
      onRowsPerPageChange={(e) => list.setPageSize(Number(e.target.value))}
      labelRowsPerPage="每页"
      labelDisplayedRows={({ from, to, count }) => `${from}–${to}，共 ${count} 人`}
      data-testid="candidate-pagination"
    />
  );
}
