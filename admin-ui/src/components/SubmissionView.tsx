import { Box, Chip, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useGetOne } from 'react-admin';
import { choicesOf, fieldsOf, labelOf, widgetOf, type FieldSchema } from '../lib/schema.ts';
import { formatDate, formatDateTime } from '../lib/format.ts';
import { downloadFile } from '../lib/download.ts';
import type { FileRef } from './FileUploadInput.tsx';

function UnitName({ id }: { id: number }) {
  const { data } = useGetOne('units', { id }, { enabled: Number.isInteger(id) });
  return <>{data?.name ?? id}</>;
}

function RegionName({ code }: { code: string }) {
  const { data } = useGetOne('regions', { id: code }, { enabled: /^\d{6}$/.test(code) });
  return <>{data?.label ?? code}</>;
}

/** A submitted value shown read-only, the way its form field would show it. */
export function ValueView({ schema, value }: { schema: FieldSchema; value: unknown }) {
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
        <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
          {(value as FileRef[]).map((f) => (
            <Chip key={f.id} size="small" label={f.name} onClick={() => void downloadFile(f.id, f.name)} />
          ))}
        </Stack>
      );
    case 'group': {
      const items = (value as Array<Record<string, unknown>>) ?? [];
      const columns = fieldsOf(schema.items);
      if (!items.length) return <Typography color="text.secondary">无</Typography>;
      return (
        <Table size="small">
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
                    <ValueView schema={c.schema} value={item[c.name]} />
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      );
    }
    default:
      return <Box sx={{ whiteSpace: 'pre-wrap' }}>{String(value)}</Box>;
  }
}

/** Everything a form captured, label by label (the left side of the task page). */
export function SubmissionView({ schema, data }: { schema: FieldSchema | null; data: Record<string, unknown> }) {
  const fields = fieldsOf(schema);
  if (!fields.length) {
    return <Box component="pre" sx={{ fontSize: 12 }}>{JSON.stringify(data, null, 2)}</Box>;
  }
  return (
    <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: 'minmax(8em, max-content) 1fr', columnGap: 2, rowGap: 1, m: 0 }}>
      {fields.map((f) => (
        <Box key={f.name} sx={{ display: 'contents' }}>
          <Typography component="dt" color="text.secondary">
            {labelOf(f.name, f.schema)}
          </Typography>
          <Box component="dd" sx={{ m: 0 }} data-field={f.name}>
            <ValueView schema={f.schema} value={data[f.name]} />
          </Box>
        </Box>
      ))}
    </Box>
  );
}
