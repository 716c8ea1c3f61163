import { createContext, useContext, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Box, Button, Card, CardContent, CardHeader, Chip, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { Loading } from 'react-admin';
import { api } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { FileChips, FilePreviewDialog, type PreviewFile } from '../../components/FilePreview.tsx';
import type { CaseField, CaseGroup, CaseSection, DossierCase } from './types.ts';

// a light amber, so that a changed value still reads as text
const changedSx = { bgcolor: '#fff4e5', outline: '1px solid', outlineColor: 'warning.light', borderRadius: 0.5 } as const;

function ChangedBadge() {
  return <Chip size="small" color="warning" label="已修改" sx={{ ml: 1, height: 20 }} />;
}

// the dossier shown, for 查看完整 of a masked number
const DossierIdContext = createContext<number | string | null>(null);
const MASKABLE: Record<string, 'idNumber' | 'phone'> = { 'applicant.idNumber': 'idNumber', phone: 'phone' };

/** A masked ID or phone number with 查看: the full number comes from an audited request. */
function MaskedValue({ field, kind }: { field: CaseField; kind: 'idNumber' | 'phone' }) {
  const id = useContext(DossierIdContext);
  const [full, setFull] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
      <span>{full ?? field.text}</span>
      {full === null && id != null ? (
        <Button
          size="small"
          data-testid={`pii-view-${kind}`}
          title="查看完整号码（记入操作审计）"
          onClick={() => {
            api<{ value: string | null }>(`/api/dossiers/${id}/pii?field=${kind}`)
              .then((r) => setFull(r.value ?? '—'))
              .catch((e: unknown) => setError((e as Error).message));
          }}
        >
          查看
        </Button>
      ) : null}
      {error ? <Typography color="error" variant="caption">{error}</Typography> : null}
    </Box>
  );
}

function Value({ field, onOpen }: { field: CaseField; onOpen: (f: PreviewFile) => void }) {
  if (field.files.length || field.text === null) {
    if (field.files.length || field.key.endsWith('files') || field.key.startsWith('materials.')) return <FileChips files={field.files} onOpen={onOpen} />;
    return <Typography color="text.secondary">—</Typography>;
  }
  const kind = MASKABLE[field.key];
  if (kind && field.text.includes('*')) return <MaskedValue field={field} kind={kind} />;
  return <Box sx={{ whiteSpace: field.long ? 'pre-wrap' : 'normal', overflowWrap: 'anywhere' }}>{field.text}</Box>;
}

/** Label above value, as many per line as fit: readable from a phone to a wide screen. */
function Fields({ fields, onOpen, title }: { fields: CaseField[]; onOpen: (f: PreviewFile) => void; title?: string }) {
  if (!fields.length) return null;
  // a section of one field named as the section (专业技术工作总结) needs no second heading
  const sole = fields.length === 1 && fields[0]!.label === title;
  return (
    <Box component="dl" sx={{ m: 0, display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 220px), 1fr))', gap: 1.5 }}>
      {fields.map((f) => (
        <Box key={f.key} data-field={f.key} data-changed={f.changed || undefined} sx={{ minWidth: 0, p: 0.5, gridColumn: f.long || f.files.length > 1 ? '1 / -1' : undefined, ...(f.changed ? changedSx : {}) }}>
          {sole && !f.changed ? null : (
            <Typography component="dt" variant="caption" color="text.secondary">
              {sole ? '' : f.label}
              {f.changed ? <ChangedBadge /> : null}
            </Typography>
          )}
          <Box component="dd" sx={{ m: 0 }}>
            <Value field={f} onOpen={onOpen} />
          </Box>
        </Box>
      ))}
    </Box>
  );
}

