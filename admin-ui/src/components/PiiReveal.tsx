import { useState } from 'react';
import { Box, Button, Typography } from '@mui/material';
import { api } from '../lib/api.ts';

/**
 * A masked ID or phone number with 查看: the whole number comes from an audited, scoped request
 * (`url` answers `{ value }`), shown in place of the masked one. A number shown in full (the
 * person's own) has no button. Test ids: the number `<testId>-text`, the button `<testId>`.
 */
export function PiiReveal({ text, url, testId, variant }: { text: string; url: string; testId: string; variant?: 'caption' | 'body2' }) {
  const [full, setFull] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <Box component="span" sx={{ display: 'inline-flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
      <Typography component="span" variant={variant ?? 'body2'} data-testid={`${testId}-text`}>
        {full ?? text}
      </Typography>
      {full === null && text.includes('*') ? (
        <Button
          size="small"
          sx={{ minWidth: 0, py: 0 }}
          data-testid={testId}
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
      {error ? <Typography color="error" variant="caption">{error}</Typography> : null}
    </Box>
  );
}
