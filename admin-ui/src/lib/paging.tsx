import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { TablePagination, TextField } from '@mui/material';
import { HttpError } from 'react-admin';
import { authFetch, type ApiErrorBody } from './api.ts';

/** One page of an array list and its total, read from Content-Range (`persons 0-49/1000`). */
export async function fetchPage<T>(url: string): Promise<{ rows: T[]; total: number }> {
  const res = await authFetch(url);
  const text = await res.text();
  const data = text ? (JSON.parse(text) as unknown) : null;
  if (!res.ok) {
    const err = (data ?? {}) as ApiErrorBody;
    throw new HttpError(err.message ?? `请求失败（${res.status}）`, res.status, err);
  }
  const rows = data as T[];
  const total = Number(res.headers.get('Content-Range')?.split('/').pop() ?? rows.length);
  return { rows, total: Number.isFinite(total) ? total : rows.length };
}

/**
 * Page, size, the start of a name and any other filters (状态, 专业组 …) of a list the API pages
 * (`page`, `pageSize`, `name`, and each filter by its own name); a change of filter goes back to
 * the first page.
 */
export function usePaging(initialSize = 50) {
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(initialSize);
  const [name, setName] = useState('');
  const [filters, setFilters] = useState<Record<string, string>>({});
  const params = new URLSearchParams({ page: String(page + 1), pageSize: String(pageSize) });
  if (name) params.set('name', name);
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  return {
    params,
    page,
    pageSize,
    name,
    filter: (key: string) => filters[key] ?? '',
    setPage,
    setPageSize: (n: number) => {
      setPageSize(n);
      setPage(0);
    },
    setName: (v: string) => {
      setName(v);
      setPage(0);
    },
    setFilter: (key: string, value: string) => {
      setFilters((f) => ({ ...f, [key]: value }));
      setPage(0);
    },
  };
}
export type Paging = ReturnType<typeof usePaging>;

/** An array list a page at a time; the previous page stays while the next loads. */
export function usePagedArray<T>(key: unknown[], url: string, paging: Paging) {
  const full = `${url}${url.includes('?') ? '&' : '?'}${paging.params.toString()}`;
  return useQuery({ queryKey: [...key, full], queryFn: () => fetchPage<T>(full), placeholderData: keepPreviousData });
}

/** 姓名（开头）: searched on Enter or when the field is left. */
export function NameFilter({ paging, testId }: { paging: Paging; testId: string }) {
  const [typed, setTyped] = useState(paging.name);
  const search = () => typed.trim() !== paging.name && paging.setName(typed.trim());
  return (
    <TextField
      size="small"
      label="姓名（开头）"
      value={typed}
      onChange={(e) => setTyped(e.target.value)}
      onBlur={search}
      onKeyDown={(e) => e.key === 'Enter' && search()}
      sx={{ minWidth: 160 }}
      slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': testId, maxLength: 50 } }}
    />
  );
}

/** 第 a–b 条，共 n 条, with the page size to choose. */
export function ListPager({ paging, total, unit = '人', testId }: { paging: Paging; total: number; unit?: string; testId?: string }) {
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
      labelDisplayedRows={({ from, to, count }) => `${from}–${to}，共 ${count} ${unit}`}
      data-testid={testId}
    />
  );
}