function Group({ group, onOpen }: { group: CaseGroup; onOpen: (f: PreviewFile) => void }) {
  return (
    <Box sx={{ mb: 2 }} data-testid={`case-group-${group.key}`}>
      {group.title ? (
        <Typography variant="subtitle1" sx={{ fontWeight: 600 }}>
          {group.title}
        </Typography>
      ) : null}
      {group.note ? (
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
          要求：{group.note}
        </Typography>
      ) : null}
      {!group.entries.length ? (
        <Typography color="text.secondary">无</Typography>
      ) : group.layout === 'table' ? (
        // a table wider than the screen scrolls in its own box; the page does not
        // (width 0, min-width 100%: the box takes the card's width and never widens the page to its table's)
        <Box sx={{ overflowX: 'auto', width: 0, minWidth: '100%' }} data-testid="case-table-scroll">
          <Table size="small" sx={{ minWidth: 480 }}>
            <TableHead>
              <TableRow>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>序号</TableCell>
                {group.entries[0]!.fields.map((f) => (
                  <TableCell key={f.key} sx={{ whiteSpace: 'nowrap' }}>
                    {f.label}
                  </TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {group.entries.map((e, i) => (
                <TableRow key={e.key} data-changed={e.changed || undefined} sx={e.added ? changedSx : undefined}>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>
                    {i + 1}
                    {e.added ? <ChangedBadge /> : null}
                  </TableCell>
                  {e.fields.map((f) => (
                    <TableCell key={f.key} data-field={f.key} sx={{ minWidth: f.files.length ? 160 : 96, ...(f.changed ? changedSx : {}) }}>
                      <Value field={f} onOpen={onOpen} />
                    </TableCell>
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      ) : (
        <Stack spacing={1}>
          {group.entries.map((e) => (
            <Box key={e.key} data-entry={e.key} sx={{ border: 1, borderColor: e.changed ? 'warning.main' : 'divider', borderRadius: 1, p: 1.5 }}>
              <Typography variant="subtitle2" sx={{ mb: 1, overflowWrap: 'anywhere' }}>
                {e.title}
                {e.added ? <Chip size="small" color="warning" label="新增" sx={{ ml: 1, height: 20 }} /> : e.changed ? <ChangedBadge /> : null}
              </Typography>
              <Fields fields={e.fields} onOpen={onOpen} />
            </Box>
          ))}
        </Stack>
      )}
    </Box>
  );
}

function Section({ section, onOpen }: { section: CaseSection; onOpen: (f: PreviewFile) => void }) {
  return (
    <Card sx={{ mb: 2, scrollMarginTop: 72 }} id={`case-${section.key}`} data-testid={`case-section-${section.key}`}>
      <CardHeader
        title={
          <>
            {section.title}
            {section.changed ? <ChangedBadge /> : null}
          </>
        }
        titleTypographyProps={{ variant: 'h6' }}
        sx={{ pb: 1 }}
      />
      <CardContent sx={{ pt: 0 }}>
        {!section.fields.length && !section.groups.length ? <Typography color="text.secondary">无</Typography> : null}
        <Fields fields={section.fields} onOpen={onOpen} title={section.title} />
        {section.fields.length && section.groups.length ? <Box sx={{ mt: 2 }} /> : null}
        {section.groups.map((g) => (
          <Group key={g.key} group={g} onOpen={onOpen} />
        ))}
      </CardContent>
    </Card>
  );
}

/** 修改痕迹: what the resubmission changed since the return, one line each. */
function Changes({ changes }: { changes: NonNullable<DossierCase['changes']> }) {
  return (
    <Alert severity={changes.items.length ? 'warning' : 'info'} sx={{ mb: 2 }} data-testid="case-changes">
      <Typography variant="subtitle2">
        修改痕迹：{formatDateTime(changes.returnedAt)} 退回后{changes.resubmittedAt ? `，于 ${formatDateTime(changes.resubmittedAt)} 重新提交` : '重新提交'}
        {changes.items.length ? `，修改了 ${changes.items.length} 处：` : '，未作修改'}
      </Typography>
      {changes.items.length ? (
        <ul style={{ margin: 0, paddingLeft: 20 }}>
          {changes.items.map((c, i) => (
            <li key={i} style={{ overflowWrap: 'anywhere' }}>
              {c.text}
            </li>
          ))}
        </ul>
      ) : null}
    </Alert>
  );
}

/**
 * 申报材料全文: the declaration in sections, every attachment opened in the page, and after a
 * resubmission what changed. The same view for the applicant and for every reader on the chain.
 */
export function CaseView({ id }: { id: number | string }) {
  const { data, error } = useQuery({ queryKey: ['dossier-case', String(id)], queryFn: () => api<DossierCase>(`/api/dossiers/${id}/case`) });
  const [preview, setPreview] = useState<PreviewFile | null>(null);
  if (error) return <Alert severity="error">{(error as Error).message}</Alert>;
  if (!data) return <Loading />;
  return (
    <DossierIdContext.Provider value={id}>
    <Box data-testid="dossier-case" sx={{ minWidth: 0 }}>
      <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center', mb: 2 }} data-testid="case-nav">
        <Typography variant="h6" sx={{ mr: 1 }}>
          申报材料
        </Typography>
        <Chip size="small" label={data.versionLabel} color={data.version === 'submitted' ? 'default' : 'warning'} />
        {data.sections.map((s) => (
          <Chip
            key={s.key}
            size="small"
            variant="outlined"
            clickable
            color={s.changed ? 'warning' : 'default'}
            label={s.title}
            onClick={() => document.getElementById(`case-${s.key}`)?.scrollIntoView({ behavior: 'smooth', block: 'start' })}
          />
        ))}
      </Stack>
      {data.changes ? <Changes changes={data.changes} /> : null}
      {data.sections.map((s) => (
        <Section key={s.key} section={s} onOpen={setPreview} />
      ))}
      <FilePreviewDialog file={preview} onClose={() => setPreview(null)} />
    </Box>
    </DossierIdContext.Provider>
  );
}
