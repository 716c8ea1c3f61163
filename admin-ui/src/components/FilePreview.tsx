import { useEffect, useState } from 'react';
import { Alert, Box, Button, Chip, CircularProgress, Dialog, DialogActions, DialogContent, DialogTitle, Typography } from '@mui/material';
import AttachFileIcon from '@mui/icons-material/AttachFile';
import { authFetch } from '../lib/api.ts';
import { downloadFile } from '../lib/download.ts';

export interface PreviewFile {
  id: string;
  name: string;
  mime: string;
  size?: number;
}

const IMAGE = /\.(png|jpe?g|gif|webp|bmp)$/i;

/** What the browser can show of a file: a PDF in its viewer, an image as is; anything else is downloaded. */
function kindOf(file: PreviewFile): { kind: 'pdf' | 'image' | 'other'; type: string } {
  const mime = file.mime.toLowerCase();
  // uploads from some systems come as octet-stream; the name still says what they are
  if (mime === 'application/pdf' || (!mime.startsWith('image/') && /\.pdf$/i.test(file.name))) return { kind: 'pdf', type: 'application/pdf' };
  if (mime.startsWith('image/')) return { kind: 'image', type: mime };
  if (IMAGE.test(file.name)) return { kind: 'image', type: `image/${file.name.split('.').pop()!.toLowerCase().replace('jpg', 'jpeg')}` };
  return { kind: 'other', type: mime || 'application/octet-stream' };
}

/** 预览: the attachment shown in the page (fetched with the login token, which a plain link would not carry). */
export function FilePreviewDialog({ file, onClose }: { file: PreviewFile | null; onClose: () => void }) {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const kind = file ? kindOf(file) : null;
  useEffect(() => {
    if (!file || kindOf(file).kind === 'other') return;
    let revoked = false;
    let objectUrl: string | null = null;
    setUrl(null);
    setError(null);
    authFetch(`/api/files/${file.id}`)
      .then(async (res) => {
        if (!res.ok) throw new Error(((await res.json().catch(() => ({}))) as { message?: string }).message ?? '附件读取失败');
        const blob = new Blob([await res.arrayBuffer()], { type: kindOf(file).type });
        if (revoked) return;
        objectUrl = URL.createObjectURL(blob);
        setUrl(objectUrl);
      })
      .catch((err: Error) => setError(err.message));
    return () => {
      revoked = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [file]);
  return (
    <Dialog open={file !== null} onClose={onClose} fullWidth maxWidth="lg" data-testid="file-preview">
      <DialogTitle sx={{ overflowWrap: 'anywhere' }}>{file?.name}</DialogTitle>
      <DialogContent dividers sx={{ p: 0, minHeight: 200 }}>
        {error ? <Alert severity="error">{error}</Alert> : null}
        {kind?.kind === 'other' ? (
          <Typography sx={{ p: 2 }} color="text.secondary">
            该类型的附件不能在浏览器中查看，请下载后查看。
          </Typography>
        ) : !url && !error ? (
          <Box sx={{ p: 4, textAlign: 'center' }}>
            <CircularProgress size={28} />
          </Box>
        ) : url && kind?.kind === 'pdf' ? (
          <Box component="iframe" title={file?.name} src={url} data-testid="file-preview-pdf" sx={{ border: 0, width: '100%', height: '75vh', display: 'block' }} />
        ) : url && kind?.kind === 'image' ? (
          <Box sx={{ textAlign: 'center', p: 1 }}>
            <Box component="img" src={url} alt={file?.name} data-testid="file-preview-image" sx={{ maxWidth: '100%', maxHeight: '75vh' }} />
          </Box>
        ) : null}
      </DialogContent>
      <DialogActions>
        {url ? (
          <Button component="a" href={url} target="_blank" rel="noopener">
            在新窗口打开
          </Button>
        ) : null}
        {file ? <Button onClick={() => void downloadFile(file.id, file.name)}>下载</Button> : null}
        <Button variant="contained" onClick={onClose}>
          关闭
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** Attachments as chips; a click opens the file in the page. */
export function FileChips({ files, onOpen }: { files: PreviewFile[]; onOpen: (file: PreviewFile) => void }) {
  if (!files.length) return <Typography color="text.secondary">无</Typography>;
  return (
    <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.5 }}>
      {files.map((f) => (
        <Chip key={f.id} size="small" icon={<AttachFileIcon />} label={f.name} onClick={() => onOpen(f)} data-file={f.name} sx={{ maxWidth: '100%' }} />
      ))}
    </Box>
  );
}
