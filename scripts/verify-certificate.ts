/**
 * Verifies a certificate's QR code without the database:
 *   npx tsx scripts/verify-certificate.ts "<qr text>" [keys.json]
 * keys.json is what GET /api/public/certificate-keys answers; without it the keys are fetched
 * from the address in the QR text. Checks the SM2 signature with the key the payload names
 * (retired keys included); whether the certificate was revoked since is answered only online.
 */
import { readFile } from 'node:fs/promises';
import { verifyOffline, type PublishedKey } from '../api/modules/certificate-documents/certificate-documents.verify.ts';

async function keysFrom(qrText: string, file: string | undefined): Promise<PublishedKey[]> {
  if (file) return JSON.parse(await readFile(file, 'utf8')) as PublishedKey[];
  const res = await fetch(new URL('/api/public/certificate-keys', qrText));
  if (!res.ok) throw new Error(`获取公钥失败：HTTP ${res.status}`);
  return (await res.json()) as PublishedKey[];
}

async function main() {
  const [qrText, file] = process.argv.slice(2);
  if (!qrText) {
    console.error('用法：npx tsx scripts/verify-certificate.ts "<二维码内容>" [keys.json]');
    process.exit(2);
  }
  const result = verifyOffline(qrText, await keysFrom(qrText, file));
  if (!result.valid) {
    console.log(`伪造/签名无效：${result.reason}`);
    process.exit(1);
  }
  console.log(`签名有效：证书编号 ${result.certificateNo}，签名密钥 ${result.key.keyId}（${result.key.unitName}${result.key.validTo ? `，已于 ${result.key.validTo.slice(0, 10)} 停用` : ''}）`);
  console.log(`证书内容：${result.payload}`);
  console.log('是否已撤销请在线核验。');
}

await main();
