import type { TestApp } from './app.ts';

export interface UploadFile {
  name: string;
  type: string;
  content: Buffer;
}

function multipart(files: UploadFile[]) {
  const boundary = '----zcpsTestBoundary';
  const parts = files.map((f) =>
    Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`),
      f.content,
      Buffer.from('\r\n'),
    ]),
  );
  return { payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Uploads files as the console does (POST /api/files, multipart). */
export async function upload(t: TestApp, user: string, files: UploadFile[]) {
  const body = multipart(files);
  return t.app.inject({ method: 'POST', url: '/api/files', payload: body.payload, headers: { ...body.headers, authorization: `Bearer ${await t.token(user)}` } });
}

/** Uploads one small PDF and returns its file reference. */
export async function uploadPdf(t: TestApp, user: string, name = '核准备案请示.pdf'): Promise<{ id: string; name: string; size: number; mime: string }> {
  const res = await upload(t, user, [{ name, type: 'application/pdf', content: Buffer.from(`%PDF-1.4\n% ${name} ${Math.random()}\n`) }]);
  if (res.statusCode !== 201 && res.statusCode !== 200) throw new Error(`upload failed: ${res.statusCode} ${res.body}`);
  const [file] = res.json() as Array<{ id: string; name: string; size: number; mime: string }>;
  return { id: file!.id, name: file!.name, size: file!.size, mime: file!.mime };
}
