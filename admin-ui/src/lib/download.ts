import { session } from './api.ts';

/** Downloads from the API with the login token (a plain link would not carry it). */
export async function downloadFrom(path: string, name: string): Promise<void> {
  const res = await fetch(path, { headers: { Authorization: `Bearer ${session.token() ?? ''}` } });
  if (!res.ok) throw new Error(((await res.json().catch(() => ({ message: '下载失败' }))) as { message?: string }).message ?? '下载失败');
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Downloads an attachment. */
export async function downloadFile(id: string, name: string): Promise<void> {
  return downloadFrom(`/api/files/${id}`, name);
}
