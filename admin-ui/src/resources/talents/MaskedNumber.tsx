import { useState } from 'react';
import { Box, Button, Typography } from '@mui/material';
import { api } from '../../lib/api.ts';

/**
 * A masked ID number (`5101**********231X`) with 查看: the full number comes from an audited,
 * scoped request (`url`, e.g. `/api/talents/3/pii?field=idNumber`). A number shown in full (the
 * person's own) has no button.
 */
export function MaskedNumber({ value, url, testId }: { value: string; url: string; testId?: string }) {
  const [full, setFull] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const masked = value.includes('*');
  return (
    <Box component="span" sx={{ display: 'inline-flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
      <span data-testid={testId}>{full ?? value}</span>
      {masked && full === null ? (
        <Button
          size="small"
          sx={{ minWidth: 0, py: 0 }}
          data-testid={testId ? `${testId}-view` : undefined}
          title="查看完整号码（记入操作审计）"
          onClick={() => {
            api<{ value: string | null }>(url)
              .then((r) => setFull(r.value ?? '—'))
              .catch((e: unknown) => setError((e as Error).message));
          }}
        >
          查看
        </Button>
      ) : null}
      {error ? (
        <Typography color="error" variant="caption">
          {error}
        </Typography>
      ) : null}
    </Box>
  );
}
