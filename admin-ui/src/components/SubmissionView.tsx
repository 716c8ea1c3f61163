import { useState } from 'react';
import { Box, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useGetOne } from 'react-admin';
import { choicesOf, fieldsOf, labelOf, widgetOf, type FieldSchema } from '../lib/schema.ts';
import { formatDate, formatDateTime } from '../lib/format.ts';
import { FileChips, FilePreviewDialog, type PreviewFile } from './FilePreview.tsx';
import type { FileRef } from './FileUploadInput.tsx';
import { PiiReveal } from './PiiReveal.tsx';

/** Fields the API answers masked, by name: where 查看 asks for the whole number (an audited request). */
export type RevealUrls = Record<string, string>;

/** A group with more columns than this is shown as one card per entry: its table would not fit beside a form. */
const TABLE_COLUMNS = 6;

function UnitName({ id }: { id: number }) {
  const { data } = useGetOne('units', { id }, { enabled: Number.isInteger(id) });
  return <>{data?.name ?? id}</>;
}

function RegionName({ code }: { code: string }) {
  const { data } = useGetOne('regions', { id: code }, { enabled: /^\d{6}$/.test(code) });
  return <>{data?.label ?? code}</>;
}

/** A submitted value shown read-only, the way its form field would show it; attachments open in the page. */
export function ValueView({ schema, value, onOpen }: { schema: FieldSchema; value: unknown; onOpen?: (file: PreviewFile) => void }) {
  const [preview, setPreview] = useState<PreviewFile | null>(null);
  const open = onOpen ?? setPreview;
  if (value === null || value === undefined || value === '') return <Typography color="text.secondary">—</Typography>;
  switch (widgetOf(schema)) {
    case 'select': {
      const choice = choicesOf(schema).find((c) => c.id === String(value));
      return <>{choice?.name ?? String(value)}</>;
    }
    case 'multiselect': {
      const choices = choicesOf(schema);
      return <>{(value as unknown[]).map((v) => choices.find((c) => c.id === String(v))?.name ?? String(v)).join('、')}</>;
    }
    case 'boolean':
      return <>{value ? '是' : '否'}</>;
    case 'date':
      return <>{formatDate(String(value))}</>;
    case 'datetime':
      return <>{formatDateTime(String(value))}</>;
    case 'unit':
      return <UnitName id={Number(value)} />;
    case 'region':
      return <RegionName code={String(value)} />;
    case 'file':
      return (
        <>
          <FileChips files={value as FileRef[]} onOpen={open} />
          {onOpen ? null : <FilePreviewDialog file={preview} onClose={() => setPreview(null)} />}
        </>
      );
    case 'group': {
      const items = (value as Array<Record<string, unknown>>) ?? [];
      const columns = fieldsOf(schema.items);
      if (!items.length) return <Typography color="text.secondary">无</Typography>;
      if (columns.length > TABLE_COLUMNS) {
        return (
          <Box>
            {items.map((item, i) => (
              <Box key={i} sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 1, mb: 1 }} data-entry={i}>
                <Typography variant="caption" color="text.secondary">
                  第{i + 1}项
                </Typography>
                <FieldList fields={columns} data={item} onOpen={open} />
              </Box>
            ))}
            {onOpen ? null : <FilePreviewDialog file={preview} onClose={() => setPreview(null)} />}
          </Box>
        );
      }
      return (
        // wider than its column, the table scrolls in its own box
        // (width 0, min-width 100%: as wide as its column, never widening the page to the table's width)
        <Box sx={{ overflowX: 'auto', width: 0, minWidth: '100%' }}>
        <Table size="small" sx={{ '& td, & th': { minWidth: '5em', overflowWrap: 'normal', wordBreak: 'keep-all' } }}>
          <TableHead>
            <TableRow>
              <TableCell>序号</TableCell>
              {columns.map((c) => (
                <TableCell key={c.name}>{labelOf(c.name, c.schema)}</TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {items.map((item, i) => (
              <TableRow key={i}>
                <TableCell>{i + 1}</TableCell>
                {columns.map((c) => (
                  <TableCell key={c.name}>
                    <ValueView schema={c.schema} value={item[c.name]} onOpen={open} />
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {onOpen ? null : <FilePreviewDialog file={preview} onClose={() => setPreview(null)} />}
        </Box>
      );
    }
    default:
      return <Box sx={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{String(value)}</Box>;
  }
}

function FieldList({ fields, data, onOpen, reveal }: { fields: ReturnType<typeof fieldsOf>; data: Record<string, unknown>; onOpen?: (file: PreviewFile) => void; reveal?: RevealUrls }) {
  return (
    <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: 'minmax(6em, max-content) minmax(0, 1fr)', columnGap: 2, rowGap: 1, m: 0 }}>
      {fields.map((f) => {
        // a table or a long text takes the whole width, its label above it
        const wide = ['group', 'textarea'].includes(widgetOf(f.schema));
        return (
          <Box key={f.name} sx={{ display: 'contents' }}>
            <Typography component="dt" color="text.secondary" sx={wide ? { gridColumn: '1 / -1' } : undefined}>
              {labelOf(f.name, f.schema)}
            </Typography>
            <Box component="dd" sx={{ m: 0, minWidth: 0, ...(wide ? { gridColumn: '1 / -1' } : {}) }} data-field={f.name}>
              {(() => {
                const value = data[f.name];
                const url = reveal?.[f.name];
                if (url && typeof value === 'string' && value.includes('*')) return <PiiReveal text={value} url={url} testId={`pii-view-${f.name}`} />;
                return <ValueView schema={f.schema} value={value} onOpen={onOpen} />;
              })()}
            </Box>
          </Box>
        );
      })}
    </Box>
  );
}

/** Everything a form captured, label by label (the left side of the task page). */
export function SubmissionView({ schema, data, reveal }: { schema: FieldSchema | null; data: Record<string, unknown>; reveal?: RevealUrls }) {
  const fields = fieldsOf(schema);
  if (!fields.length) {
    return <Box component="pre" sx={{ fontSize: 12 }}>{JSON.stringify(data, null, 2)}</Box>;
  }
  return <FieldList fields={fields} data={data} reveal={reveal} />;
}
