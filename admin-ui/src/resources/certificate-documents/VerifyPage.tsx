import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, AlertTitle, Box, Button, Card, CardContent, Container, LinearProgress, Link, Stack, TextField, Typography } from '@mui/material';
import { Link as RouterLink, useSearchParams } from 'react-router-dom';
import type { Verification } from './types.ts';

/** The public API, without a login token (whoever scans a certificate). */
async function publicGet<T>(path: string): Promise<T> {
  const res = await fetch(path);
  const body = (await res.json()) as T & { message?: string };
  if (!res.ok) throw new Error(body.message ?? '查询失败');
  return body;
}

const SEVERITY = { valid: 'success', revoked: 'warning', forged: 'error' } as const;

function Row({ label, value }: { label: string; value: string | null }) {
  return (
    <Stack direction="row" spacing={1.5} sx={{ py: 0.75, borderBottom: 1, borderColor: 'divider' }}>
      <Typography color="text.secondary" sx={{ width: 84, flexShrink: 0 }}>
        {label}
      </Typography>
      <Typography sx={{ overflowWrap: 'anywhere', fontWeight: 500 }}>{value || '—'}</Typography>
    </Stack>
  );
}

/** The answer of a check: 有效 / 已撤销 (with date and reason) / 伪造, and the certificate's public facts. */
function VerificationCard({ data }: { data: Verification }) {
  const c = data.certificate;
  return (
    <Card data-testid="verification">
      <CardContent>
        <Alert severity={SEVERITY[data.result]} sx={{ mb: 2 }} data-testid="verification-result">
          <AlertTitle sx={{ fontSize: 18, mb: 0 }}>{data.result === 'forged' ? '伪造/签名无效' : `证书状态：${data.resultLabel}`}</AlertTitle>
          {data.result === 'revoked' && c ? `该证书已于 ${c.revokedOn ?? ''} 撤销${c.revokeReason ? `，原因：${c.revokeReason}` : ''}` : null}
          {data.result === 'forged' ? `${data.reason ?? ''}。请勿采信该证书。` : null}
          {data.result === 'valid' ? '发证单位签名有效，证书在系统中有效。' : null}
        </Alert>
        {c ? (
          <Box>
            <Row label="姓名" value={c.personName} />
            <Row label="身份证号" value={c.idNumber} />
            <Row label="职称" value={`${c.titleName}（${c.level}）`} />
            <Row label="系列专业" value={`${c.series} · ${c.specialty}`} />
            <Row label="取得方式" value={c.kindLabel} />
            <Row label="评审机构" value={c.committeeName} />
            <Row label="发证单位" value={c.issuerName} />
            <Row label="批准时间" value={c.approvalDate} />
            <Row label="文号" value={c.documentNo} />
            <Row label="证书编号" value={c.certificateNo} />
          </Box>
        ) : null}
      </CardContent>
    </Card>
  );
}

/**
 * 证书核验 (no login): what a certificate's QR code opens — the signature checked against the
 * issuer's published key, then the certificate's state — and a lookup by 证书编号.
 */
export function VerifyPage() {
  const [params, setParams] = useSearchParams();
  const p = params.get('p');
  const s = params.get('s');
  const no = params.get('no');
  const [input, setInput] = useState(no ?? '');
  const path = p && s ? `/api/public/certificates/verify?p=${encodeURIComponent(p)}&s=${encodeURIComponent(s)}` : no ? `/api/public/certificates/${encodeURIComponent(no)}` : null;
  const { data, error, isFetching } = useQuery({ queryKey: ['certificate-verify', path], queryFn: () => publicGet<Verification>(path!), enabled: Boolean(path), retry: false });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = input.trim();
    if (value) setParams({ no: value });
  };
  return (
    <Box sx={{ minHeight: '100vh', bgcolor: 'grey.100', py: { xs: 2, sm: 4 } }}>
      <Container maxWidth="sm">
        <Stack direction="row" sx={{ mb: 2, alignItems: 'center', justifyContent: 'space-between' }}>
          <Typography variant="h5" component="h1">
            职称证书核验
          </Typography>
          <Link component={RouterLink} to="/public/activities">
            系统首页
          </Link>
        </Stack>
        {isFetching ? <LinearProgress sx={{ mb: 2 }} /> : null}
        {error ? (
          <Alert severity="error" sx={{ mb: 2 }} data-testid="verification-error">
            {(error as Error).message}
          </Alert>
        ) : null}
        {data && path ? <VerificationCard data={data} /> : null}
        <Card sx={{ mt: 2 }}>
          <CardContent>
            <Typography variant="subtitle1" sx={{ mb: 1 }}>
              按证书编号查询
            </Typography>
            <Stack component="form" direction={{ xs: 'column', sm: 'row' }} spacing={1} onSubmit={submit}>
              <TextField size="small" label="证书编号" value={input} onChange={(e) => setInput(e.target.value)} fullWidth slotProps={{ htmlInput: { 'data-testid': 'certificate-no' } }} />
              <Button type="submit" variant="contained" sx={{ flexShrink: 0 }}>
                查询
              </Button>
            </Stack>
            <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mt: 1 }}>
              证书编号印在证书上，共 14 位，最后一位为校验位。扫描证书上的二维码可直接核验签名。
            </Typography>
          </CardContent>
        </Card>
      </Container>
    </Box>
  );
}
