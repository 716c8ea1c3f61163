import { describe, expect, it } from 'vitest';
import { sm2GenerateKeyPair, sm2PublicKey, sm2Sign, sm2Verify } from '../../api/modules/certificates/sm2.ts';
import { certificateNo, checkCertificateNo, checkCharacter } from '../../api/modules/certificates/certificates.number.ts';
import { createKeyCipher } from '../../api/modules/certificates/certificates.keys.ts';
import { maskIdNumber } from '../../api/modules/certificates/certificates.types.ts';
import { certificatePayload, parsePayload } from '../../api/modules/certificates/certificates.service.ts';

describe('SM2 signatures', () => {
  const pair = sm2GenerateKeyPair();
  const message = 'ZCPS1|2026100000001X|张伟|5101**********231X';

  it('verifies a signature with the signer public key, and the public key follows from the private key', () => {
    // Given a fresh key pair, When a message is signed, Then it verifies and the key pair is consistent
    expect(sm2PublicKey(pair.privateKey)).toBe(pair.publicKey);
    const signature = sm2Sign(message, pair.privateKey);
    expect(signature).toMatch(/^[0-9a-f]{128}$/);
    expect(sm2Verify(message, signature, pair.publicKey)).toBe(true);
  });

  it('refuses a changed message, another key, another user ID and a changed signature', () => {
    const signature = sm2Sign(message, pair.privateKey);
    expect(sm2Verify(`${message}!`, signature, pair.publicKey)).toBe(false);
    expect(sm2Verify(message, signature, sm2GenerateKeyPair().publicKey)).toBe(false);
    expect(sm2Verify(message, signature, pair.publicKey, 'another-signer-id')).toBe(false);
    const flipped = (signature.slice(0, 127) + (signature[127] === '0' ? '1' : '0'));
    expect(sm2Verify(message, flipped, pair.publicKey)).toBe(false);
    expect(sm2Verify(message, 'zz', pair.publicKey)).toBe(false);
    // a point that is not on the curve is no key
    expect(sm2Verify(message, signature, `04${'1'.repeat(128)}`)).toBe(false);
  });

  it('signs twice with different randomness, both valid', () => {
    const a = sm2Sign(message, pair.privateKey);
    const b = sm2Sign(message, pair.privateKey);
    expect(a).not.toBe(b);
    expect(sm2Verify(message, a, pair.publicKey) && sm2Verify(message, b, pair.publicKey)).toBe(true);
  });
});

describe('certificate numbers', () => {
  it('carry the year, the kind, the serial and an ISO 7064 MOD 11-2 check character', () => {
    const no = certificateNo(2026, 'review', 17);
    expect(no.slice(0, 13)).toBe('2026100000017');
    expect(no[13]).toBe(checkCharacter('2026100000017'));
    expect(checkCertificateNo(no)).toEqual({ ok: true, value: no });
    expect(certificateNo(2026, 'history', 1)[4]).toBe('5');
  });

  it('catch a mistyped digit and a swapped pair', () => {
    const no = certificateNo(2025, 'initial', 12345678);
    const typo = `${no.slice(0, 8)}${no[8] === '9' ? '0' : String(Number(no[8]) + 1)}${no.slice(9)}`;
    expect(checkCertificateNo(typo).ok).toBe(false);
    const swapped = `${no.slice(0, 9)}${no[10]}${no[9]}${no.slice(11)}`;
    if (no[9] !== no[10]) expect(checkCertificateNo(swapped).ok).toBe(false);
    expect(checkCertificateNo('abc')).toMatchObject({ ok: false });
  });
});

describe('stored signing keys', () => {
  it('decrypt with the same secret and key id only', () => {
    const cipher = createKeyCipher('secret-one-long-enough');
    const { privateKey } = sm2GenerateKeyPair();
    const sealed = cipher.seal(privateKey, 'U1-K1');
    expect(sealed).not.toContain(privateKey);
    expect(cipher.open(sealed, 'U1-K1')).toBe(privateKey);
    expect(() => cipher.open(sealed, 'U1-K2')).toThrow(/无法解密/);
    expect(() => createKeyCipher('secret-two-long-enough').open(sealed, 'U1-K1')).toThrow(/无法解密/);
  });
});

describe('the signed payload', () => {
  it('carries the masked ID number only, and parses back', () => {
    const payload = certificatePayload({
      certificateNo: '2026100000017X', personName: '张|伟', idNumber: '51010419900307231X', kind: 'review', series: '工程技术', specialty: '机械工程',
      titleName: '工程师', level: '中级', issuerName: '成都市人力资源和社会保障局', approvalDate: '2026-06-30', documentNo: '成人社发〔2026〕12号', keyId: 'U2-K1-abc',
    });
    expect(payload).not.toContain('51010419900307231X');
    expect(parsePayload(payload)).toMatchObject({ personName: '张／伟', maskedIdNumber: maskIdNumber('51010419900307231X'), kind: '评审', keyId: 'U2-K1-abc' });
    expect(maskIdNumber('51010419900307231X')).toBe('5101**********231X');
    expect(parsePayload('x|y')).toBeNull();
  });
});
