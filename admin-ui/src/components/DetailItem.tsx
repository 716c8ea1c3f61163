import type { ReactNode } from 'react';
import { Grid, Typography } from '@mui/material';

/** One labelled value of a read-only detail grid (— when empty). */
export function DetailItem({ label, value, children }: { label: string; value?: string | number | null; children?: ReactNode }) {
  const shown = children ?? value;
  return (
    <Grid size={{ xs: 12, sm: 6, md: 4 }}>
      <Typography variant="caption" color="text.secondary">
        {label}
      </Typography>
      <Typography component="div">{shown === null || shown === undefined || shown === '' ? '—' : shown}</Typography>
    </Grid>
  );
}
