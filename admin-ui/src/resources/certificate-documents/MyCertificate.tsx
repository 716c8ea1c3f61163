import { useQuery } from '@tanstack/react-query';
import { Button, Stack, Typography } from '@mui/material';
import DownloadIcon from '@mui/icons-material/Download';
import { useNotify } from 'react-admin';
import { api } from '../../lib/api.ts';
import { downloadFrom } from '../../lib/download.ts';
import type { Certificate } from './types.ts';

/** The signed-in person's certificates (one read for the whole 我的申报 list). */
export function useMyCertificates(enabled = true) {
  return useQuery({ queryKey: ['my-certificates'], queryFn: () => api<Certificate[]>('/api/my/certificates'), enabled, retry: false, staleTime: 60_000 });
}

/**
 * 证书编号 of a dossier's result, and 下载证书 when the reader is the person it was issued to
 * (their own certificates; staff reading the dossier see the number only).
 */
export function DossierCertificate({ dossierId, certificateNo }: { dossierId: number; certificateNo: string }) {
  const { data } = useMyCertificates();
  const notify = useNotify();
  const certificate = data?.find((c) => c.dossierId === dossierId);
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }} useFlexGap data-testid="dossier-certificate">
      <Typography variant="body2">
        证书编号：{certificateNo}
        {certificate?.status === 'revoked' ? '（已撤销）' : ''}
      </Typography>
      {certificate?.status === 'valid' ? (
        <Button
          size="small"
          startIcon={<DownloadIcon />}
          onClick={() => downloadFrom(`/api/my/certificates/${certificate.id}/pdf`, `职称证书-${certificate.personName}-${certificate.certificateNo}.pdf`).catch((err: Error) => notify(err.message, { type: 'error' }))}
        >
          下载证书
        </Button>
      ) : null}
    </Stack>
  );
}
