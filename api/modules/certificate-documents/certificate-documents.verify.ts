import { parsePayload } from '../certificates/certificates.service.ts';
import { sm2Verify } from '../certificates/sm2.ts';

/**
 * The QR code's text and its check without a database: what the public page, the API and
 * `scripts/verify-certificate.ts` share. A certificate carries `${PUBLIC_URL}/verify?p=…&s=…`:
 * `p` the signed payload (UTF-8, base64url), `s` the signature's 64 bytes r‖s (base64url).
 */

/** A key as `GET /api/public/certificate-keys` publishes it (and `keys.json` holds it offline). */
export interface PublishedKey {
  keyId: string;
  unitName: string;
  /** uncompressed point 04‖x‖y, hex */
  publicKey: string;
  validFrom: string;
  /** when it was retired (null: in use); certificates signed before stay valid */
  validTo: string | null;
}

export interface SignedPayload {
  payload: string;
  signatureHex: string;
}

export type PayloadFields = NonNullable<ReturnType<typeof parsePayload>>;

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The public verification address of a signed payload. */
export function qrTextOf(publicUrl: string, payload: string, signatureHex: string): string {
  const p = Buffer.from(payload, 'utf8').toString('base64url');
  const s = Buffer.from(signatureHex, 'hex').toString('base64url');
  return `${publicUrl.replace(/\/+$/, '')}/verify?p=${p}&s=${s}`;
}

/**
 * The payload and signature of `p` and `s`, or null when they are not what a certificate
 * prints: not base64url, not UTF-8, or a signature that is not 64 bytes.
 */
export function decodeSigned(p: string, s: string): SignedPayload | null {
  if (!BASE64URL.test(p) || !BASE64URL.test(s) || p.length > 4096) return null;
  const bytes = Buffer.from(p, 'base64url');
  const payload = bytes.toString('utf8');
  if (!Buffer.from(payload, 'utf8').equals(bytes)) return null;
  const signature = Buffer.from(s, 'base64url');
  if (signature.length !== 64) return null;
  return { payload, signatureHex: signature.toString('hex') };
}

/** `p` and `s` of a QR code's text (the whole address), or null. */
export function parseQrText(text: string): SignedPayload | null {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  const p = url.searchParams.get('p');
  const s = url.searchParams.get('s');
  return p && s ? decodeSigned(p, s) : null;
}

export type OfflineResult =
  | { valid: true; certificateNo: string; key: PublishedKey; payload: string; fields: PayloadFields }
  | { valid: false; reason: string };

/**
 * Checks a QR code's text against published keys, with no database: the signature with the key
 * the payload names (retired keys included). Whether the certificate was revoked since can only
 * be answered online.
 */
export function verifyOffline(qrText: string, keys: PublishedKey[]): OfflineResult {
  const signed = parseQrText(qrText);
  if (!signed) return { valid: false, reason: '二维码内容不是证书核验地址，或已被篡改' };
  const fields = parsePayload(signed.payload);
  if (!fields) return { valid: false, reason: '证书内容格式不正确' };
  const key = keys.find((k) => k.keyId === fields.keyId);
  if (!key) return { valid: false, reason: `签名密钥 ${fields.keyId} 不在已公布的公钥中` };
  if (!sm2Verify(signed.payload, signed.signatureHex, key.publicKey)) return { valid: false, reason: '签名无效' };
  return { valid: true, certificateNo: fields.certificateNo, key, payload: signed.payload, fields };
}
