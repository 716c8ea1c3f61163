import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Box, Button, Card, CardContent, CardHeader, Chip, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, LinearProgress, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { Title, useNotify } from 'react-admin';
import { api } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import type { SigningKey } from './types.ts';

/**
 * 证书签名密钥: the unit's SM2 keys (the active one signs new certificates; retired ones still
 * verify the certificates they signed) and 轮换密钥 behind a confirmation.
 */
export function CertificateKeysPage() {
  const { data, error, refetch } = useQuery({ queryKey: ['certificate-keys'], queryFn: () => api<SigningKey[]>('/api/certificate-keys') });
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const notify = useNotify();
  const active = data?.find((k) => k.active) ?? null;
  const rotate = async () => {
    setBusy(true);
    try {
      const created = await api<{ keyId: string }>('/api/certificate-keys/rotate', { method: 'POST', json: { currentKeyId: active?.keyId ?? null } });
      notify(`已启用新密钥 ${created.keyId}`, { type: 'success' });
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
    } finally {
      setBusy(false);
      setConfirming(false);
      void refetch();
    }
  };
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="证书签名密钥" />
      <Card>
        <CardHeader
          title="证书签名密钥"
          subheader="国密签名算法。新发放的证书用当前密钥签名；轮换后旧密钥停用，用它签名的证书仍可核验。公钥在核验页面公开，可离线核验。"
          action={
            <Button variant="contained" color="warning" onClick={() => setConfirming(true)} disabled={!data} data-testid="rotate-key">
              轮换密钥
            </Button>
          }
        />
        <CardContent>
          {error ? <Alert severity="error">{(error as Error).message}</Alert> : null}
          {!data && !error ? <LinearProgress /> : null}
          {data && !data.length ? <Alert severity="info">本单位还没有签名密钥：发放第一张证书时自动生成。</Alert> : null}
          {data?.length ? (
            <Box sx={{ overflowX: 'auto' }}>
              <Table size="small" data-testid="certificate-keys">
                <TableHead>
                  <TableRow>
                    <TableCell>密钥编号</TableCell>
                    <TableCell>状态</TableCell>
                    <TableCell>启用时间</TableCell>
                    <TableCell>停用时间</TableCell>
                    <TableCell>公钥</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {data.map((k) => (
                    <TableRow key={k.keyId}>
                      <TableCell>{k.keyId}</TableCell>
                      <TableCell>
                        <Chip size="small" label={k.active ? '使用中' : '已停用'} color={k.active ? 'success' : 'default'} />
                      </TableCell>
                      <TableCell>{formatDateTime(k.validFrom)}</TableCell>
                      <TableCell>{k.validTo ? formatDateTime(k.validTo) : '—'}</TableCell>
                      <TableCell>
                        <Typography variant="caption" sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
                          {k.publicKey}
                        </Typography>
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Box>
          ) : null}
        </CardContent>
      </Card>
      <Dialog open={confirming} onClose={() => setConfirming(false)}>
        <DialogTitle>轮换签名密钥？</DialogTitle>
        <DialogContent>
          <DialogContentText>
            将停用当前密钥{active ? ` ${active.keyId}` : ''}并生成新密钥，此后发放的证书用新密钥签名。已发放的证书仍可核验。请在怀疑密钥泄露或按规定定期轮换时操作。
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(false)}>取消</Button>
          <Button color="warning" variant="contained" disabled={busy} onClick={rotate} data-testid="rotate-confirm">
            确认轮换
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
